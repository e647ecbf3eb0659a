"""Business days, due-date adjustment and month arithmetic.

A :class:`Calendar` answers one question, "is this a business day?". :func:`adjust` moves a date
to a business day by an ISDA-style :class:`BusinessDayConvention`, and :func:`add_months` steps
along a monthly grid with end-of-month clamping. Holiday data comes from the maintained
``chinese_calendar`` (mainland China statutory holidays and 调休 make-up working days) and
``holidays`` (other countries) packages; nothing is downloaded.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import Final, Protocol, runtime_checkable

import chinese_calendar
import holidays as _holidays

from accord.core.errors import CoreError

#: Longest run of non-business days :func:`adjust` will walk before giving up.
MAX_ROLL_DAYS: Final = 366


class BusinessDayConvention(StrEnum):
    """How a due date falling on a non-business day is moved."""

    UNADJUSTED = "unadjusted"  # keep the date
    FOLLOWING = "following"  # next business day
    MODIFIED_FOLLOWING = "modified-following"  # next, unless that leaves the month: previous
    PRECEDING = "preceding"  # previous business day


@runtime_checkable
class Calendar(Protocol):
    """Anything that can tell business days from non-business days."""

    def is_business_day(self, d: date) -> bool:
        """True when ``d`` is a working day on which payments are due."""
        ...


class WeekendCalendar:
    """Monday to Friday are business days; no holidays. The fallback everywhere."""

    def is_business_day(self, d: date) -> bool:
        """True from Monday to Friday."""
        return d.weekday() < 5


class ChinaCalendar:
    """Mainland China working days, including 调休 make-up working days.

    Uses ``chinese_calendar.is_workday``: statutory holidays (e.g. National Day) are not
    business days, and a weekend day declared a make-up working day (e.g. Saturday
    2026-10-10) *is* one. The package only covers the years it ships data for (2004–2026 in
    chinesecalendar 1.11); for a date outside them it raises ``NotImplementedError`` and this
    calendar falls back to weekends only (Monday–Friday are business days), because the State
    Council publishes each year's arrangement only a few weeks before the year begins.
    :meth:`covers` tells whether a date is backed by published data.
    """

    def covers(self, d: date) -> bool:
        """True when the package has the official arrangement for ``d``'s year."""
        try:
            chinese_calendar.is_workday(d)
        except NotImplementedError:
            return False
        return True

    def is_business_day(self, d: date) -> bool:
        """Official working day in mainland China (weekday fallback outside covered years)."""
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            return d.weekday() < 5


class HolidaysCalendar:
    """Weekends plus public holidays of a country from the ``holidays`` package.

    ``country_code`` is ISO 3166-1 alpha-2 (``"US"``, ``"GB"``, ``"HK"``); ``subdiv`` selects a
    subdivision where holidays differ (``"ENG"`` for England). The country's own weekend (Friday
    and Saturday in some countries) and any weekend working days it defines are respected.
    Unknown codes raise :class:`~accord.core.errors.CoreError`.
    """

    def __init__(self, country_code: str, subdiv: str | None = None) -> None:
        try:
            self._holidays = _holidays.country_holidays(country_code, subdiv=subdiv)
        except NotImplementedError as exc:
            raise CoreError(f"no holiday calendar for {country_code!r}: {exc}") from None
        self.country_code = country_code
        self.subdiv = subdiv

    def is_business_day(self, d: date) -> bool:
        """Not a weekend (for this country) and not a public holiday."""
        return bool(self._holidays.is_working_day(d))


def _roll(d: date, step: int, is_bd: Callable[[date], bool]) -> date:
    for _ in range(MAX_ROLL_DAYS):
        if is_bd(d):
            return d
        d += timedelta(days=step)
    raise CoreError(f"no business day within {MAX_ROLL_DAYS} days of {d}")


def adjust(
    d: date,
    convention: BusinessDayConvention,
    calendar: Calendar | None = None,
) -> date:
    """Move ``d`` to a business day of ``calendar`` by ``convention``.

    ``calendar`` defaults to :class:`WeekendCalendar`. MODIFIED_FOLLOWING takes the next
    business day unless it falls in a later month, in which case it takes the previous one.
    """
    conv = BusinessDayConvention(convention)
    if conv is BusinessDayConvention.UNADJUSTED:
        return d
    is_bd = (calendar or WeekendCalendar()).is_business_day
    if conv is BusinessDayConvention.PRECEDING:
        return _roll(d, -1, is_bd)
    nxt = _roll(d, 1, is_bd)
    if conv is BusinessDayConvention.MODIFIED_FOLLOWING and nxt.month != d.month:
        return _roll(d, -1, is_bd)
    return nxt


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months, clamped to the month end (Jan 31 + 1 → Feb 28/29).

    Always computed from ``d`` itself, so ``add_months(jan31, 2)`` is Mar 31, not Mar 28.
    """
    month0 = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month0, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise CoreError(f"{d} + {n} months is outside the supported date range")
    day = min(d.day, _stdcal.monthrange(year, month)[1])
    return date(year, month, day)
