from datetime import date
from decimal import Decimal

import pytest

from accord.core.daycount import DayCount, day_count_ratio, year_fraction


def test_act_365f_and_act_360_count_actual_days() -> None:
    # 2024 is a leap year: 366 actual days.
    assert day_count_ratio(date(2024, 1, 1), date(2025, 1, 1), DayCount.ACT_365F) == (366, 365)
    assert year_fraction(date(2024, 1, 1), date(2024, 3, 1), DayCount.ACT_360) == Decimal(60) / 360


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # ISDA 2006 §4.16(f) Bond Basis: D1 31 -> 30; D2 31 -> 30 only if D1 is then 30.
        (date(2007, 1, 31), date(2007, 2, 28), 28),
        (date(2007, 1, 31), date(2007, 3, 31), 60),
        (date(2007, 1, 15), date(2007, 3, 31), 76),
        (date(2007, 2, 28), date(2007, 3, 31), 33),  # no end-of-February rule in Bond Basis
        (date(2026, 1, 15), date(2027, 1, 15), 360),
    ],
)
def test_thirty_360_bond_basis(start: date, end: date, days: int) -> None:
    assert day_count_ratio(start, end, DayCount.THIRTY_360) == (days, 360)


def test_year_fraction_is_exact_when_it_terminates_and_signed() -> None:
    assert year_fraction(date(2026, 1, 15), date(2026, 4, 15), DayCount.THIRTY_360) == Decimal(
        "0.25"
    )
    assert year_fraction(date(2026, 2, 1), date(2026, 1, 1)) == Decimal(-31) / 365
    assert DayCount("30/360") is DayCount.THIRTY_360
