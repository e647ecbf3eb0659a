"""Day-count conventions: how many years lie between two dates, exactly.

Every convention here reduces to *an integer number of days over an integer basis*
(:func:`day_count_ratio`), which lets schedule code round interest with pure integer arithmetic.
:func:`year_fraction` returns the same ratio as a ``Decimal`` for display and for rate solving.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum


class DayCount(StrEnum):
    """Supported day-count conventions (values are the CLI/JSON spelling)."""

    ACT_365F = "act/365f"  # actual days / 365 (fixed); the usual choice for CNY loans
    ACT_360 = "act/360"  # actual days / 360
    THIRTY_360 = "30/360"  # 30/360 Bond Basis (ISDA 2006 §4.16(f)), a.k.a. 30/360 US bond


_BASIS = {DayCount.ACT_365F: 365, DayCount.ACT_360: 360, DayCount.THIRTY_360: 360}


def _thirty_360_days(start: date, end: date) -> int:
    # Bond Basis: D1 = 31 -> 30; D2 = 31 -> 30 only when D1 (after adjustment) is 30.
    # (Unlike the NASD/"US" variant, there is no end-of-February rule.)
    d1 = min(start.day, 30)
    d2 = end.day
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def day_count_ratio(start: date, end: date, convention: DayCount) -> tuple[int, int]:
    """Return ``(days, basis)`` with ``year_fraction == days / basis`` exactly.

    ``days`` is signed (negative when ``end`` precedes ``start``); ``basis`` is 365 or 360.
    """
    conv = DayCount(convention)
    if conv is DayCount.THIRTY_360:
        return _thirty_360_days(start, end), 360
    return (end - start).days, _BASIS[conv]


def year_fraction(start: date, end: date, convention: DayCount = DayCount.ACT_365F) -> Decimal:
    """Years between ``start`` and ``end`` under ``convention`` as a ``Decimal``.

    The value is ``days / basis`` from :func:`day_count_ratio`; it is exact whenever the quotient
    terminates (e.g. 30/360 month ends, ACT/360) and otherwise correct to the 28 significant
    digits of the default decimal context. Code that must round money uses the integer ratio.
    """
    days, basis = day_count_ratio(start, end, convention)
    return Decimal(days) / Decimal(basis)
