"""The vectorised servicing twin equals the scalar replay on the mapped Taiwan card book."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl
import pytest
from tests.core.vector_books import mismatches

from accord.analytics.taiwan_book import DEFAULT_PATH, map_book, read_uci
from accord.core.charges import ChargeTerms
from accord.core.delinquency import Account, Payment
from accord.core.money import Money
from accord.core.packs import load_pack
from accord.core.servicing_vector import age
from accord.core.servicing_vector_build import book_from_accounts
from accord.core.types import Installment

#: The demo's month ends, plus dates between due dates, grace ends and payment dates.
AS_OF = (
    date(2005, 3, 31),
    date(2005, 4, 20),
    date(2005, 4, 21),
    date(2005, 5, 31),
    date(2005, 6, 30),
    date(2005, 7, 31),
    date(2005, 8, 31),
    date(2005, 9, 30),
    date(2006, 6, 30),
)


@pytest.fixture(scope="module")
def sample() -> tuple[list[Account], list[tuple[Payment, ...]]]:
    """300 cards: 150 at random and 150 that are late in some month of the data."""
    df = read_uci(DEFAULT_PATH)
    rng = np.random.default_rng(2005)
    late = np.flatnonzero((df.select(pl.max_horizontal("PAY_0", "PAY_2", "PAY_3")) > 0).to_numpy())
    rows = sorted(set(rng.choice(df.height, 150, replace=False)) | set(rng.choice(late, 150)))
    book = map_book(df[rows])
    pack = load_pack("tw")
    insts: dict[str, list[Installment]] = defaultdict(list)
    for r in book.installments:
        zero = Money.zero("TWD")
        insts[r.account_id].append(
            Installment(
                r.seq,
                date.fromisoformat(r.due_date),
                Money.parse(r.principal, "TWD"),
                Money.parse(r.interest, "TWD"),
                Money.parse(r.fees, "TWD"),
                zero,
            )
        )
    pays: dict[str, list[Payment]] = defaultdict(list)
    for p in book.payments:
        pays[p.account_id].append(
            Payment(date.fromisoformat(p.paid_on), Money.parse(p.amount, "TWD"), p.payment_id)
        )
    accounts = []
    for a in book.accounts:
        opened = date.fromisoformat(a.open_date)
        terms = ChargeTerms.from_pack(
            pack, annual_rate=Decimal(a.annual_rate), open_date=opened, product=a.product
        )
        accounts.append(
            Account(
                opened,
                Money.parse(a.principal, "TWD"),
                tuple(insts[a.account_id]),
                terms,
                pack.allocation.order,
                pack.allocation.mode,
                pack.allocation.overpayment,
            )
        )
    return accounts, [tuple(pays[a.account_id]) for a in book.accounts]


@pytest.mark.parametrize("as_of", AS_OF)
def test_taiwan_sample_agrees_with_replay(
    sample: tuple[list[Account], list[tuple[Payment, ...]]], as_of: date
) -> None:
    accounts, payments = sample
    aged = age(book_from_accounts(accounts, payments), as_of)
    assert mismatches(accounts, payments, [as_of] * len(accounts), aged) == []
    if as_of >= date(2005, 5, 31):
        assert (aged.dpd > 0).any()
        assert (aged.fees_charged > 0).any()  # NT$300 late fees, within the 20% cap
