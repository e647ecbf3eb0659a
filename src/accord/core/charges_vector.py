"""Vectorised, exact twins of the charge arithmetic in :mod:`accord.core.charges` (numpy, int64).

The scalar code rounds with ``Decimal``; here each quantity is first estimated in binary floating
point and the estimate is used only where it provably decides the result: a half-up rounding is
decided when the float product is farther from ``x.5`` than its error bound, a floor when the
float value is farther from an integer than its error bound. The few undecided elements (exact
ties such as ``1000 × 0.0005``, or values too large for the bound) are recomputed one by one with
the very ``Decimal`` expressions of the scalar code, so results are equal, never approximately so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Room of an uncapped account: larger than any sum of charges.
UNCAPPED: Final = 1 << 62
#: Relative error bound used for the float estimates (about 45× the few roundings involved).
_REL: Final = 1e-14
_ABS: Final = 1e-7
_BIG: Final = 2.0**50


def mul_half_up(values: IntArray, rate_ids: IntArray, rates: Sequence[Decimal]) -> IntArray:
    """``round_half_up(Decimal(v) × rates[id])`` for each element, exactly as the scalar code.

    ``values`` and ``rate_ids`` broadcast to one shape; values must be non-negative. This is the
    rounding of :func:`~accord.core.charges.daily_penalty` and of :meth:`Money.scale`.
    """
    values, ids = np.broadcast_arrays(np.asarray(values, np.int64), np.asarray(rate_ids, np.int64))
    as_float = np.array([float(r) for r in rates], dtype=np.float64)
    f = values.astype(np.float64) * as_float[ids]
    frac = f - np.floor(f)
    risky = (np.abs(frac - 0.5) <= _ABS + f * _REL) | (f >= _BIG)
    out: IntArray = np.floor(np.where(risky, 0.0, f) + 0.5).astype(np.int64)
    if risky.any():
        for pos in zip(*np.nonzero(risky), strict=True):
            exact = Decimal(int(values[pos])) * rates[int(ids[pos])]
            out[pos] = int(exact.to_integral_value(rounding=ROUND_HALF_UP))
    return out


def floor_nonneg(estimate: FloatArray, scale: FloatArray, exact: Callable[[int], int]) -> IntArray:
    """``max(0, floor(x))`` per element from a float ``estimate`` of ``x``.

    ``scale`` bounds the magnitude of the terms that were added to form the estimate (its error
    is at most ``scale × 1e-14``); ``exact(i)`` computes the element ``i`` exactly and is called
    only where the estimate cannot decide the floor.
    """
    tol = _ABS + scale * _REL
    nearest = np.rint(estimate)
    risky = (np.abs(estimate - nearest) <= tol) & (estimate > -1.0) | (scale >= _BIG)
    out: IntArray = np.maximum(0.0, np.floor(np.where(risky, 0.0, estimate))).astype(np.int64)
    for i in np.nonzero(risky)[0]:
        out[i] = exact(int(i))
    return out


def fill_rows(amounts: IntArray, room: IntArray) -> IntArray:
    """Row-wise :func:`~accord.core.charges.fill`: cut each row to its ``room``, earliest first."""
    before = np.cumsum(amounts, axis=1) - amounts
    taken: IntArray = np.clip(room[:, None] - before, 0, amounts)
    return taken


def waterfall(buckets: IntArray, pool: IntArray) -> IntArray:
    """Amount taken from each bucket (columns, in walk order) when ``pool`` fills them in turn."""
    return fill_rows(buckets, pool)
