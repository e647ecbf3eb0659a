"""Repayment schedules: the one exact entry point :func:`build_schedule`.

Conventions (Chinese banks' practice for 等额本息 / 等额本金, and the DESIGN.md money rules):

* The periodic rate is ``annual_rate / 12`` for every regular monthly period. Only an irregular
  first period (``first_due`` not one month after ``start``) accrues by day count.
* Interest of an installment is ``balance × periodic rate`` rounded half-up to the minor unit.
* Amounts are computed with integer arithmetic on the exact rational value of the rate
  (``Decimal.as_integer_ratio``), so no rounding happens anywhere except at those named points.
* The last installment repays the remaining balance, so principal parts always reconcile.
* Interest accrues on the *unadjusted* monthly grid; business-day adjustment moves only the
  due dates shown to the debtor (a payment due on Monday instead of Saturday is not charged
  two more days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from math import gcd
from typing import Final

from accord.core.calendar import BusinessDayConvention, Calendar, add_months, adjust
from accord.core.daycount import DayCount, day_count_ratio
from accord.core.errors import InvalidSchedule
from accord.core.money import Money
from accord.core.types import Installment, Method, Schedule

MAX_MONTHS: Final = 600
#: ``first_due`` may lie at most this many months after ``start``.
MAX_FIRST_PERIOD_MONTHS: Final = 12


class HolidayMode(StrEnum):
    """What happens to interest during a payment holiday."""

    CAPITALISE = "capitalise"  # interest accrues and is added to the principal
    FREEZE = "freeze"  # no interest accrues (停息)


def round_half_up_div(num: int, den: int) -> int:
    """``num / den`` rounded half-up to an integer, exactly; requires ``num >= 0 < den``."""
    return (2 * num + den) // (2 * den)


def _ratio(x: Decimal) -> tuple[int, int]:
    num, den = x.as_integer_ratio()
    return num, den


def annuity_payment(balance: int, rate_num: int, rate_den: int, n: int) -> int:
    """Level payment (minor units) repaying ``balance`` over ``n`` periods at ``rate_num/rate_den``.

    The closed form ``B·r·(1+r)^n / ((1+r)^n − 1)`` evaluated as an exact fraction and rounded
    half-up; ``balance / n`` rounded half-up when the rate is zero.
    """
    if rate_num == 0:
        return round_half_up_div(balance, n)
    a_n = (rate_den + rate_num) ** n
    b_n = rate_den**n
    return round_half_up_div(balance * rate_num * a_n, rate_den * (a_n - b_n))


def step_up_levels(
    balance: int, rate_num: int, rate_den: int, n: int, g_num: int, g_den: int, exps: list[int]
) -> list[int]:
    """Payments (minor units) for ``n`` periods where period ``k`` pays ``X·g^exps[k]``.

    ``X`` solves ``Σ_k X·g^e_k / (1+r)^k = balance`` exactly; with ``A/B = 1 + r`` the sum is
    multiplied through by ``A^n·g_den^J`` so only integers appear. Each level is rounded half-up.
    """
    a, b = rate_den + rate_num, rate_den
    top = max(exps)
    total = 0
    for k, e in enumerate(exps, start=1):
        total += b**k * a ** (n - k) * g_num**e * g_den ** (top - e)
    scale = balance * a**n
    cache: dict[int, int] = {}
    out = []
    for e in exps:
        if e not in cache:
            cache[e] = round_half_up_div(scale * g_num**e * g_den ** (top - e), total)
        out.append(cache[e])
    return out


@dataclass(frozen=True, slots=True)
class _Plan:
    """Targets for the payment installments of one amortising segment."""

    by_payment: bool  # True: targets are payments; False: targets are principal parts
    targets: tuple[int, ...]


def _plan(
    method: Method,
    balance: int,
    count: int,
    offset: int,
    m_num: int,
    m_den: int,
    step_rate: Decimal,
    step_every: int,
) -> _Plan:
    if method is Method.EQUAL_INSTALLMENT:
        return _Plan(True, (annuity_payment(balance, m_num, m_den, count),) * count)
    if method is Method.EQUAL_PRINCIPAL:
        return _Plan(False, (round_half_up_div(balance, count),) * count)
    if method is Method.INTEREST_ONLY:
        return _Plan(False, (0,) * count)
    g_num, g_den = _ratio(1 + step_rate)
    first_step = offset // step_every
    exps = [(offset + k) // step_every - first_step for k in range(count)]
    return _Plan(True, tuple(step_up_levels(balance, m_num, m_den, count, g_num, g_den, exps)))


def _validate(
    principal: Money,
    annual_rate: Decimal,
    months: int,
    start: date,
    first_due: date | None,
    holiday_months: int,
    holiday_start: int,
    step_rate: Decimal,
    step_every: int,
    fees: Money | None,
) -> None:
    def need(ok: bool, message: str) -> None:
        if not ok:
            raise InvalidSchedule(message)

    need(isinstance(principal, Money), "principal must be Money")
    need(principal.minor > 0, f"principal must be positive, got {principal.amount_str()}")
    need(isinstance(annual_rate, Decimal), "annual_rate must be a Decimal (not float)")
    need(annual_rate.is_finite(), "annual_rate must be finite")
    need(Decimal(0) <= annual_rate <= 1, f"annual_rate must be within 0..1, got {annual_rate}")
    need(type(months) is int, "months must be an int")
    need(1 <= months <= MAX_MONTHS, f"months must be within 1..{MAX_MONTHS}, got {months}")
    if first_due is not None:
        latest = add_months(start, MAX_FIRST_PERIOD_MONTHS)
        need(start < first_due <= latest, f"first_due must be after start and by {latest}")
    need(type(holiday_months) is int and holiday_months >= 0, "holiday_months must be >= 0")
    need(type(holiday_start) is int and holiday_start >= 1, "holiday_start must be >= 1")
    if holiday_months:
        need(
            holiday_start + holiday_months <= months,
            f"the holiday (installments {holiday_start}..{holiday_start + holiday_months - 1}) "
            f"must end before the last installment {months}",
        )
    need(isinstance(step_rate, Decimal) and step_rate.is_finite(), "step_rate must be a Decimal")
    need(Decimal(0) <= step_rate <= 1, f"step_rate must be within 0..1, got {step_rate}")
    need(type(step_every) is int and step_every >= 1, "step_every must be >= 1")
    if fees is not None:
        need(isinstance(fees, Money), "fees must be Money")
        need(fees.currency == principal.currency, "fees must be in the principal's currency")
        need(fees.minor >= 0, "fees must not be negative")


def build_schedule(
    *,
    principal: Money,
    annual_rate: Decimal,
    months: int,
    method: Method,
    start: date,
    first_due: date | None = None,
    day_count: DayCount = DayCount.ACT_365F,
    holiday_months: int = 0,
    holiday_start: int = 1,
    holiday_mode: HolidayMode = HolidayMode.CAPITALISE,
    step_rate: Decimal = Decimal(0),
    step_every: int = 12,
    calendar: Calendar | None = None,
    convention: BusinessDayConvention = BusinessDayConvention.UNADJUSTED,
    fees: Money | None = None,
) -> Schedule:
    """Build an exact monthly repayment schedule of ``months`` installments.

    ``method`` selects 等额本息 (EQUAL_INSTALLMENT: closed-form level payment, the last absorbs
    the residual), 等额本金 (EQUAL_PRINCIPAL: ``principal/months`` rounded half-up, the last takes
    the rest), 先息后本 (INTEREST_ONLY: balloon at the end) or 阶梯 (STEP_UP: the payment grows
    by ``step_rate`` every ``step_every`` payments, level within a step, first level solved in
    closed form so the loan amortises). Due dates lie on the monthly grid from ``first_due``
    (default one month after ``start``) and are moved by ``convention`` on ``calendar``; interest
    stays on the unadjusted grid. An irregular first period accrues ``balance × annual_rate ×
    year_fraction(start, first_due, day_count)`` but repays the same principal as a regular one.
    A payment holiday makes installments ``holiday_start .. holiday_start+holiday_months-1``
    payment-free (they stay in the schedule with zero payment); with CAPITALISE their interest
    is added to the balance (``Installment.capitalised``), with FREEZE none accrues; after the
    holiday the balance is re-amortised over the remaining payments by the same method, so
    ``months`` is the total term including the holiday. ``fees`` is added to every installment
    that has a payment. Where rounded level payments would repay more than is owed (loans of a
    few minor units a month, or extreme rate × term where the half-unit rounding compounds past
    a whole payment), principal parts are clamped to the balance and later installments fall to
    zero. Raises :class:`InvalidSchedule` for out-of-range
    parameters (months 1..600, rates 0..1, positive principal, holiday ending before the last
    installment) and for a STEP_UP whose early payments would not cover the interest.
    """
    try:
        method = Method(method)
        holiday_mode = HolidayMode(holiday_mode)
        day_count = DayCount(day_count)
        convention = BusinessDayConvention(convention)
    except ValueError as exc:
        raise InvalidSchedule(str(exc)) from None
    _validate(
        principal, annual_rate, months, start, first_due,
        holiday_months, holiday_start, step_rate, step_every, fees,
    )  # fmt: skip
    cur = principal.currency
    r_num, r_den = _ratio(annual_rate)
    g = gcd(r_num, 12 * r_den)
    m_num, m_den = r_num // g, 12 * r_den // g  # monthly rate = annual / 12, exact
    regular_first = add_months(start, 1)
    irregular = first_due is not None and first_due != regular_first
    # The grid is anchored on ``start`` (so Jan 31 gives Feb 28, Mar 31, ...) unless an
    # irregular first due date moves it; each date is computed from the anchor, never chained.
    anchor, shift = (first_due, 1) if first_due is not None and irregular else (start, 0)
    holiday = range(holiday_start, holiday_start + holiday_months)
    n_pay = months - holiday_months
    fee = fees.minor if fees is not None else 0

    rows: list[Installment] = []
    balance = principal.minor
    plan: _Plan | None = None
    paid = first_paid = 0
    for seq in range(1, months + 1):
        due = adjust(add_months(anchor, seq - shift), convention, calendar)
        regular_interest = round_half_up_div(balance * m_num, m_den)
        accrued = regular_interest
        if seq == 1 and irregular:
            days, basis = day_count_ratio(start, anchor, day_count)
            accrued = round_half_up_div(balance * r_num * days, r_den * basis)
        if seq in holiday:
            cap = accrued if holiday_mode is HolidayMode.CAPITALISE else 0
            zero = Money(0, cur)
            rows.append(
                Installment(seq, due, zero, zero, zero, Money(balance, cur), Money(cap, cur))
            )
            balance += cap
            plan = None
            continue
        if plan is None:
            plan = _plan(method, balance, n_pay - paid, paid, m_num, m_den, step_rate, step_every)
            first_paid = paid
        target = plan.targets[paid - first_paid]
        if paid == n_pay - 1:
            part = balance
        elif plan.by_payment:
            part = target - regular_interest
            if part < 0 and method is Method.STEP_UP:
                raise InvalidSchedule(
                    f"step-up payment {target} at installment {seq} does not cover the interest "
                    f"{regular_interest}; lower step_rate or raise step_every"
                )
            part = min(max(part, 0), balance)  # clamp: see the docstring (tiny loans, drift)
        else:
            part = min(target, balance)
        rows.append(
            Installment(
                seq,
                due,
                Money(part, cur),
                Money(accrued, cur),
                Money(fee, cur),
                Money(balance, cur),
            )
        )
        balance -= part
        paid += 1
    return Schedule(principal, annual_rate, method, start, tuple(rows))
