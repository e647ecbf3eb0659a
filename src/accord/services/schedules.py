"""``preview_schedule``: an exact repayment schedule with its totals and APR (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accord.core.apr import apr
from accord.core.money import Money
from accord.core.schedule import HolidayMode, build_schedule
from accord.core.types import Method, Schedule


@dataclass(frozen=True, slots=True)
class SchedulePreview:
    """A schedule plus the disclosures a borrower must see: totals and the IRR-based APR."""

    schedule: Schedule
    total_interest: Money
    total_payment: Money
    apr: Decimal


def preview_schedule(
    *,
    principal: Money,
    annual_rate: Decimal,
    months: int,
    method: Method,
    start: date,
    holiday_months: int = 0,
    holiday_mode: HolidayMode = HolidayMode.CAPITALISE,
    step_rate: Decimal = Decimal(0),
    step_every: int = 12,
) -> SchedulePreview:
    """Build the schedule and compute its annualised rate by IRR over the actual cash flows."""
    schedule = build_schedule(
        principal=principal,
        annual_rate=annual_rate,
        months=months,
        method=method,
        start=start,
        holiday_months=holiday_months,
        holiday_mode=holiday_mode,
        step_rate=step_rate,
        step_every=step_every,
    )
    flows = [(start, -principal)] + [(i.due_date, i.payment) for i in schedule.installments]
    rate = apr(flows) if annual_rate > 0 else Decimal(0)
    return SchedulePreview(schedule, schedule.total_interest, schedule.total_payment, rate)
