"""Payment allocation waterfall: order, partial fills, overpayment policies, conservation."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.allocation import (
    DEFAULT_ORDER,
    AllocationMode,
    Component,
    Due,
    OverpaymentPolicy,
    allocate,
    apply,
)
from accord.core.errors import CoreError
from accord.core.money import Money, total

D0 = date(2025, 1, 15)


def due(seq: int, p: int, i: int = 0, f: int = 0, pen: int = 0, month: int | None = None) -> Due:
    m = month if month is not None else seq
    return Due(seq, D0 + timedelta(days=30 * (m - 1)), Money(p), Money(i), Money(f), Money(pen))


def test_installment_first_fills_oldest_first_in_component_order() -> None:
    dues = [due(2, 1000, 50, 10, 5), due(1, 1000, 60, 20, 7)]
    a = allocate(dues, Money(1100), paid_on=D0 + timedelta(days=40))
    got = [(ln.seq, ln.component, ln.amount.minor) for ln in a.lines]
    assert got == [
        (1, Component.FEES, 20),
        (1, Component.PENALTY, 7),
        (1, Component.INTEREST, 60),
        (1, Component.PRINCIPAL, 1000),
        (2, Component.FEES, 10),
        (2, Component.PENALTY, 3),
    ]
    assert a.credit.is_zero()
    after = apply(dues, a)
    assert after[0].penalty == Money(2)
    assert after[0].principal == Money(1000)
    assert after[1].settled


def test_component_first_settles_each_component_across_installments() -> None:
    dues = [due(1, 1000, 60, 20), due(2, 1000, 50, 10)]
    a = allocate(
        dues, Money(150), paid_on=D0 + timedelta(days=40), mode=AllocationMode.COMPONENT_FIRST
    )
    got = [(ln.seq, ln.component, ln.amount.minor) for ln in a.lines]
    assert got == [
        (1, Component.FEES, 20),
        (2, Component.FEES, 10),
        (1, Component.INTEREST, 60),
        (2, Component.INTEREST, 50),
        (1, Component.PRINCIPAL, 10),
    ]


def test_future_installments_untouched_unless_overpaid() -> None:
    dues = [due(1, 1000, 100), due(2, 1000, 90), due(3, 1000, 80)]
    a = allocate(dues, Money(1100), paid_on=D0, overpayment=OverpaymentPolicy.HOLD_AS_CREDIT)
    assert {ln.seq for ln in a.lines} == {1}
    a = allocate(dues, Money(1600), paid_on=D0, overpayment=OverpaymentPolicy.HOLD_AS_CREDIT)
    assert a.credit == Money(500)
    assert a.prepaid.is_zero()


def test_reduce_term_prepays_trailing_principal() -> None:
    dues = [due(1, 1000, 100), due(2, 1000, 90), due(3, 1000, 80)]
    a = allocate(dues, Money(2600), paid_on=D0, overpayment=OverpaymentPolicy.REDUCE_TERM)
    pre = [(ln.seq, ln.amount.minor) for ln in a.lines if ln.prepayment]
    assert pre == [(3, 1000), (2, 500)]
    assert a.prepaid == Money(1500)
    assert a.credit.is_zero()


def test_reduce_installment_spreads_proportionally() -> None:
    dues = [due(1, 1000, 100), due(2, 1000, 90), due(3, 3000, 80)]
    a = allocate(
        dues, Money(1100 + 1001), paid_on=D0, overpayment=OverpaymentPolicy.REDUCE_INSTALLMENT
    )
    pre = {ln.seq: ln.amount.minor for ln in a.lines if ln.prepayment}
    assert sum(pre.values()) == 1001
    assert pre[3] in (750, 751)
    assert pre[2] in (250, 251)


def test_excess_beyond_all_principal_is_credit() -> None:
    dues = [due(1, 1000, 100), due(2, 1000, 90)]
    for policy in OverpaymentPolicy:
        a = allocate(dues, Money(5000), paid_on=D0, overpayment=policy)
        expected_credit = 5000 - 1100 if policy is OverpaymentPolicy.HOLD_AS_CREDIT else 5000 - 2100
        assert a.credit == Money(expected_credit)


def test_preconditions() -> None:
    with pytest.raises(CoreError, match="order"):
        allocate([due(1, 1)], Money(1), order=[Component.FEES])
    with pytest.raises(CoreError, match="negative"):
        allocate([due(1, 1)], Money(-1))
    with pytest.raises(CoreError, match="USD"):
        allocate([due(1, 1)], Money(1, "USD"))
    with pytest.raises(CoreError, match="negative"):
        due(1, -1)


amounts = st.integers(min_value=0, max_value=10**7)


@st.composite
def dues_and_payment(draw: st.DrawFn) -> tuple[list[Due], Money, date]:
    n = draw(st.integers(min_value=0, max_value=8))
    dues = [
        due(k + 1, draw(amounts), draw(amounts), draw(amounts), draw(amounts)) for k in range(n)
    ]
    pay = Money(draw(st.integers(min_value=0, max_value=10**8)))
    paid_on = D0 + timedelta(days=draw(st.integers(min_value=-10, max_value=300)))
    return dues, pay, paid_on


@settings(max_examples=300, deadline=None)
@given(
    dues_and_payment(),
    st.sampled_from(list(OverpaymentPolicy)),
    st.sampled_from(list(AllocationMode)),
    st.permutations(list(DEFAULT_ORDER)),
)
def test_allocation_conserves_every_minor_unit(
    case: tuple[list[Due], Money, date],
    policy: OverpaymentPolicy,
    mode: AllocationMode,
    order: list[Component],
) -> None:
    dues, pay, paid_on = case
    a = allocate(dues, pay, paid_on=paid_on, overpayment=policy, mode=mode, order=order)
    assert a.applied + a.credit == pay
    assert a.credit.minor >= 0
    assert all(ln.amount.minor > 0 for ln in a.lines)
    after = apply(dues, a)  # raises if any component is overpaid
    before_total = total((d.outstanding for d in dues), "CNY")
    after_total = total((d.outstanding for d in after), "CNY")
    assert before_total - after_total == a.applied
    # nothing due is left unpaid while money went to credit or prepayment
    if a.credit.minor > 0 or a.prepaid.minor > 0:
        assert all(d.settled for d in after if d.due_date <= paid_on)
    # prepayments only touch principal of future installments
    for ln in a.lines:
        if ln.prepayment:
            assert ln.component is Component.PRINCIPAL
            assert next(d for d in dues if d.seq == ln.seq).due_date > paid_on
