from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.calendar import (
    BusinessDayConvention,
    ChinaCalendar,
    HolidaysCalendar,
    WeekendCalendar,
    add_months,
    adjust,
)
from accord.core.errors import CoreError

CN = ChinaCalendar()


def test_national_day_golden_week_2026_is_not_business() -> None:
    # 2026 National Day: 1-7 October off (State Council arrangement for 2026, as shipped in
    # chinesecalendar 1.11); Thursday 8 October is a normal working day.
    for day in range(1, 8):
        assert not CN.is_business_day(date(2026, 10, day)), day
    assert CN.is_business_day(date(2026, 10, 8))


def test_make_up_saturday_is_a_business_day() -> None:
    # Saturday 2026-10-10 and Sunday 2026-09-20 are the National Day 调休 make-up working days.
    saturday = date(2026, 10, 10)
    assert saturday.weekday() == 5
    assert CN.is_business_day(saturday)
    assert not WeekendCalendar().is_business_day(saturday)
    assert CN.is_business_day(date(2026, 9, 20))
    assert adjust(date(2026, 10, 10), BusinessDayConvention.FOLLOWING, CN) == saturday


def test_following_skips_golden_week() -> None:
    assert adjust(date(2026, 10, 1), BusinessDayConvention.FOLLOWING, CN) == date(2026, 10, 8)
    assert adjust(date(2026, 10, 1), BusinessDayConvention.PRECEDING, CN) == date(2026, 9, 30)
    assert adjust(date(2026, 10, 3), BusinessDayConvention.UNADJUSTED, CN) == date(2026, 10, 3)


def test_modified_following_stays_in_month() -> None:
    # Saturday 2026-01-31: following would be Monday 2 February, so roll back to Friday 30th.
    sat = date(2026, 1, 31)
    assert adjust(sat, BusinessDayConvention.FOLLOWING) == date(2026, 2, 2)
    assert adjust(sat, BusinessDayConvention.MODIFIED_FOLLOWING) == date(2026, 1, 30)
    # Mid-month it behaves like FOLLOWING.
    assert adjust(date(2026, 1, 17), BusinessDayConvention.MODIFIED_FOLLOWING) == date(2026, 1, 19)
    # China: 2026-09-30 is a Wednesday and a workday, so it is kept.
    assert adjust(date(2026, 9, 30), BusinessDayConvention.MODIFIED_FOLLOWING, CN) == date(
        2026, 9, 30
    )


def test_china_calendar_falls_back_to_weekends_outside_data() -> None:
    far = date(2040, 10, 1)  # a Monday; no official arrangement published for 2040
    assert not CN.covers(far)
    assert CN.covers(date(2026, 10, 1))
    assert CN.is_business_day(far)
    assert not CN.is_business_day(far + timedelta(days=5))


def test_holidays_calendar_us_and_unknown_country() -> None:
    us = HolidaysCalendar("US")
    assert not us.is_business_day(date(2026, 7, 3))  # Independence Day observed (Friday)
    assert us.is_business_day(date(2026, 7, 6))
    assert adjust(date(2026, 7, 3), BusinessDayConvention.FOLLOWING, us) == date(2026, 7, 6)
    with pytest.raises(CoreError):
        HolidaysCalendar("XX")


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
    ],
)
def test_add_months_clamps_to_month_end(d: date, n: int, expected: date) -> None:
    assert add_months(d, n) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(-600, 600))
def test_add_months_lands_in_the_right_month(d: date, n: int) -> None:
    out = add_months(d, n)
    assert out.year * 12 + out.month == d.year * 12 + d.month + n
    assert out.day == d.day or (out.day < d.day and (out + timedelta(days=1)).day == 1)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(list(BusinessDayConvention)),
)
def test_adjust_returns_a_business_day_near_the_date(d: date, conv: BusinessDayConvention) -> None:
    out = adjust(d, conv, CN)
    if conv is BusinessDayConvention.UNADJUSTED:
        assert out == d
        return
    assert CN.is_business_day(out)
    assert abs((out - d).days) <= 10
    if conv is BusinessDayConvention.MODIFIED_FOLLOWING:
        assert out.month == d.month
