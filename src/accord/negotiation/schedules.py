"""The one adapter between the engine's plan specs and :mod:`accord.core`'s exact schedules.

Valuation works on float streams over the whole grid; only the recommended plan and the menu get
an exact schedule, built here by :func:`accord.core.schedule.build_schedule` (integer minor units,
half-up rounding, the last instalment absorbs the residual) and priced with
:func:`accord.core.apr.apr`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from accord.core.money import Money
from accord.core.types import Method, Schedule
from accord.negotiation.plans import PlanKind, PlanSpec
from accord.negotiation.policy import Limits

#: Plan rates are quantised to 1e-6 (0.0001 percentage points) before scheduling.
RATE_PLACES: Final = Decimal("0.000001")


def plan_rate(spec: PlanSpec, contract_rate: Decimal, limits: Limits) -> Decimal:
    """The plan's annual rate: contract × factor, capped by the pack, quantised to 1e-6."""
    if spec.kind is PlanKind.SETTLEMENT:
        return Decimal(0)
    rate = min(contract_rate * spec.rate_factor, limits.max_annual_rate)
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def plan_principal(spec: PlanSpec, owed: Money) -> Money:
    """What the plan repays: the amount owed less the haircut (or settlement discount)."""
    cut = spec.discount if spec.kind is PlanKind.SETTLEMENT else spec.haircut
    return owed.scale(1 - cut, rounding=ROUND_HALF_UP)


def exact_schedule(
    spec: PlanSpec, *, owed: Money, contract_rate: Decimal, limits: Limits, start: date
) -> Schedule:
    """The exact schedule of ``spec`` for a case owing ``owed`` at ``contract_rate`` from ``start``.

    Equal instalments (等额本息), or step-up (+``step_rate`` every 12 payments); a holiday
    occupies the first ``holiday_months`` instalments, capitalising interest, or freezing it
    when the plan rate is zero. A settlement is one instalment a month after ``start``.
    """
    from accord.core.schedule import HolidayMode, build_schedule

    rate = plan_rate(spec, contract_rate, limits)
    schedule: Schedule = build_schedule(
        principal=plan_principal(spec, owed),
        annual_rate=rate,
        months=spec.months,
        method=Method.STEP_UP if spec.step_rate > 0 else Method.EQUAL_INSTALLMENT,
        start=start,
        holiday_months=spec.holiday_months,
        holiday_start=1,
        holiday_mode=HolidayMode.FREEZE if rate == 0 else HolidayMode.CAPITALISE,
        step_rate=spec.step_rate,
        step_every=12,
    )
    return schedule


def schedule_apr(schedule: Schedule, *, advanced: Money) -> Decimal:
    """Effective annual rate of the plan seen as ``advanced`` on the start date repaid by the
    schedule's payments (exactly 0 when the payments add up to the amount advanced)."""
    from accord.core.apr import apr

    flows = [(schedule.start, advanced)] + [
        (i.due_date, -i.payment) for i in schedule.installments if not i.payment.is_zero()
    ]
    if sum(m.minor for _, m in flows) == 0:
        return Decimal(0)
    rate: Decimal = apr(flows)
    return rate


def schedules_available() -> bool:
    """True once :mod:`accord.core.schedule` and :mod:`accord.core.apr` are importable."""
    try:
        import accord.core.apr
        import accord.core.schedule  # noqa: F401
    except ImportError:
        return False
    return True
