"""The vectorised servicing twin agrees exactly with the scalar replay, account by account."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.allocation import AllocationMode, Component, OverpaymentPolicy
from accord.core.charges import ChargeTerms
from accord.core.delinquency import Account, Payment, replay
from accord.core.errors import CoreError
from accord.core.money import Money
from accord.core.packs import load_pack
from accord.core.servicing_vector import age, supported
from accord.core.servicing_vector_build import book_from_accounts
from accord.core.types import Installment
from tests.core.vector_books import mismatches, random_account


def check(rows: list[tuple[Account, tuple[Payment, ...], date]]) -> None:
    accounts = [r[0] for r in rows]
    payments = [r[1] for r in rows]
    as_of = [r[2] for r in rows]
    aged = age(book_from_accounts(accounts, payments), np.array([d.toordinal() for d in as_of]))
    assert mismatches(accounts, payments, as_of, aged) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_books_agree_with_replay(seed: int) -> None:
    rng = random.Random(seed)
    check([random_account(rng) for _ in range(150)])


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_small_random_books_agree(seed: int) -> None:
    rng = random.Random(seed)
    check([random_account(rng) for _ in range(12)])


def loan(
    open_date: date,
    principal: int,
    n: int,
    rate: str,
    pack: str,
    product: str,
    *,
    interest: bool = True,
) -> Account:
    cur = load_pack(pack).currency
    parts = Money(principal, cur).split(n)
    insts = tuple(
        Installment(
            k + 1,
            open_date + timedelta(days=30 * (k + 1)),
            part,
            Money(principal * int(Decimal(rate) * 1000) // 12_000 if interest else 0, cur),
            Money(0, cur),
            Money(principal, cur),
        )
        for k, part in enumerate(parts)
    )
    terms = ChargeTerms.from_pack(
        load_pack(pack), annual_rate=Decimal(rate), open_date=open_date, product=product
    )
    return Account(open_date, Money(principal, cur), insts, terms)


def test_caps_bind_on_long_defaulted_loans() -> None:
    # CN loans: penalty 1.5x the contract rate on all overdue principal, capped at 24% a year;
    # nothing paid for years, so the cap binds and the charges then track the cap day by day.
    rows = []
    for k, rate in enumerate(["0.06", "0.12", "0.18", "0.2399", "0.30"]):
        acct = loan(date(2023, 1, 1) + timedelta(days=k), 10**7 + 7 * k, 6, rate, "cn", "loan")
        for years in (1, 2, 4):
            rows.append((acct, (), date(2023, 1, 1) + timedelta(days=365 * years + k)))
        paid = (Payment(date(2023, 3, 5), Money(123_456, "CNY")),)
        rows.append((acct, paid, date(2026, 6, 30)))
    check(rows)
    aged = age(
        book_from_accounts([r[0] for r in rows], [r[1] for r in rows]),
        np.array([r[2].toordinal() for r in rows]),
    )
    assert (aged.penalty_charged > 0).all()


def test_card_late_fees_and_credit() -> None:
    # TW card (minimum payments, no contract interest): a fixed NT$300 late fee per missed
    # installment, an overpayment held as credit that settles the next installment when due.
    acct = loan(date(2025, 1, 1), 3_000_000, 3, "0.15", "tw", "card", interest=False)
    pays = (Payment(date(2025, 3, 10), Money(2_500_000, "TWD"), "p1"),)
    rows = [(acct, pays, d) for d in (date(2025, 2, 1), date(2025, 3, 15), date(2025, 6, 1))]
    check(rows)
    aged = age(book_from_accounts([acct] * 3, [pays] * 3), date(2025, 6, 1))
    s = replay(acct, pays, date(2025, 6, 1))
    assert int(aged.fees_charged[0]) == s.fees_charged.minor > 0
    assert aged.outstanding[0].tolist() == [s.outstanding(c).minor for c in Component]


def test_as_of_before_open_gives_the_start_state() -> None:
    acct = loan(date(2025, 1, 1), 100_000, 2, "0.12", "cn", "loan")
    aged = age(book_from_accounts([acct], [()]), date(2024, 12, 1))
    assert aged.as_of.tolist() == [date(2025, 1, 1).toordinal()]
    assert aged.dpd.tolist() == [0]
    assert aged.outstanding[0].sum() == sum(i.payment.minor for i in acct.installments)


def test_preconditions() -> None:
    acct = loan(date(2025, 1, 1), 100_000, 2, "0.12", "cn", "loan")
    early = (Payment(date(2025, 1, 1), Money(1, "CNY")),)
    with pytest.raises(CoreError, match="on or before the open date"):
        book_from_accounts([acct], [early])
    prepay = Account(
        acct.open_date,
        acct.principal,
        acct.installments,
        acct.terms,
        overpayment=OverpaymentPolicy.REDUCE_TERM,
    )
    assert not supported(prepay.terms, prepay.overpayment.value, prepay.currency)
    with pytest.raises(CoreError, match="scalar replay"):
        book_from_accounts([prepay], [()])
    other = Account(
        acct.open_date, acct.principal, acct.installments, mode=AllocationMode.COMPONENT_FIRST
    )
    with pytest.raises(CoreError, match="share allocation order"):
        book_from_accounts([acct, other], [(), ()])


def test_component_first_and_custom_order() -> None:
    rng = random.Random(11)
    rows = [random_account(rng) for _ in range(60)]
    order = (Component.PRINCIPAL, Component.INTEREST, Component.FEES, Component.PENALTY)
    for mode in AllocationMode:
        moved = [
            (
                Account(a.open_date, a.principal, a.installments, a.terms, order, mode),
                p,
                d,
            )
            for a, p, d in rows
        ]
        check(moved)
