import itertools
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.core.calendar import BusinessDayConvention, ChinaCalendar
from accord.core.daycount import DayCount
from accord.core.errors import InvalidSchedule
from accord.core.money import Money
from accord.core.schedule import HolidayMode, build_schedule
from accord.core.types import Method, Schedule

CASES = json.loads((Path(__file__).parent / "data" / "schedule_known_answers.json").read_text())
START = date(2026, 1, 15)


def make(**kw: Any) -> Schedule:
    args: dict[str, Any] = {
        "principal": Money.parse("100000.00"),
        "annual_rate": Decimal("0.12"),
        "months": 12,
        "method": Method.EQUAL_INSTALLMENT,
        "start": START,
    }
    args.update(kw)
    return build_schedule(**args)


def reconciles(s: Schedule) -> None:
    assert sum(i.principal.minor for i in s.installments) == (
        s.principal.minor + s.total_capitalised.minor
    )
    for a, b in zip(s.installments, s.installments[1:], strict=False):
        assert a.closing_principal == b.opening_principal
    assert s.installments[-1].closing_principal.is_zero()


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"])
def test_known_answers(case: dict[str, Any]) -> None:
    s = make(
        principal=Money.parse(case["principal"]),
        annual_rate=Decimal(case["annual_rate"]),
        months=case["months"],
        method=Method(case["method"]),
    )
    inst, exp = s.installments, case["expect"]
    assert len(inst) == case["months"]
    reconciles(s)
    if "payments_but_last" in exp:
        assert {i.payment.amount_str() for i in inst[:-1]} == {exp["payments_but_last"]}
    if "principal_parts_but_last" in exp:
        assert {i.principal.amount_str() for i in inst[:-1]} == {exp["principal_parts_but_last"]}
    if "last_principal" in exp:
        assert inst[-1].principal.amount_str() == exp["last_principal"]
    if "first_interest" in exp:
        assert inst[0].interest.amount_str() == exp["first_interest"]
    if "first_principal" in exp:
        assert inst[0].principal.amount_str() == exp["first_principal"]
    if "first_payments" in exp:
        got = [i.payment.amount_str() for i in inst[: len(exp["first_payments"])]]
        assert got == exp["first_payments"]


def test_equal_installment_last_absorbs_residual_and_interest_is_half_up() -> None:
    s = make()
    last = s.installments[-1]
    assert last.payment != Money.parse("8884.88")
    assert abs(last.payment.minor - 888488) <= 12
    for i in s.installments:
        exact = Decimal(i.opening_principal.minor) * Decimal("0.01")
        assert i.interest.minor == int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def test_exact_ties_round_up_although_the_monthly_rate_does_not_terminate() -> None:
    # 1.65 at 40 %: one month's interest is 165 × 0.4 / 12 = 5.5 fen exactly -> 6 fen.
    s = make(principal=Money(165), annual_rate=Decimal("0.4"), months=1)
    assert s.installments[0].interest == Money(6)


def test_interest_only_is_a_balloon() -> None:
    s = make(method=Method.INTEREST_ONLY, months=6)
    assert [i.payment.amount_str() for i in s.installments] == ["1000.00"] * 5 + ["101000.00"]
    reconciles(s)


def test_zero_rate_splits_the_principal() -> None:
    s = make(annual_rate=Decimal(0), months=3, principal=Money.parse("100.00"))
    assert [i.payment.minor for i in s.installments] == [3333, 3333, 3334]
    assert s.total_interest.is_zero()


def test_step_up_steps_and_amortises() -> None:
    s = make(method=Method.STEP_UP, months=24, step_rate=Decimal("0.10"), step_every=6)
    pays = [i.payment.minor for i in s.installments]
    levels = [pays[0], pays[6], pays[12], pays[18]]
    assert all(len(set(pays[k : k + 6])) == 1 for k in (0, 6, 12))
    for lo, hi in itertools.pairwise(levels):
        assert abs(Decimal(hi) - Decimal(lo) * Decimal("1.1")) <= 1
    reconciles(s)
    # without growth, STEP_UP is exactly EQUAL_INSTALLMENT
    flat = make(method=Method.STEP_UP, step_rate=Decimal(0))
    assert flat.installments == make().installments


def test_step_up_refuses_negative_amortisation() -> None:
    with pytest.raises(InvalidSchedule, match="does not cover the interest"):
        make(method=Method.STEP_UP, months=120, step_rate=Decimal(1), step_every=12)


def test_irregular_first_period_accrues_by_day_count() -> None:
    regular = make()
    first_due = date(2026, 3, 1)  # 45 days after 15 January
    s = make(first_due=first_due, day_count=DayCount.ACT_365F)
    first = s.installments[0]
    assert first.due_date == first_due
    assert s.installments[1].due_date == date(2026, 4, 1)
    exact = Decimal(10_000_000) * Decimal("0.12") * 45 / 365
    assert first.interest.minor == int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    # the first period repays the same principal as the regular schedule; the rest is identical
    assert first.principal == regular.installments[0].principal
    assert s.installments[1:] != regular.installments[1:]
    assert [i.payment for i in s.installments[1:]] == [i.payment for i in regular.installments[1:]]
    reconciles(s)


def test_holiday_capitalise_and_freeze() -> None:
    cap = make(holiday_months=3, holiday_start=1)
    frozen = make(holiday_months=3, holiday_start=1, holiday_mode=HolidayMode.FREEZE)
    for s in (cap, frozen):
        assert len(s.installments) == 12
        assert all(i.payment.is_zero() for i in s.installments[:3])
        assert all(not i.payment.is_zero() for i in s.installments[3:])
        reconciles(s)
    assert [i.capitalised for i in cap.installments[:3]] == [
        Money.parse("1000.00"),
        Money.parse("1010.00"),
        Money.parse("1020.10"),
    ]
    assert cap.installments[3].opening_principal == Money.parse("103030.10")
    assert frozen.total_capitalised.is_zero()
    assert [i.capitalised for i in frozen.installments[:4]] == [Money(0)] * 3 + [None]
    assert frozen.installments[3].opening_principal == Money.parse("100000.00")
    # a frozen holiday just postpones a 9-month loan: same level payment, no extra interest
    nine = make(months=9)
    assert [i.payment for i in frozen.installments[3:]] == [i.payment for i in nine.installments]
    assert cap.total_interest > frozen.total_interest


def test_mid_term_holiday_reamortises() -> None:
    s = make(method=Method.EQUAL_PRINCIPAL, holiday_months=2, holiday_start=5)
    assert [i.payment.is_zero() for i in s.installments].count(True) == 2
    assert s.installments[4].payment.is_zero()
    assert s.installments[5].payment.is_zero()
    reconciles(s)


def test_business_day_adjustment_moves_dates_not_interest() -> None:
    plain = make(start=date(2026, 8, 1))
    adjusted = make(
        start=date(2026, 8, 1),
        calendar=ChinaCalendar(),
        convention=BusinessDayConvention.FOLLOWING,
    )
    assert plain.installments[1].due_date == date(2026, 10, 1)
    assert adjusted.installments[1].due_date == date(2026, 10, 8)
    assert adjusted.installments[2].due_date == date(2026, 11, 2)  # Sunday 1 Nov -> Monday
    same = [(i.principal, i.interest) for i in plain.installments]
    assert same == [(i.principal, i.interest) for i in adjusted.installments]


def test_month_end_start_clamps() -> None:
    s = make(start=date(2026, 1, 31), months=3)
    assert [i.due_date for i in s.installments] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_fees_are_added_to_payments() -> None:
    s = make(fees=Money.parse("5.00"), holiday_months=1)
    assert s.installments[0].payment.is_zero()
    assert all(i.fees == Money.parse("5.00") for i in s.installments[1:])
    extra = s.total_interest + s.total_capitalised + Money.parse("55.00")
    assert s.total_payment == s.principal + extra


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"months": 0}, "months"),
        ({"months": 601}, "months"),
        ({"annual_rate": Decimal("1.5")}, "annual_rate"),
        ({"annual_rate": Decimal("-0.01")}, "annual_rate"),
        ({"annual_rate": 0.12}, "Decimal"),
        ({"principal": Money(0)}, "positive"),
        ({"holiday_months": 12}, "holiday"),
        ({"holiday_months": 2, "holiday_start": 11}, "holiday"),
        ({"first_due": START}, "first_due"),
        ({"step_every": 0}, "step_every"),
        ({"fees": Money(100, "USD")}, "currency"),
        ({"method": "balloon"}, "balloon"),
        ({"day_count": "act/366"}, "act/366"),
    ],
)
def test_invalid_parameters(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSchedule, match=message):
        make(**kw)
