"""Vectorised daily tick over arrays of agreement states (numpy), the twin of
:func:`accord.agreements.executor.tick` for portfolio-scale batches.

Agreements are rows; installments are columns (padded with due day :data:`PAD` and nothing
remaining). Days are integers (days since 1970-01-01). The tick does exactly what the scalar
executor's aging does, in the same order: resume pauses that ended, mark installments unpaid
after grace as missed, re-classify active/grace/in_arrears from the oldest unpaid installment,
detect breach (too many missed installments or arrears older than the limit), and raise the
reminder level of unpaid installments. All integer arithmetic: it agrees with the scalar
executor exactly (tested on random samples). Inputs are not modified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from accord.agreements.run import Contract
from accord.agreements.state import AgreementState, Status

EPOCH = date(1970, 1, 1)
PAD = 1 << 30  # due day of padding columns and "no pause"; far beyond any real day
CODES: dict[Status, int] = {s: k for k, s in enumerate(Status)}
_ACTIVE, _GRACE, _ARREARS = CODES[Status.ACTIVE], CODES[Status.GRACE], CODES[Status.IN_ARREARS]
_PAUSED, _BREACHED = CODES[Status.PAUSED], CODES[Status.BREACHED]

I8 = npt.NDArray[np.int8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def day(d: date) -> int:
    """Day number of ``d`` (days since 1970-01-01)."""
    return (d - EPOCH).days


@dataclass(frozen=True, slots=True)
class TickArrays:
    """States of ``n`` agreements with up to ``m`` installments and ``k`` reminder offsets."""

    status: I8  # (n,) Status codes (CODES)
    due: I64  # (n, m) due day; PAD for padding
    remaining: I64  # (n, m) minor units still owed; 0 for padding
    missed: B  # (n, m)
    reminded: I8  # (n, m) reminder level, -1 none
    missed_count: I32  # (n,)
    pause_until: I64  # (n,) day; PAD when not paused
    hardship_pending: B  # (n,)
    grace: I32  # (n,) terms
    allowed: I32  # (n,)
    max_arrears: I32  # (n,)
    offsets: I64  # (n, k) sorted reminder offsets; PAD for padding


@dataclass(frozen=True, slots=True)
class TickCounts:
    """Events per agreement produced by the tick, by kind (int arrays of shape (n,))."""

    resumed: I32
    missed: I32
    reclassified: I32
    breached: I32
    reminders: I32

    def total(self) -> I32:
        """All derived events per agreement (the scalar tick adds one input event when > 0)."""
        return self.resumed + self.missed + self.reclassified + self.breached + self.reminders


def tick_arrays(a: TickArrays, as_of: int) -> tuple[TickArrays, TickCounts]:
    """One daily tick as of day ``as_of`` over every row; returns new arrays and event counts."""
    status = a.status.copy()
    paused = status == _PAUSED
    resume = paused & (as_of >= a.pause_until)
    status[resume] = _ACTIVE
    pause_until = np.where(resume, PAD, a.pause_until)
    work = (status == _ACTIVE) | (status == _GRACE) | (status == _ARREARS)

    delta = as_of - a.due  # (n, m) days past due
    unpaid = a.remaining > 0
    grace = a.grace[:, None]
    newly = work[:, None] & unpaid & ~a.missed & (delta > grace)
    missed = a.missed | newly
    n_missed = newly.sum(axis=1, dtype=np.int32)
    missed_count = a.missed_count + n_missed

    has = unpaid.any(axis=1)
    first = unpaid.argmax(axis=1)
    late = np.where(has, np.take_along_axis(delta, first[:, None], axis=1)[:, 0], 0)
    cls = np.where(late > a.grace, _ARREARS, np.where(late > 0, _GRACE, _ACTIVE)).astype(np.int8)
    reclassified = work & (cls != status)
    status = np.where(work, cls, status).astype(np.int8)

    breach = work & ((missed_count > a.allowed) | (late > a.max_arrears))
    status[breach] = _BREACHED

    ok = work & ~breach & ~a.hardship_pending
    level = (a.offsets[:, None, :] <= delta[:, :, None]).sum(axis=2, dtype=np.int16) - 1
    fire = ok[:, None] & unpaid & (level > a.reminded)
    reminded = np.where(fire, level, a.reminded).astype(np.int8)

    out = replace(
        a,
        status=status,
        missed=missed,
        reminded=reminded,
        missed_count=missed_count.astype(np.int32),
        pause_until=pause_until,
    )
    counts = TickCounts(
        resumed=resume.astype(np.int32),
        missed=n_missed,
        reclassified=reclassified.astype(np.int32),
        breached=breach.astype(np.int32),
        reminders=fire.sum(axis=1, dtype=np.int32),
    )
    return out, counts


def to_arrays(items: Sequence[tuple[Contract, AgreementState]]) -> TickArrays:
    """Pack scalar (contract, state) pairs into :class:`TickArrays` (for tests and batches)."""
    n = len(items)
    m = max(len(s.installments) for _, s in items)
    k = max(max(len(c.offsets) for c, _ in items), 1)
    due = np.full((n, m), PAD, np.int64)
    remaining = np.zeros((n, m), np.int64)
    missed = np.zeros((n, m), np.bool_)
    reminded = np.full((n, m), -1, np.int8)
    offsets = np.full((n, k), PAD, np.int64)
    for r, (c, s) in enumerate(items):
        for j, i in enumerate(s.installments):
            due[r, j], remaining[r, j] = day(i.due), i.remaining
            missed[r, j], reminded[r, j] = i.missed, i.reminded
        offsets[r, : len(c.offsets)] = c.offsets
    return TickArrays(
        status=np.array([CODES[s.status] for _, s in items], np.int8),
        due=due,
        remaining=remaining,
        missed=missed,
        reminded=reminded,
        missed_count=np.array([s.missed_count for _, s in items], np.int32),
        pause_until=np.array([day(s.pause_until) if s.pause_until else PAD for _, s in items]),
        hardship_pending=np.array([s.hardship_pending is not None for _, s in items], np.bool_),
        grace=np.array([c.terms.grace_days for c, _ in items], np.int32),
        allowed=np.array([c.terms.allowed_late_payments for c, _ in items], np.int32),
        max_arrears=np.array([c.terms.breach.max_days_in_arrears for c, _ in items], np.int32),
        offsets=offsets,
    )
