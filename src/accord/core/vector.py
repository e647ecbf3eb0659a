"""Vectorised twin of :func:`accord.core.schedule.build_schedule` for portfolio scale.

:func:`amortize` computes regular monthly schedules of many loans at once and agrees with
``build_schedule`` to the minor unit (tested by hypothesis against the scalar version). How
exactness survives vectorisation:

* **Rates are exact integers.** An annual rate must have at most :data:`RATE_DECIMALS` (8)
  decimal places and is held as ``N / 10⁸``; the monthly rate is then ``N / (12·10⁸)`` — the
  same rational number the scalar code uses.
* **Interest is integer arithmetic.** ``round_half_up(b·N / DEN) = ⌊(2·b·N + DEN) / (2·DEN)⌋``
  with ``DEN = 12·10⁸``, evaluated in int64. When ``2·b·N`` could overflow (balances above
  about 4.6·10¹⁰ minor units) the balance is split as ``b = b₁·2DEN + b₀``, which gives
  ``2·b₁·N + ⌊(2·b₀·N + DEN) / 2DEN⌋`` with every intermediate below 2⁶³.
* **The level payment is float, then verified.** ``x = P·r/(1 − (1+r)^−n)`` is computed in
  float64 via ``log1p``/``expm1`` (relative error a few ulps, well under 2⁻⁴⁰). Rounding half-up
  can only go wrong when ``x`` lies within that error of ``k + ½``; every loan whose ``x`` is
  within ``x·2⁻⁴⁰ + 2⁻³⁰`` of a half is recomputed exactly with Python integers
  (:func:`accord.core.schedule.annuity_payment`). That affects about ``2·x·2⁻⁴⁰`` of loans
  (≈ 10⁻⁶ for a 10⁶-minor-unit payment), so the exact path costs nothing measurable.
* Principal parts, clamping and the last-installment residual follow ``build_schedule`` step
  by step in int64, so the two agree exactly rather than approximately.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt

from accord.core.errors import InvalidSchedule
from accord.core.schedule import MAX_MONTHS, annuity_payment
from accord.core.types import Method

RATE_DECIMALS: Final = 8
RATE_SCALE: Final = 10**RATE_DECIMALS
#: Denominator of the monthly rate: ``annual / 12 = N / MONTHLY_DEN``.
MONTHLY_DEN: Final = 12 * RATE_SCALE
#: Largest principal accepted (float64 represents it exactly, with margin).
MAX_PRINCIPAL: Final = 10**15
_INT64_MAX: Final = 2**63 - 1
_TIE_REL: Final = 2.0**-40
_TIE_ABS: Final = 2.0**-30

IntArray = npt.NDArray[np.int64]
_SUPPORTED: Final = (Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY)


def rate_numerators(annual_rate: npt.ArrayLike | Sequence[Decimal]) -> IntArray:
    """Annual rates as int64 numerators over ``10⁸``; refuses rates outside 0..1 or too precise.

    Accepts float64 values (each must be the nearest double to a decimal with at most eight
    places, e.g. ``0.0435``) or ``Decimal`` objects (which must have at most eight places).
    """
    arr = np.asarray(annual_rate)
    if arr.dtype == object:
        nums = []
        for v in arr.ravel():
            dec = Decimal(v).scaleb(RATE_DECIMALS)
            if dec != dec.to_integral_value():
                raise InvalidSchedule(f"rate {v} has more than {RATE_DECIMALS} decimal places")
            nums.append(int(dec))
        out = np.array(nums, dtype=np.int64).reshape(arr.shape)
    else:
        scaled = arr.astype(np.float64) * RATE_SCALE
        if not np.all(np.isfinite(scaled)):
            raise InvalidSchedule("rates must be finite")
        out = np.rint(scaled).astype(np.int64)
        # A double nearest to an 8-place decimal ≤ 1 sits within ~1e-8 of N after scaling.
        if np.any(np.abs(scaled - out) > 1e-6):
            raise InvalidSchedule(f"rates must have at most {RATE_DECIMALS} decimal places")
    if np.any(out < 0) or np.any(out > RATE_SCALE):
        raise InvalidSchedule("annual rates must be within 0..1")
    return out


def _as_int64(values: npt.ArrayLike, name: str) -> IntArray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" and arr.size:
        raise InvalidSchedule(f"{name} must be integers, got {arr.dtype}")
    return arr.astype(np.int64)


def _interest_into(balance: IntArray, num: IntArray, split: bool, out: IntArray) -> None:
    """out = round_half_up(balance · num / MONTHLY_DEN), exactly in int64 (module docstring)."""
    two_den = 2 * MONTHLY_DEN
    if split:
        b1, b0 = np.divmod(balance, two_den)
        np.multiply(b0, num, out=out)
        out *= 2
        out += MONTHLY_DEN
        out //= two_den
        out += 2 * b1 * num
        return
    np.multiply(balance, num, out=out)
    out *= 2
    out += MONTHLY_DEN
    out //= two_den


def level_payments(principal: IntArray, num: IntArray, months: IntArray) -> IntArray:
    """Rounded closed-form annuity payments, exact (float estimate + exact tie re-check)."""
    pay = (2 * principal + months) // (2 * months)  # zero-rate loans
    pos = num > 0
    if np.any(pos):
        p = principal[pos].astype(np.float64)
        r = num[pos].astype(np.float64) / MONTHLY_DEN
        n = months[pos].astype(np.float64)
        x = p * r / -np.expm1(-n * np.log1p(r))
        cand = np.floor(x + 0.5)
        near = np.abs(x - np.floor(x) - 0.5) <= x * _TIE_REL + _TIE_ABS
        exact = cand.astype(np.int64)
        pp, rr, nn = principal[pos], num[pos], months[pos]
        for i in np.flatnonzero(near):
            exact[i] = annuity_payment(int(pp[i]), int(rr[i]), MONTHLY_DEN, int(nn[i]))
        pay[pos] = exact
    return pay


def amortize(
    principal_minor: npt.ArrayLike,
    annual_rate: npt.ArrayLike | Sequence[Decimal],
    months: npt.ArrayLike,
    method: str | Method,
) -> tuple[IntArray, IntArray, IntArray]:
    """Regular monthly schedules of many loans: ``(payment, principal, interest)`` per period.

    One loan per element of the 1-D inputs: ``principal_minor`` (int, 1..10¹⁵ minor units),
    ``annual_rate`` (float64 or Decimal, 0..1, at most 8 decimal places) and ``months``
    (1..600). Returns three int64 arrays of shape ``(n_loans, max(months))`` in minor units,
    zero past each loan's term, equal to what :func:`~accord.core.schedule.build_schedule`
    gives for the same loan without first-period, holiday, calendar or fee options. Supports
    EQUAL_INSTALLMENT, EQUAL_PRINCIPAL and INTEREST_ONLY. The arrays are column-major views
    (computed period by period); use ``np.ascontiguousarray`` if row-major layout matters.
    Raises :class:`~accord.core.errors.InvalidSchedule` for out-of-range inputs.
    """
    m = Method(method)
    if m not in _SUPPORTED:
        raise InvalidSchedule(f"amortize supports {[s.value for s in _SUPPORTED]}, not {m.value}")
    p = _as_int64(principal_minor, "principal_minor")
    n = _as_int64(months, "months")
    num = rate_numerators(annual_rate)
    if not p.ndim == n.ndim == num.ndim == 1 or not p.shape == n.shape == num.shape:
        raise InvalidSchedule("principal, rate and months must be 1-D arrays of equal length")
    if p.size == 0:
        empty = np.zeros((0, 0), dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    if np.any(p <= 0) or np.any(p > MAX_PRINCIPAL):
        raise InvalidSchedule(f"principals must be within 1..{MAX_PRINCIPAL} minor units")
    if np.any(n < 1) or np.any(n > MAX_MONTHS):
        raise InvalidSchedule(f"months must be within 1..{MAX_MONTHS}")
    split = int(p.max()) * int(num.max()) * 2 + MONTHLY_DEN > _INT64_MAX
    horizon = int(n.max())
    # (period, loan) layout so that each period's row is contiguous; returned transposed.
    pay_out = np.empty((horizon, p.size), dtype=np.int64)
    prin_out = np.empty_like(pay_out)
    int_out = np.empty_like(pay_out)
    # loans whose last installment is period k (the residual goes there)
    order = np.argsort(n, kind="stable")
    ends = np.searchsorted(n[order], np.arange(1, horizon + 2))
    level = level_payments(p, num, n) if m is Method.EQUAL_INSTALLMENT else None
    part = (2 * p + n) // (2 * n)
    balance = p.copy()
    for k in range(horizon):
        interest, prin = int_out[k], prin_out[k]
        _interest_into(balance, num, split, interest)
        if level is not None:
            np.subtract(level, interest, out=prin)
            np.maximum(prin, 0, out=prin)
            np.minimum(prin, balance, out=prin)
        elif m is Method.EQUAL_PRINCIPAL:
            np.minimum(part, balance, out=prin)
        else:
            prin.fill(0)
        closing = order[ends[k] : ends[k + 1]]
        prin[closing] = balance[closing]
        # after its last installment a loan's balance is 0, so its later rows are all zero
        balance -= prin
        np.add(prin, interest, out=pay_out[k])
    return pay_out.T, prin_out.T, int_out.T
