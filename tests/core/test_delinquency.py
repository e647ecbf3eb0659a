"""Delinquency: DPD and buckets, replay stories, charges with caps, idempotent charging."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.allocation import Component
from accord.core.charges import ChargeTerms, cap_limit, contract_cost
from accord.core.delinquency import (
    Account,
    Bucket,
    Payment,
    advance,
    bucket,
    replay,
    start,
)
from accord.core.errors import CoreError
from accord.core.money import Money
from accord.core.packs import load_pack
from tests.core.servicing_helpers import OPEN, level_schedule, payment_lists, schedules


@pytest.mark.parametrize(
    ("dpd", "expected"),
    [
        (0, Bucket.CURRENT),
        (1, Bucket.M1),
        (30, Bucket.M1),
        (31, Bucket.M2),
        (60, Bucket.M2),
        (61, Bucket.M3),
        (90, Bucket.M3),
        (91, Bucket.M4_M6),
        (180, Bucket.M4_M6),
        (181, Bucket.M6_PLUS),
        (10_000, Bucket.M6_PLUS),
    ],
)
def test_bucket_bounds(dpd: int, expected: Bucket) -> None:
    assert bucket(dpd) is expected


def test_bucket_labels_and_negative() -> None:
    assert Bucket.CURRENT.label_zh == "正常"
    assert "31-60" in Bucket.M2.label_zh
    assert len({b.label_zh for b in Bucket}) == len(Bucket)
    with pytest.raises(CoreError):
        bucket(-1)


def test_story_missed_second_installment() -> None:
    """Pays the first installment on time, skips the second, catches up late."""
    sched = level_schedule(300_000, 3, Decimal("0.12"))  # due Jan 31, Mar 2, Apr 1
    first, second = sched[0], sched[1]
    acct = Account(OPEN, Money(300_000), sched)
    pays = [
        Payment(first.due_date, first.payment, "a"),
        Payment(date(2025, 3, 20), second.payment, "b"),
    ]
    assert replay(acct, pays, first.due_date).dpd == 0
    s = replay(acct, pays, date(2025, 3, 19))
    assert s.dpd == (date(2025, 3, 19) - second.due_date).days == 17
    assert s.bucket is Bucket.M1
    assert s.outstanding(Component.PRINCIPAL, past_due_only=True) == second.principal
    s = replay(acct, pays, date(2025, 3, 20))
    assert s.dpd == 0
    assert s.paid_off[:2] == (first.due_date, date(2025, 3, 20))
    # the third installment is never paid: 61 days after its due date it is M3
    s = replay(acct, pays, sched[2].due_date + timedelta(days=61))
    assert s.dpd == 61
    assert s.bucket is Bucket.M3
    hist = s.history(date(2025, 1, 1), month_end=True)
    assert [h[0] for h in hist] == [
        date(2025, m, d) for m, d in [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31)]
    ]
    assert [h[1] for h in hist] == [0, 0, 0, 29, 60]


def test_credit_is_held_and_used_when_due() -> None:
    sched = level_schedule(200_000, 2, Decimal("0.10"))
    acct = Account(OPEN, Money(200_000), sched)
    pays = [Payment(date(2025, 1, 10), sched[0].payment + sched[1].payment, "all")]
    s = replay(acct, pays, date(2025, 1, 10))
    assert s.credit == sched[0].payment + sched[1].payment  # nothing due yet: all held
    s = replay(acct, pays, sched[1].due_date + timedelta(days=5))
    assert s.credit.is_zero()
    assert all(d.settled for d in s.dues)
    assert s.dpd == 0


def test_penalty_and_late_fee_known_answer() -> None:
    """CN card terms: 0.05%/day on overdue principal, 5% late fee after 3 grace days."""
    cn = load_pack("cn")
    terms = ChargeTerms.from_pack(cn, annual_rate=Decimal("0.18"), open_date=OPEN, product="card")
    assert terms.penalty_daily_rate == Decimal("0.0005")
    assert terms.grace_days == 3
    inst = level_schedule(100_000, 1, Decimal(0))  # 1,000.00 principal due Jan 31, no interest
    # with the pack's 24% cost cap, 34 days allow 1,000.00 x 0.24 x 34/365 = 22.35 in total:
    # the penalty of Feb 1-4 (2.00) is booked first, the late fee on Feb 4 gets the other 20.35
    capped = replay(Account(OPEN, Money(100_000), inst, terms), [], date(2025, 2, 4))
    assert capped.penalty_charged == Money(200)
    assert capped.fees_charged == Money(2_235 - 200)
    acct = Account(OPEN, Money(100_000), inst, replace(terms, cap_rate=None))
    s = replay(acct, [], date(2025, 2, 10))  # 10 days overdue
    assert s.penalty_charged == Money(50 * 10)  # 0.50 a day
    assert s.fees_charged == Money(5_000)  # 5% of 1,000.00 on Feb 4
    assert s.dues[0].penalty == Money(500)
    assert s.dues[0].fees == Money(5_000)
    # a payment of 60.00 settles fees (50.00) then penalty (5.00) then 5.00 of principal
    s = replay(acct, [Payment(date(2025, 2, 10), Money(6_000), "x")], date(2025, 2, 10))
    assert s.dues[0].fees.is_zero()
    assert s.dues[0].penalty.is_zero()
    assert s.dues[0].principal == Money(99_500)
    # penalty on Feb 11 is charged on the reduced principal
    s2 = replay(acct, [Payment(date(2025, 2, 10), Money(6_000), "x")], date(2025, 2, 11))
    assert s2.penalty_charged == Money(500 + 50)  # 995.00 x 0.0005 = 0.4975 -> 0.50


def test_cap_stops_charges() -> None:
    """A low cap leaves room for only part of the penalty; then charging stops."""
    terms = ChargeTerms(penalty_daily_rate=Decimal("0.01"), cap_rate=Decimal("0.24"))
    inst = level_schedule(100_000, 1, Decimal(0))
    acct = Account(OPEN, Money(100_000), inst, terms)
    s = replay(acct, [], date(2025, 6, 30))
    limit = cap_limit(Money(100_000), Decimal("0.24"), OPEN, date(2025, 6, 30))
    assert s.penalty_charged.minor <= limit
    assert s.penalty_charged.minor >= limit - 1_000  # the cap binds: 1%/day would be far more
    uncapped = replay(
        Account(OPEN, Money(100_000), inst, ChargeTerms(Decimal("0.01"))), [], date(2025, 6, 30)
    )
    assert uncapped.penalty_charged.minor == 1_000 * (date(2025, 6, 30) - date(2025, 1, 31)).days


def test_payment_before_state_is_refused() -> None:
    acct = Account(OPEN, Money(100), level_schedule(100, 1, Decimal(0)))
    s = replay(acct, [], date(2025, 3, 1))
    with pytest.raises(CoreError, match="before the state"):
        advance(s, date(2025, 4, 1), [Payment(date(2025, 2, 1), Money(1), "late-entry")])
    with pytest.raises(CoreError, match="only known up to"):
        s.dpd_on(date(2025, 3, 2))


# ---- properties ----------------------------------------------------------------------------

terms_st = st.builds(
    ChargeTerms,
    penalty_daily_rate=st.sampled_from([Decimal(0), Decimal("0.0005"), Decimal("0.003")]),
    late_fee=st.sampled_from([None, load_pack("cn").product("card").late_fee]),
    grace_days=st.integers(min_value=0, max_value=5),
    cap_rate=st.sampled_from([None, Decimal("0.12"), Decimal("0.24"), Decimal("0.36")]),
)


@settings(max_examples=60, deadline=None)
@given(schedules(), payment_lists(), terms_st, st.integers(min_value=0, max_value=400))
def test_dpd_grows_day_by_day_without_payments(sched, pays, terms, offset) -> None:  # type: ignore[no-untyped-def]
    acct = Account(OPEN, sched[0].opening_principal, sched, terms)
    end = OPEN + timedelta(days=450)
    s = replay(acct, pays, end)
    pay_days = {p.paid_on for p in pays}
    day = OPEN + timedelta(days=offset)
    prev = s.dpd_on(day)
    for k in range(1, 40):
        d = day + timedelta(days=k)
        now = s.dpd_on(d)
        if d in pay_days:
            prev = now
            continue
        assert now >= prev
        if prev > 0:
            assert now == prev + 1
        prev = now


@settings(max_examples=40, deadline=None)
@given(
    schedules(),
    payment_lists(),
    terms_st,
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=1, max_value=150),
)
def test_charging_is_idempotent_and_resumable(sched, pays, terms, d1, gap) -> None:  # type: ignore[no-untyped-def]
    acct = Account(OPEN, sched[0].opening_principal, sched, terms)
    t1 = OPEN + timedelta(days=d1)
    t2 = t1 + timedelta(days=gap)
    direct = replay(acct, pays, t2)
    s1 = replay(acct, pays, t1)
    assert advance(s1, t1, pays) == s1  # charging up to the same date twice changes nothing
    resumed = advance(s1, t2, pays)
    assert resumed == direct
    assert advance(resumed, t2, pays) == direct
    # the past is not rewritten: the longer replay reports the same DPD at t1
    assert direct.dpd_on(t1) == s1.dpd


@settings(max_examples=25, deadline=None)
@given(schedules(), payment_lists(horizon=200), terms_st)
def test_bulk_accrual_equals_daily_reference(sched, pays, terms) -> None:  # type: ignore[no-untyped-def]
    """Naive reference: advance one day at a time, so every day is an event."""
    acct = Account(OPEN, sched[0].opening_principal, sched, terms)
    end = OPEN + timedelta(days=220)
    s = start(acct)
    day = OPEN
    while day < end:
        day += timedelta(days=1)
        s = advance(s, day, pays)
    assert s == replay(acct, pays, end)


@settings(max_examples=60, deadline=None)
@given(
    schedules(rate=Decimal("0.12")),
    payment_lists(),
    terms_st,
    st.integers(min_value=1, max_value=500),
)
def test_charges_never_exceed_the_cap(sched, pays, terms, days) -> None:  # type: ignore[no-untyped-def]
    acct = Account(OPEN, sched[0].opening_principal, sched, terms)
    if terms.cap_rate is None:
        return
    # contract rate 12% <= every sampled cap, so the bound holds on every day checked
    s = start(acct)
    for k in range(1, days + 1, 3):
        d = OPEN + timedelta(days=k)
        s = advance(s, d, pays)
        cost = contract_cost(sched, OPEN, d) + s.penalty_charged.minor + s.fees_charged.minor
        assert cost <= cap_limit(acct.principal, terms.cap_rate, OPEN, d)


@settings(max_examples=60, deadline=None)
@given(schedules(), payment_lists(), terms_st, st.integers(min_value=1, max_value=500))
def test_replay_conserves_money(sched, pays, terms, days) -> None:  # type: ignore[no-untyped-def]
    """Scheduled + charges - outstanding == paid - credit, to the minor unit."""
    acct = Account(OPEN, sched[0].opening_principal, sched, terms)
    as_of = OPEN + timedelta(days=days)
    s = replay(acct, pays, as_of)
    scheduled = sum(i.payment.minor for i in sched)
    charged = s.penalty_charged.minor + s.fees_charged.minor
    outstanding = sum(d.outstanding.minor for d in s.dues)
    paid = sum(p.amount.minor for p in pays if p.paid_on <= as_of)
    assert scheduled + charged - outstanding == paid - s.credit.minor
    assert s.credit.minor >= 0
