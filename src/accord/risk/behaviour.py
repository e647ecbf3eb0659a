"""Point-in-time behavioural features over Accord's own servicing data (Polars).

Input frames (the store produces them; amounts are integer minor units of one currency):

- ``statements``: ``account_id``, ``statement_date`` (date), ``due_date`` (date),
  ``due_amount`` (int), ``statement_balance`` (int), ``credit_limit`` (int, > 0 for revolving
  credit; for instalment loans pass the original principal)
- ``payments``: ``account_id``, ``paid_on`` (date), ``amount`` (int)
- ``dpd_history`` (optional): ``account_id``, ``date`` (date), ``dpd`` (int days past due)

:func:`behavioural_features` uses only events dated on or before ``as_of`` (statements by
``statement_date``, payments by ``paid_on``, DPD by ``date``), and judges a statement's
repayment only once its ``due_date`` has passed, so adding any event after ``as_of`` can never
change a feature: the leakage test checks exactly that. Output: one row per account with at
least one statement, columns listed in :data:`FEATURES`; ratios are floats, NaN when undefined.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import polars as pl

from accord.risk.errors import SchemaError

WINDOW: Final = 6  # statements
FEATURES: Final = (
    "n_statements",
    "util_1",
    "util_mean",
    "util_trend",
    "pay_ratio_1",
    "pay_ratio_mean",
    "pay_ratio_min",
    "months_short",
    "months_short_recent3",
    "days_since_payment",
    "paid_90d_to_limit",
    "dpd_now",
    "dpd_max_6m",
    "months_late_6m",
)
_STATEMENT_COLS: Final = (
    "account_id",
    "statement_date",
    "due_date",
    "due_amount",
    "statement_balance",
    "credit_limit",
)


def _require(frame: pl.DataFrame, cols: tuple[str, ...], name: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise SchemaError(f"{name} lacks columns {missing}")


def behavioural_features(
    statements: pl.DataFrame,
    payments: pl.DataFrame,
    as_of: date,
    dpd_history: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Features per account as of ``as_of`` (see module docstring for schema and guarantees)."""
    _require(statements, _STATEMENT_COLS, "statements")
    _require(payments, ("account_id", "paid_on", "amount"), "payments")
    st = (
        statements.lazy()
        .filter(pl.col("statement_date") <= as_of)
        .with_columns(
            pl.col("statement_date").rank("ordinal", descending=True).over("account_id").alias("k")
        )
        .filter(pl.col("k") <= WINDOW)
        .with_columns(
            (pl.col("statement_balance") / pl.col("credit_limit").cast(pl.Float64))
            .fill_nan(None)
            .alias("util")
        )
    )
    pay = payments.lazy().filter(pl.col("paid_on") <= as_of)
    # payments that settle each statement: after its date, up to its due date
    settled = (
        st.select("account_id", "statement_date", "due_date")
        .join(pay, on="account_id", how="inner")
        .filter(
            (pl.col("paid_on") > pl.col("statement_date"))
            & (pl.col("paid_on") <= pl.col("due_date"))
        )
        .group_by("account_id", "statement_date")
        .agg(pl.col("amount").sum().alias("paid_by_due"))
    )
    judged = pl.col("due_date") <= as_of
    st = st.join(settled, on=["account_id", "statement_date"], how="left").with_columns(
        pl.when(judged & (pl.col("due_amount") > 0))
        .then(pl.col("paid_by_due").fill_null(0) / pl.col("due_amount").cast(pl.Float64))
        .otherwise(None)
        .alias("pay_ratio")
    )
    short = judged & (pl.col("due_amount") > 0) & (pl.col("pay_ratio") < 1.0)
    by_stmt = (
        st.sort("account_id", "k")
        .group_by("account_id")
        .agg(
            pl.len().alias("n_statements"),
            pl.col("util").first().alias("util_1"),
            pl.col("util").mean().alias("util_mean"),
            (pl.col("util").first() - pl.col("util").last()).alias("util_trend"),
            pl.col("pay_ratio").drop_nulls().first().alias("pay_ratio_1"),
            pl.col("pay_ratio").mean().alias("pay_ratio_mean"),
            pl.col("pay_ratio").min().alias("pay_ratio_min"),
            short.sum().alias("months_short"),
            (short & (pl.col("k") <= 3)).sum().alias("months_short_recent3"),
            pl.col("credit_limit").first().alias("_limit"),
        )
    )
    pay_agg = pay.group_by("account_id").agg(
        pl.col("paid_on").max().alias("_last_paid"),
        pl.col("amount")
        .filter(pl.col("paid_on") > as_of - timedelta(days=90))
        .sum()
        .alias("_paid_90d"),
    )
    out = by_stmt.join(pay_agg, on="account_id", how="left").with_columns(
        (pl.lit(as_of) - pl.col("_last_paid")).dt.total_days().alias("days_since_payment"),
        (pl.col("_paid_90d").fill_null(0) / pl.col("_limit").cast(pl.Float64))
        .fill_nan(None)
        .alias("paid_90d_to_limit"),
    )
    if dpd_history is not None:
        _require(dpd_history, ("account_id", "date", "dpd"), "dpd_history")
        since = as_of - timedelta(days=183)
        dpd = (
            dpd_history.lazy()
            .filter(pl.col("date") <= as_of)
            .sort("account_id", "date")
            .group_by("account_id")
            .agg(
                pl.col("dpd").last().alias("dpd_now"),
                pl.col("dpd").filter(pl.col("date") > since).max().alias("dpd_max_6m"),
                pl.col("date")
                .filter((pl.col("date") > since) & (pl.col("dpd") > 0))
                .dt.month_start()
                .n_unique()
                .alias("months_late_6m"),
            )
        )
        out = out.join(dpd, on="account_id", how="left")
    else:
        out = out.with_columns(
            pl.lit(None, pl.Int64).alias("dpd_now"),
            pl.lit(None, pl.Int64).alias("dpd_max_6m"),
            pl.lit(None, pl.UInt32).alias("months_late_6m"),
        )
    return (
        out.select("account_id", *FEATURES)
        .with_columns(pl.col(c).cast(pl.Float64) for c in FEATURES)
        .sort("account_id")
        .collect()
    )
