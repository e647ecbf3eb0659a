"""Map the UCI Taiwan credit-card dataset (Yeh 2009, CC BY 4.0) to Accord's canonical book.

Each of the 30,000 rows becomes one party, one card account and seven monthly statements
(an opening March 2005 statement plus April–September 2005) with the payments made April–September.
The mapping, and why each choice was made, is documented in ``docs/taiwan-mapping.md``; in short:

* statement date = last day of the month; due date = statement date + ``due_days`` (20: the 20th of
  the next month); the installment due is the **minimum payment**
  ``min(bill, max(floor(min_rate × bill), min_floor))`` in whole NT$, and 0 for a bill ≤ 0;
* ``PAY_AMTk`` (paid in month k) is dated on day ``pay_day`` of month k, i.e. on the due date of the
  previous month's statement, toward which it is allocated (oldest due first);
* the March 2005 statement lies outside the data; an opening installment equal to the April payment
  absorbs that payment neutrally (neither credit nor arrears).

Pure: takes a Polars frame, returns records; :func:`write_csvs` is the only writer.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from accord.core.money import exponent

CURRENCY: Final = "TWD"
_EXP: Final = exponent(CURRENCY)
_SCALE: Final = 10**_EXP
#: Calendar months of the data, oldest first, with their column suffixes.
MONTHS: Final = ((2005, 4), (2005, 5), (2005, 6), (2005, 7), (2005, 8), (2005, 9))
STATUS_COLS: Final = ("PAY_6", "PAY_5", "PAY_4", "PAY_3", "PAY_2", "PAY_0")
BILL_COLS: Final = tuple(f"BILL_AMT{k}" for k in (6, 5, 4, 3, 2, 1))
PAID_COLS: Final = tuple(f"PAY_AMT{k}" for k in (6, 5, 4, 3, 2, 1))
DEFAULT_PATH: Final = (
    Path(__file__).resolve().parents[3] / "data/taiwan_default/UCI_Credit_Card.csv.gz"
)

SEX: Final = {1: "male", 2: "female"}
EDUCATION: Final = {1: "graduate school", 2: "university", 3: "high school", 4: "others"}
MARRIAGE: Final = {1: "married", 2: "single", 3: "others"}

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class MappingParams:
    """Choices of the mapping (see ``docs/taiwan-mapping.md``)."""

    due_days: int = 20  # statement date → due date
    pay_day: int = 20  # day of month k on which PAY_AMTk is dated
    min_rate: Decimal = Decimal("0.03")  # minimum payment share of the bill
    min_floor: int = 0  # minimum payment floor, whole NT$ (capped at the bill)
    annual_rate: Decimal = Decimal("0.18")  # not in the data: placeholder card rate
    open_date: date = date(2005, 3, 1)  # not in the data: before the first statement


DEFAULT_PARAMS: Final = MappingParams()


@dataclass(frozen=True, slots=True)
class PartyRow:
    """parties.csv: protected attributes, kept for fairness reports only."""

    party_id: str
    sex: str
    birth_year: int
    marital_status: str
    education: str


@dataclass(frozen=True, slots=True)
class AccountRow:
    """accounts.csv (principal = credit limit LIMIT_BAL for cards)."""

    account_id: str
    party_id: str
    product: str
    currency: str
    principal: str
    annual_rate: str
    open_date: str
    pack: str


@dataclass(frozen=True, slots=True)
class InstallmentRow:
    """installments.csv: one monthly statement's minimum payment."""

    account_id: str
    seq: int
    due_date: str
    principal: str
    interest: str
    fees: str
    statement_date: str
    statement_balance: str


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """payments.csv."""

    payment_id: str
    account_id: str
    paid_on: str
    amount: str
    currency: str


@dataclass(frozen=True, slots=True)
class TaiwanBook:
    """The mapped book: records for the importer's four CSV layouts."""

    parties: tuple[PartyRow, ...]
    accounts: tuple[AccountRow, ...]
    installments: tuple[InstallmentRow, ...]
    payments: tuple[PaymentRow, ...]


def read_uci(path: Path = DEFAULT_PATH) -> pl.DataFrame:
    """Read the dataset (``.csv`` or ``.csv.gz``) with every value an exact Int64.

    Values are read as text and converted through ``Decimal`` (the file contains ``1e+05``);
    a value that is not a whole number raises ``ValueError``.
    """
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    df = pl.read_csv(raw, infer_schema_length=0)

    def exact(v: str) -> int:
        d = Decimal(v)
        if d != d.to_integral_value():
            raise ValueError(f"not a whole number: {v!r}")
        return int(d)

    return df.with_columns(
        pl.col(c).map_elements(exact, return_dtype=pl.Int64) for c in df.columns
    ).rename({"default.payment.next.month": "DEFAULT_NEXT"})


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def statement_dates() -> tuple[date, ...]:
    """Statement dates: the opening March 2005 statement, then April–September 2005."""
    return (month_end(2005, 3), *(month_end(y, m) for y, m in MONTHS))


def due_dates(params: MappingParams) -> tuple[date, ...]:
    """Due date of each statement in :func:`statement_dates`."""
    return tuple(s + timedelta(days=params.due_days) for s in statement_dates())


def payment_dates(params: MappingParams) -> tuple[date, ...]:
    """Date given to PAY_AMT of April … September."""
    return tuple(date(y, m, params.pay_day) for y, m in MONTHS)


def minimum_due(bills_ntd: IntArray, params: MappingParams) -> IntArray:
    """Minimum payment in minor units for bills in whole NT$ (0 for bills ≤ 0), exact integers."""
    bills = np.asarray(bills_ntd, dtype=np.int64)
    num, den = params.min_rate.as_integer_ratio()
    share = (np.maximum(bills, 0) * num) // den  # floor to whole NT$
    due = np.minimum(np.maximum(share, params.min_floor), np.maximum(bills, 0))
    result: IntArray = (due * 100).astype(np.int64)
    return result


def arrays(df: pl.DataFrame, params: MappingParams) -> dict[str, IntArray]:
    """Per-account arrays: bills/dues (n, 7) incl. the opening statement, payments (n, 6)."""
    bills = np.stack([df[c].to_numpy() for c in BILL_COLS], axis=1).astype(np.int64)
    paid = np.stack([df[c].to_numpy() for c in PAID_COLS], axis=1).astype(np.int64) * 100
    if (paid < 0).any():
        raise ValueError("negative payment amount in the data")
    dues = np.concatenate([paid[:, :1], minimum_due(bills, params)], axis=1)  # opening = April pay
    bills_minor = np.concatenate([paid[:, :1], bills * 100], axis=1)
    status = np.stack([df[c].to_numpy() for c in STATUS_COLS], axis=1).astype(np.int64)
    return {"dues": dues, "bills": bills_minor, "paid": paid, "status": status}


def _amt(minor: int) -> str:
    """``Money(minor, CURRENCY).amount_str()`` by integer formatting (called ~600k times)."""
    m = int(minor)
    whole, part = divmod(abs(m), _SCALE)
    sign = "-" if m < 0 else ""
    return f"{sign}{whole}.{part:0{_EXP}d}" if _EXP else f"{sign}{whole}"


def map_book(df: pl.DataFrame, params: MappingParams = DEFAULT_PARAMS) -> TaiwanBook:
    """Map every row of the dataset to canonical parties, accounts, installments and payments."""
    a = arrays(df, params)
    stmts, dues_on, pays_on = statement_dates(), due_dates(params), payment_dates(params)
    parties, accounts, insts, pays = [], [], [], []
    cols = df.select("ID", "LIMIT_BAL", "SEX", "EDUCATION", "MARRIAGE", "AGE").rows()
    for i, (ident, limit, sex, edu, mar, age) in enumerate(cols):
        pid, aid = f"TW{ident:05d}", f"TWC{ident:05d}"
        parties.append(
            PartyRow(
                pid,
                SEX.get(sex, "unknown"),
                2005 - age,
                MARRIAGE.get(mar, "unknown"),
                EDUCATION.get(edu, "unknown"),
            )
        )
        accounts.append(
            AccountRow(
                aid,
                pid,
                "card",
                CURRENCY,
                _amt(limit * 100),
                str(params.annual_rate),
                params.open_date.isoformat(),
                "tw",
            )
        )
        for k in range(7):
            insts.append(
                InstallmentRow(
                    aid,
                    k + 1,
                    dues_on[k].isoformat(),
                    _amt(a["dues"][i, k]),
                    "0.00",
                    "0.00",
                    stmts[k].isoformat(),
                    _amt(a["bills"][i, k]),
                )
            )
        for k in range(6):
            if a["paid"][i, k] > 0:
                when = pays_on[k]
                pays.append(
                    PaymentRow(
                        f"{aid}-{when:%Y%m}", aid, when.isoformat(), _amt(a["paid"][i, k]), CURRENCY
                    )
                )
    return TaiwanBook(tuple(parties), tuple(accounts), tuple(insts), tuple(pays))


def write_csvs(book: TaiwanBook, directory: Path) -> dict[str, Path]:
    """Write parties/accounts/installments/payments.csv (UTF-8, header row) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    tables: dict[str, tuple[Any, ...]] = {
        "parties": book.parties,
        "accounts": book.accounts,
        "installments": book.installments,
        "payments": book.payments,
    }
    row_types = {
        "parties": PartyRow,
        "accounts": AccountRow,
        "installments": InstallmentRow,
        "payments": PaymentRow,
    }
    for name, rows in tables.items():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            names = [f.name for f in fields(row_types[name])]
            w.writerow(names)
            # rows hold only str/int fields: attrgetter is astuple without its deep copies
            w.writerows(map(attrgetter(*names), rows))
        out[name] = path
    return out
