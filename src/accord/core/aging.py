"""Vectorised aging: DPD and buckets for many accounts at once (numpy), for portfolio scale.

The twin of :mod:`accord.core.delinquency` for charge-free accounts serviced installment-first
with excess held as credit (the setting of a card book or of a daily batch before charges). In
that setting the oldest installment not fully paid on day ``t`` is simply the first one whose
cumulative due amount exceeds the cumulative amount paid by ``t``, because every payment (or held
credit) settles due installments strictly in order. So DPD needs only cumulative sums and a
comparison, with no per-account Python loop. Amounts are int64 minor units (exact); days are
proleptic ordinals (:meth:`datetime.date.toordinal`). Tests check agreement with :func:`replay`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from accord.core.delinquency import DEFAULT_UPPER_DPD, Bucket

IntArray = npt.NDArray[np.int64]
#: Due day used to pad ragged installment rows (with a zero amount): never past due.
PAD_DAY: Final = np.iinfo(np.int64).max // 2
BUCKETS: Final = tuple(Bucket)


def ordinals(days: Iterable[date]) -> IntArray:
    """Dates as an int64 array of proleptic ordinals."""
    return np.fromiter((d.toordinal() for d in days), dtype=np.int64)


def dpd_matrix(
    due_days: IntArray,
    due_amounts: IntArray,
    pay_days: IntArray,
    pay_amounts: IntArray,
    as_of: IntArray,
) -> IntArray:
    """DPD of each account (rows) as of each day in ``as_of`` (columns).

    ``due_days``/``due_amounts``: (n, k) installment due ordinals and total contractual amounts
    (pad with :data:`PAD_DAY` and 0); ``pay_days``/``pay_amounts``: (n, m) payment ordinals and
    amounts (pad with any day and 0). Preconditions: matching shapes, non-negative amounts.
    """
    due_days = np.asarray(due_days, dtype=np.int64)
    due_amounts = np.asarray(due_amounts, dtype=np.int64)
    pay_days = np.asarray(pay_days, dtype=np.int64)
    pay_amounts = np.asarray(pay_amounts, dtype=np.int64)
    as_of = np.asarray(as_of, dtype=np.int64)
    if due_days.shape != due_amounts.shape or pay_days.shape != pay_amounts.shape:
        raise ValueError("day and amount arrays must have the same shape")
    if due_days.ndim != 2 or pay_days.ndim != 2 or due_days.shape[0] != pay_days.shape[0]:
        raise ValueError("expected (n, k) installments and (n, m) payments for the same n")
    if (due_amounts < 0).any() or (pay_amounts < 0).any():
        raise ValueError("amounts must not be negative")
    n, k = due_days.shape
    out = np.zeros((n, as_of.size), dtype=np.int64)
    if k == 0 or n == 0:
        return out
    order = np.argsort(due_days, axis=1, kind="stable")
    days = np.take_along_axis(due_days, order, axis=1)
    cum_due = np.cumsum(np.take_along_axis(due_amounts, order, axis=1), axis=1)
    rows = np.arange(n)
    for j, t in enumerate(as_of):
        paid = np.where(pay_days <= t, pay_amounts, 0).sum(axis=1)
        first_unpaid = (cum_due <= paid[:, None]).sum(axis=1)
        has = first_unpaid < k
        oldest = days[rows, np.minimum(first_unpaid, k - 1)]
        late = has & (oldest < t)
        out[:, j] = np.where(late, t - oldest, 0)
    return out


def bucket_codes(dpd: IntArray, upper: Sequence[int] = DEFAULT_UPPER_DPD) -> IntArray:
    """Bucket index (0 = current … 5 = M6+, positions in :data:`BUCKETS`) for each DPD."""
    return np.searchsorted(np.asarray(upper, dtype=np.int64), dpd, side="left").astype(np.int64)


def pad_rows(
    rows: Sequence[Sequence[tuple[int, int]]], pad_day: int = PAD_DAY
) -> tuple[IntArray, IntArray]:
    """Ragged per-account lists of (day, amount) as padded (n, width) day and amount arrays."""
    width = max((len(r) for r in rows), default=0)
    days = np.full((len(rows), width), pad_day, dtype=np.int64)
    amounts = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        for j, (d, a) in enumerate(r):
            days[i, j] = d
            amounts[i, j] = a
    return days, amounts
