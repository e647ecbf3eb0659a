"""Behavioural features: a worked example, and no leakage from events after ``as_of``."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.risk.behaviour import FEATURES, behavioural_features
from accord.risk.errors import SchemaError

AS_OF = date(2024, 6, 30)


def _statements(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema=[
            "account_id",
            "statement_date",
            "due_date",
            "due_amount",
            "statement_balance",
            "credit_limit",
        ],
        orient="row",
    )


def _payments(rows: list[tuple]) -> pl.DataFrame:
    schema = {"account_id": pl.Int64, "paid_on": pl.Date, "amount": pl.Int64}
    if rows and isinstance(rows[0][0], str):
        schema["account_id"] = pl.String
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_worked_example() -> None:
    """Account A pays May's bill in full and half of April's; June's is not yet due."""
    statements = _statements(
        [
            ("A", date(2024, 4, 1), date(2024, 4, 20), 1000, 40_000, 100_000),
            ("A", date(2024, 5, 1), date(2024, 5, 20), 1000, 50_000, 100_000),
            ("A", date(2024, 6, 25), date(2024, 7, 15), 1000, 60_000, 100_000),
        ]
    )
    payments = _payments([("A", date(2024, 4, 10), 500), ("A", date(2024, 5, 19), 1000)])
    dpd = pl.DataFrame(
        {"account_id": ["A", "A"], "date": [date(2024, 4, 21), date(2024, 6, 30)], "dpd": [1, 0]}
    )
    f = behavioural_features(statements, payments, AS_OF, dpd).row(0, named=True)
    assert f["n_statements"] == 3
    assert f["util_1"] == pytest.approx(0.6)
    assert f["util_trend"] == pytest.approx(0.2)
    assert f["pay_ratio_1"] == pytest.approx(1.0)  # May; June is not judged before its due date
    assert f["pay_ratio_min"] == pytest.approx(0.5)
    assert f["months_short"] == 1
    assert f["days_since_payment"] == (AS_OF - date(2024, 5, 19)).days
    assert f["paid_90d_to_limit"] == pytest.approx(1500 / 100_000)
    assert f["dpd_now"] == 0
    assert f["dpd_max_6m"] == 1
    assert f["months_late_6m"] == 1


def test_schema_is_checked() -> None:
    with pytest.raises(SchemaError):
        behavioural_features(pl.DataFrame({"account_id": [1]}), _payments([]), AS_OF)


_day = st.integers(-200, 120).map(lambda d: AS_OF + timedelta(days=d))


@st.composite
def _book(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    stmts, pays, dpds = [], [], []
    for acct in range(draw(st.integers(1, 4))):
        for _ in range(draw(st.integers(1, 8))):
            d = draw(_day)
            stmts.append(
                (
                    acct,
                    d,
                    d + timedelta(days=20),
                    draw(st.integers(0, 5000)),
                    draw(st.integers(0, 90_000)),
                    100_000,
                )
            )
        for _ in range(draw(st.integers(0, 8))):
            pays.append((acct, draw(_day), draw(st.integers(1, 5000))))
        for _ in range(draw(st.integers(0, 6))):
            dpds.append((acct, draw(_day), draw(st.integers(0, 120))))
    dpd = pl.DataFrame(
        dpds, schema={"account_id": pl.Int64, "date": pl.Date, "dpd": pl.Int64}, orient="row"
    )
    # drop duplicate statement dates per account (one statement per date)
    s = _statements(stmts).unique(["account_id", "statement_date"], keep="first")
    return s, _payments(pays), dpd


@settings(max_examples=60, deadline=None)
@given(_book(), _book())
def test_events_after_as_of_never_change_features(book, extra) -> None:
    """Appending any statements, payments or DPD records dated after as_of changes nothing."""
    s, p, d = book
    es, ep, ed = extra
    later_s = es.filter(pl.col("statement_date") > AS_OF)
    later_s = later_s.join(
        s.select("account_id", "statement_date"), on=["account_id", "statement_date"], how="anti"
    )
    before = behavioural_features(s, p, AS_OF, d)
    after = behavioural_features(
        pl.concat([s, later_s]),
        pl.concat([p, ep.filter(pl.col("paid_on") > AS_OF)]),
        AS_OF,
        pl.concat([d, ed.filter(pl.col("date") > AS_OF)]),
    )
    assert before.equals(after)
    assert set(FEATURES) <= set(before.columns)
