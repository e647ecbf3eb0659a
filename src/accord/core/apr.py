"""Annualised rates of a loan's cash flows (IRR), as Chinese disclosure rules require.

Two figures, both internal rates of return of the same flows:

* :func:`apr` — the *effective* annual rate ``r`` with ``Σ cᵢ·(1+r)^(−tᵢ) = 0`` where ``tᵢ`` is
  the year fraction from the first flow under a day count (ACT/365F by default). This is the
  date-exact "annualised rate by IRR"; a 1 %-a-month loan shows about 12.68 %.
* :func:`nominal_apr_monthly` — ``12 ×`` the monthly IRR of a regular monthly schedule. This is
  the 年化利率 (IRR 法) figure Chinese lenders usually print; the same loan shows 12.00 %.

Both are solved in ``Decimal`` at 50 significant digits by safeguarded Newton iteration (a
Newton step is taken only while it stays inside a sign-change bracket, otherwise the bracket is
bisected). The result is rounded to 12 decimal places and *verified*: the discounted sum changes
sign between ``rate − TOLERANCE`` and ``rate + TOLERANCE`` (or is exactly zero at ``rate``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import Final

from accord.core.daycount import DayCount, day_count_ratio
from accord.core.errors import InvalidCashflows
from accord.core.money import Money
from accord.core.types import Schedule

#: Guaranteed distance of a returned rate from the exact root.
TOLERANCE: Final = Decimal("1e-10")
_PREC: Final = 50
_PLACES: Final = Decimal("1e-12")
_LOWEST: Final = Decimal("-0.999999")
_HIGHEST: Final = Decimal(10) ** 9
_MAX_ITER: Final = 400
_STEP_STOP: Final = Decimal("1e-40")

_Flows = list[tuple[int, int]]  # (exponent in periods, amount in minor units)


def _check(amounts: Sequence[Money]) -> None:
    if len(amounts) < 2:
        raise InvalidCashflows("need at least two cash flows")
    currencies = {m.currency for m in amounts}
    if len(currencies) != 1:
        raise InvalidCashflows(f"cash flows mix currencies {sorted(currencies)}")
    if not (any(m.minor > 0 for m in amounts) and any(m.minor < 0 for m in amounts)):
        raise InvalidCashflows("cash flows have no sign change, so no rate of return exists")


def _npv(flows: _Flows, x: Decimal) -> tuple[Decimal, Decimal]:
    """Σ c·x^e and its derivative, with x = 1/(1+ρ) the discount factor per period."""
    value, slope = Decimal(0), Decimal(0)
    for e, c in flows:
        xe = x**e
        value += c * xe
        if e:
            slope += c * e * xe / x
    return value, slope


def _solve(flows: _Flows, periods_per_year: int) -> Decimal:
    """Per-period rate ρ solving Σ c·(1+ρ)^(−e) = 0, searching annual rates in (−1, 10⁹]."""

    def x_of(annual: Decimal) -> Decimal:
        return (1 + annual) ** (Decimal(-1) / periods_per_year)

    def sign(annual: Decimal) -> int:
        v = _npv(flows, x_of(annual))[0]
        return (v > 0) - (v < 0)

    lo, hi = _LOWEST, Decimal(1)
    s_lo = sign(lo)
    if s_lo == 0:
        return 1 / x_of(lo) - 1
    s_hi = sign(hi)
    while s_hi == s_lo and hi < _HIGHEST:
        lo, hi = hi, hi * 10
        s_hi = sign(hi)
    if s_hi == s_lo:
        raise InvalidCashflows("no annual rate between -99.9999% and 10^9 discounts flows to 0")
    # x decreases as the rate rises, so the bracket in x is [x(hi), x(lo)].
    a, b = x_of(hi), x_of(lo)
    fa = _npv(flows, a)[0]
    # Safeguarded Newton ("rtsafe"): start near 10 % a year; bisect whenever Newton would leave
    # the bracket or is not at least halving the step (far from the root, a polynomial of
    # degree ~10⁴ in x makes plain Newton crawl).
    x = x_of(Decimal("0.1"))
    if not a < x < b:
        x = (a + b) / 2
    dx_old = b - a
    for _ in range(_MAX_ITER):
        fx, dfx = _npv(flows, x)
        if fx == 0:
            break
        if (fx > 0) == (fa > 0):
            a, fa = x, fx
        else:
            b = x
        step = fx / dfx if dfx else b - a
        if abs(step) <= abs(x) * _STEP_STOP:
            x -= step
            break
        nxt = x - step
        if not a < nxt < b or abs(2 * step) > abs(dx_old):
            nxt = (a + b) / 2
        dx_old, x = nxt - x, nxt
    return 1 / x - 1


def _verified(flows: _Flows, annual: Decimal, to_periodic: Callable[[Decimal], Decimal]) -> Decimal:
    """Round ``annual`` to 12 places and check the exact root lies within TOLERANCE of it."""
    annual = annual.quantize(_PLACES)
    v_lo = _npv(flows, 1 / (1 + to_periodic(annual - TOLERANCE)))[0]
    v_hi = _npv(flows, 1 / (1 + to_periodic(annual + TOLERANCE)))[0]
    if v_lo != 0 and v_hi != 0 and (v_lo > 0) == (v_hi > 0):
        raise InvalidCashflows(f"rate did not converge near {annual}")  # pragma: no cover
    return annual


def apr(flows: Sequence[tuple[date, Money]], *, day_count: DayCount = DayCount.ACT_365F) -> Decimal:
    """Effective annual IRR of dated cash flows (sign convention free: lender or borrower view).

    Flow times are year fractions from the earliest date under ``day_count``, i.e. integer day
    counts over a 365- or 360-day basis, so the rate is solved per day and compounded to a year:
    ``r = (1+ρ)^basis − 1``. Returns ``r`` rounded to 12 places and within :data:`TOLERANCE`
    of the exact root. Raises :class:`InvalidCashflows` for fewer than two flows, mixed
    currencies, no sign change, or no root in (−99.9999 %, 10⁹).
    """
    _check([m for _, m in flows])
    t0 = min(d for d, _ in flows)
    basis = day_count_ratio(t0, t0, day_count)[1]
    exps = [(day_count_ratio(t0, d, day_count)[0], m.minor) for d, m in flows]
    with localcontext() as ctx:
        ctx.prec = _PREC
        annual = (1 + _solve(exps, basis)) ** basis - 1
        root = Decimal(1) / basis
        return _verified(exps, annual, lambda a: (1 + a) ** root - 1)


def monthly_irr(amounts: Sequence[Money]) -> Decimal:
    """IRR per period of regularly spaced flows: ``amounts[k]`` falls at the end of period k."""
    _check(amounts)
    flows = [(k, m.minor) for k, m in enumerate(amounts)]
    with localcontext() as ctx:
        ctx.prec = _PREC
        return _solve(flows, 12)


def nominal_apr_monthly(amounts: Sequence[Money]) -> Decimal:
    """12 × the monthly IRR of a regular monthly schedule (the usual Chinese 年化利率 by IRR).

    ``amounts[0]`` is the drawdown at month 0 and ``amounts[k]`` the payment at month k (use a
    zero amount for a payment holiday); dates are ignored, every month counts the same. Returns
    the rate rounded to 12 places, within :data:`TOLERANCE` of the exact ``12 × IRR``.
    """
    _check(amounts)
    flows = [(k, m.minor) for k, m in enumerate(amounts)]
    with localcontext() as ctx:
        ctx.prec = _PREC
        return _verified(flows, 12 * _solve(flows, 12), lambda a: a / 12)


def schedule_flows(schedule: Schedule) -> list[tuple[date, Money]]:
    """Lender-view flows of a schedule: ``−principal`` at ``start``, then each payment when due."""
    out = [(schedule.start, -schedule.principal)]
    out.extend((i.due_date, i.payment) for i in schedule.installments)
    return out
