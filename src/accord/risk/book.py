"""Risk over an Accord book: the target, stored reasons, segments inputs and the run digest.

**Target — "overdue next month".** For a book observed as of ``as_of`` the label date is the
last day of the following calendar month (:func:`label_date`); an account is *bad* (1) when the
servicing tick stored at the label date shows it past due (DPD > 0, bucket other than
``current``), whether it became overdue or stayed overdue. On a card book due on the 20th this is
exactly "the next statement's minimum payment, or older arrears, still unpaid at the month end
after its due date". Accounts enter the population when they have at least one statement on or
before ``as_of`` and a stored state at the label date.

Reasons, early-warning flags and segment reasons are stored as ``{"message_id", "params"}``
records (strings only), rendered in zh-CN or en by :func:`render_message`; an account without
any adverse factor gets ``risk.reason.none`` so every score carries a readable reason.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

import numpy as np
import polars as pl

from accord.risk._base import RiskClassifierBase
from accord.risk.blend import BlendModel
from accord.risk.boosting import BoostingModel
from accord.risk.reasons import LOCALES, Reason, catalogue, describe
from accord.risk.segments import Segment, SegmentInputs, segment

TARGET: Final = "overdue next month: DPD > 0 at the month-end tick after as_of"
#: A payment within this many days before ``as_of`` counts as "paid in the window" (one cycle).
PAYMENT_WINDOW_DAYS: Final = 35

Message = dict[str, Any]


def label_date(as_of: date) -> date:
    """Last day of the calendar month after ``as_of``'s month (the target's observation date)."""
    year, month = (as_of.year + 1, 1) if as_of.month == 12 else (as_of.year, as_of.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def message(message_id: str, **params: object) -> Message:
    """A stored message record with string parameters."""
    return {"message_id": message_id, "params": {k: str(v) for k, v in sorted(params.items())}}


def render_message(record: Message, locale: str = "zh-CN") -> str:
    """Text of a stored message record in ``locale``; a ``feature`` parameter is translated."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {LOCALES}")
    template = catalogue()["messages"][record["message_id"]][locale]
    params = dict(record.get("params", {}))
    if "feature" in params:
        params["feature"] = describe(params["feature"], locale)
    return str(template.format(**params))


def reason_records(reasons: Sequence[Reason]) -> list[Message]:
    """Stored records of an account's reason codes (``risk.reason.none`` when empty)."""
    if not reasons:
        return [message("risk.reason.none")]
    return [
        {"message_id": r.message_id, "params": dict(sorted(r.params().items()))} for r in reasons
    ]


def pd_and_contributions(
    model: RiskClassifierBase,
    X: Any,  # noqa: N803
) -> tuple[np.ndarray, np.ndarray]:
    """PD and per-feature log-odds contributions for a whole portfolio in one pass.

    Boosting (alone or in a blend) uses the decision-path attributions
    (:meth:`BoostingModel.score_and_explain`: the same margin as TreeSHAP's total, many times
    cheaper); the scorecard's contributions are exact points lost.
    """
    if isinstance(model, BoostingModel):
        p, contrib = model.score_and_explain(X)
    elif isinstance(model, BlendModel):
        Xa = model._validate_predict(X)  # noqa: N806
        pb, cb = model.boosting_._score_and_explain(Xa)
        p = 0.5 * (pb + model.scorecard_._raw_proba(Xa))
        contrib = 0.5 * (cb + model.scorecard_.explain(Xa))
    else:
        p, contrib = model.predict_proba(X)[:, 1], model.explain(X)
    return np.clip(np.asarray(p, dtype=float), 0.0, 1.0), np.asarray(contrib, dtype=float)


def pd_text(p: float) -> str:
    """A probability as a decimal string with six places (ledger payloads hold no floats)."""
    return f"{min(max(p, 0.0), 1.0):.6f}"


def paid_full_months(statements: pl.DataFrame, payments: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per account, how many of its last six statements judged by ``as_of`` (due date passed,
    amount due > 0) were paid in full by their due date: ``account_id``, ``paid_full``."""
    st = (
        statements.filter((pl.col("statement_date") <= as_of) & (pl.col("due_date") <= as_of))
        .filter(pl.col("due_amount") > 0)
        .with_columns(
            pl.col("statement_date").rank("ordinal", descending=True).over("account_id").alias("k")
        )
        .filter(pl.col("k") <= 6)
    )
    paid = (
        st.select("account_id", "statement_date", "due_date")
        .join(payments.filter(pl.col("paid_on") <= as_of), on="account_id")
        .filter(
            (pl.col("paid_on") > pl.col("statement_date"))
            & (pl.col("paid_on") <= pl.col("due_date"))
        )
        .group_by("account_id", "statement_date")
        .agg(pl.col("amount").sum().alias("paid"))
    )
    return (
        st.join(paid, on=["account_id", "statement_date"], how="left")
        .group_by("account_id")
        .agg((pl.col("paid").fill_null(0) >= pl.col("due_amount")).sum().alias("paid_full"))
        .with_columns(pl.col("paid_full").cast(pl.Int64))
    )


def _num(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def segments_for(frame: pl.DataFrame) -> dict[int, Segment]:
    """Segments of the delinquent accounts (``dpd`` > 0) of ``frame``.

    ``frame`` holds ``account_id``, ``dpd``, ``paid_full`` and the behavioural features
    ``util_1``, ``pay_ratio_1``, ``pay_ratio_mean``, ``days_since_payment``. The store holds no
    contact log, promises or declared statements yet, so those inputs are unknown/zero and the
    ability test rests on utilisation and the payment trend (latest minus average ratio).
    """
    out: dict[int, Segment] = {}
    for row in frame.filter(pl.col("dpd") > 0).iter_rows(named=True):
        last, mean = _num(row["pay_ratio_1"]), _num(row["pay_ratio_mean"])
        since = _num(row["days_since_payment"])
        inputs = SegmentInputs(
            dpd=int(row["dpd"]),
            contact_attempts=0,
            contacts_answered=0,
            util=_num(row["util_1"]),
            pay_ratio_trend=None if last is None or mean is None else last - mean,
            months_paid_full_before=int(row["paid_full"] or 0),
            paid_in_window=since is not None and since <= PAYMENT_WINDOW_DAYS,
        )
        out[int(row["account_id"])] = segment(inputs)
    return out


def segment_records(seg: Segment) -> list[Message]:
    """Stored records of a segment's reasons."""
    return [{"message_id": r.message_id, "params": dict(sorted(r.params))} for r in seg.reasons]


def canonical(value: Any) -> str:
    """Sorted-keys compact JSON (no floats are expected) used for stored records and digests."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def digest(rows: Iterable[dict[str, Any]]) -> str:
    """sha256 over the canonical JSON of every row, in the order given."""
    h = hashlib.sha256()
    for r in rows:
        h.update(canonical(r).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def window_text(as_of: date, ticks: Sequence[date]) -> str:
    """Human description of the data window behind a dataset as of ``as_of``."""
    seen = [d for d in ticks if d <= as_of]
    start = seen[0].isoformat() if seen else "the first statement"
    return (
        f"statements, payments and ticks from {start} to {as_of.isoformat()}; target observed "
        f"at {label_date(as_of).isoformat()}"
    )
