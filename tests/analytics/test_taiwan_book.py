"""Taiwan dataset → canonical book: exact reading, the minimum-payment rule, records and CSVs."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from accord.analytics.taiwan_book import (
    DEFAULT_PATH,
    MappingParams,
    map_book,
    minimum_due,
    payment_dates,
    read_uci,
    statement_dates,
    write_csvs,
)


@pytest.fixture(scope="module")
def df() -> pl.DataFrame:
    return read_uci(DEFAULT_PATH)


def test_read_is_exact(df: pl.DataFrame) -> None:
    assert df.shape == (30_000, 25)
    assert all(dtype == pl.Int64 for dtype in df.dtypes)
    assert df["ID"].to_list() == list(range(1, 30_001))
    assert int(df["DEFAULT_NEXT"].sum()) == 6_636  # base rate stated in SOURCE.md
    assert df["LIMIT_BAL"].min() == 10_000
    assert df["LIMIT_BAL"].max() == 1_000_000  # written as 1e+06 in the file


def test_minimum_due_rule() -> None:
    p = MappingParams(min_rate=Decimal("0.03"), min_floor=500)
    bills = np.array([-100, 0, 300, 10_000, 20_000, 100_001])
    # 3% floored to whole NT$, at least NT$500, never more than the bill; none for bills <= 0
    assert minimum_due(bills, p).tolist() == [0, 0, 30_000, 50_000, 60_000, 300_000]


def test_calendar() -> None:
    s = statement_dates()
    assert s[0] == date(2005, 3, 31)
    assert s[-1] == date(2005, 9, 30)
    assert payment_dates(MappingParams())[0] == date(2005, 4, 20)


def test_map_book_records(df: pl.DataFrame) -> None:
    head = df.head(200)
    book = map_book(head)
    assert len(book.parties) == len(book.accounts) == 200
    assert len(book.installments) == 200 * 7
    first = book.parties[0]
    assert (first.party_id, first.sex, first.birth_year) == ("TW00001", "female", 1981)
    assert first.education == "university"
    acct = book.accounts[0]
    assert (acct.principal, acct.currency, acct.pack, acct.product) == (
        "20000.00",
        "TWD",
        "tw",
        "card",
    )
    insts = [i for i in book.installments if i.account_id == "TWC00001"]
    assert [i.seq for i in insts] == list(range(1, 8))
    # row 1: April bill 0 -> no due; September bill 3,913 -> 3% = 117.39 floored to 117
    assert insts[1].statement_balance == "0.00"
    assert insts[1].principal == "0.00"
    assert insts[6].statement_balance == "3913.00"
    assert insts[6].principal == "117.00"
    assert insts[6].due_date == "2005-10-20"
    pays = [p for p in book.payments if p.account_id == "TWC00001"]
    assert [(p.paid_on, p.amount) for p in pays] == [("2005-08-20", "689.00")]
    for row in book.installments + tuple(book.payments):  # type: ignore[operator]
        for value in (getattr(row, "principal", "0.00"), getattr(row, "amount", "0.00")):
            assert Decimal(value).as_tuple().exponent == -2
    negative = head.filter(pl.col("BILL_AMT1") < 0)["ID"].to_list()
    assert negative, "the first 200 rows include a credit balance"
    neg = [i for i in book.installments if i.account_id == f"TWC{negative[0]:05d}" and i.seq == 7]
    assert neg[0].principal == "0.00"
    assert neg[0].statement_balance.startswith("-")


def test_write_csvs(df: pl.DataFrame, tmp_path: Path) -> None:
    book = map_book(df.head(50))
    paths = write_csvs(book, tmp_path / "out")
    assert set(paths) == {"parties", "accounts", "installments", "payments"}
    with paths["installments"].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "account_id",
        "seq",
        "due_date",
        "principal",
        "interest",
        "fees",
        "statement_date",
        "statement_balance",
    ]
    assert len(rows) == 350
    with paths["payments"].open(encoding="utf-8") as fh:
        prow = list(csv.DictReader(fh))
    assert list(prow[0]) == ["payment_id", "account_id", "paid_on", "amount", "currency"]
    assert len({r["payment_id"] for r in prow}) == len(prow) == len(book.payments)
    with paths["parties"].open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == [
            "party_id",
            "sex",
            "birth_year",
            "marital_status",
            "education",
        ]


def test_amount_strings_equal_money_formatting() -> None:
    from accord.analytics.taiwan_book import _amt
    from accord.core.money import Money

    for minor in (0, 1, -1, 5, 99, 100, 101, -250, 123_456_789, -(10**15), 30_000_000):
        assert _amt(minor) == Money(minor, "TWD").amount_str()
