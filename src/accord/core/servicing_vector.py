"""Vectorised twin of :func:`accord.core.delinquency.replay` for whole books (numpy, exact).

:func:`age` services many accounts at once and returns, per account, exactly what ``replay``
would: outstanding per installment and component, DPD, bucket, penalty and late fees booked,
held credit. It walks the *event days* of the book in date order — the union over accounts of
due dates, grace-end dates, payment dates and the as-of date, a few dozen for a whole card book —
and on each day steps only the accounts for which that day is one of their own event days, with
the same per-account gaps as the scalar walk: penalty for the event-free days in between
(booked in bulk or day by day under the same test as ``_bulk_penalty``), then the day itself in
the order of ``_one_day`` (penalty, late fees, held credit and the day's payments against the due
installments, paid-off dates). Amounts are int64 minor units; the Decimal roundings are
reproduced exactly (see :mod:`accord.core.charges_vector`).

Supported: any allocation order, both allocation modes, and the ``hold-as-credit`` overpayment
policy (that of every bundled pack). Under it the day's held credit and payments may be pooled:
filling a fixed walk of buckets greedily with ``a`` then ``b`` equals filling it with ``a + b``.
The other policies prepay future installments and need the scalar path (:func:`supported`).
The data types live in :mod:`accord.core.servicing_vector_book`, the charges in
:mod:`accord.core.servicing_vector_charges`, and building a book from flat rows or
:class:`~accord.core.delinquency.Account` records in :mod:`accord.core.servicing_vector_build`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

import numpy as np

from accord.core.aging import BUCKETS, PAD_DAY, bucket_codes
from accord.core.allocation import AllocationMode
from accord.core.charges_vector import IntArray, waterfall
from accord.core.servicing_vector_book import (
    COMPONENTS,
    FEE_NONE,
    NO_DAY,
    PENALTY,
    PRINCIPAL,
    AgedBook,
    Rules,
    State,
    VectorBook,
    supported,
)
from accord.core.servicing_vector_charges import (
    book_penalty,
    bulk_penalty,
    daily_penalty,
    late_fees,
)


def age(book: VectorBook, as_of: date | int | IntArray) -> AgedBook:
    """Service every account of ``book`` to the end of ``as_of`` (one date or one per row).

    Equal, account by account, to ``replay(account, payments, as_of)`` — including the state of
    an account whose open date is after ``as_of`` (its effective as-of is the open date).
    """
    n, _k = book.due.shape
    day = as_of.toordinal() if isinstance(as_of, date) else as_of
    eff: IntArray = np.maximum(np.broadcast_to(np.asarray(day, np.int64), (n,)), book.open_day)
    rules = Rules(book)
    st = State(book)
    for today, rows in _event_days(book, eff, rules.grace):
        _step(book, rules, st, rows, today)
    return _result(book, st, eff)


def _event_days(book: VectorBook, eff: IntArray, grace: IntArray) -> Iterator[tuple[int, IntArray]]:
    """(day, rows) for every day that is an event day of some row, in date order."""
    n = eff.shape[0]
    valid = book.valid
    pad = np.int64(PAD_DAY)
    cands = np.concatenate(
        [
            eff[:, None],
            book.pay_day,
            np.where(valid, book.due, pad),
            np.where(valid, book.due + grace[:, None] + 1, pad),
        ],
        axis=1,
    )
    ok = (cands > book.open_day[:, None]) & (cands <= eff[:, None])
    r, c = np.nonzero(ok)
    keys = np.sort(cands[r, c] * np.int64(max(n, 1)) + r)
    keys = keys[np.concatenate(([True], np.diff(keys) != 0))] if keys.size else keys
    days, rows = np.divmod(keys, np.int64(max(n, 1)))
    cuts = np.flatnonzero(np.diff(days)) + 1
    for chunk_days, chunk_rows in zip(np.split(days, cuts), np.split(rows, cuts), strict=True):
        if chunk_days.size:
            yield int(chunk_days[0]), chunk_rows


def _step(book: VectorBook, rules: Rules, st: State, rows: IntArray, today: int) -> None:
    """Advance ``rows`` from their last day to the end of ``today`` (one of their event days)."""
    gap = today - st.last[rows] - 1
    bulk = rows[(gap > 0) & rules.penalises[rows]]
    if bulk.size:
        bulk_penalty(book, rules, st, bulk, st.last[bulk] + 1, today - st.last[bulk] - 1)
    pen = rows[rules.penalises[rows]]
    if pen.size:
        days = np.full(pen.size, today, np.int64)
        book_penalty(book, rules, st, pen, daily_penalty(book, rules, st, pen, days), days)
    fee_rows = rows[rules.fee_kind[rows] != FEE_NONE]
    if fee_rows.size:
        late_fees(book, rules, st, fee_rows, today)
    _allocate(book, st, rows, today)
    settled = (st.amt[rows].sum(axis=2) == 0) & (st.paid_off[rows] == NO_DAY)
    st.paid_off[rows] = np.where(settled, today, st.paid_off[rows])
    st.last[rows] = today


def _allocate(book: VectorBook, st: State, rows: IntArray, today: int) -> None:
    """Held credit and the day's payments against the due installments (``allocate``)."""
    paid = np.where(book.pay_day[rows] == today, book.pay_amount[rows], 0).sum(axis=1)
    pool = st.credit[rows] + paid
    st.credit[rows] = pool
    live = pool > 0
    rows, pool = rows[live], pool[live]
    if not rows.size:
        return
    perm = [COMPONENTS.index(c) for c in book.order]
    amt = st.amt[rows][:, :, perm]
    due_now = book.due[rows] <= today
    buckets = np.where(due_now[:, :, None], amt, 0)
    m, k, c = buckets.shape
    if book.mode is AllocationMode.INSTALLMENT_FIRST:
        taken = waterfall(buckets.reshape(m, k * c), pool).reshape(m, k, c)
    else:
        flat = buckets.transpose(0, 2, 1).reshape(m, c * k)
        taken = waterfall(flat, pool).reshape(m, c, k).transpose(0, 2, 1)
    amt -= taken
    back = np.empty_like(amt)
    back[:, :, perm] = amt
    st.amt[rows] = back
    st.credit[rows] = pool - taken.sum(axis=(1, 2))


def _result(book: VectorBook, st: State, eff: IntArray) -> AgedBook:
    n = eff.shape[0]
    past = book.valid & (book.due < eff[:, None])
    late = past & (st.paid_off == NO_DAY)
    first = np.argmax(late, axis=1) if late.shape[1] else np.zeros(n, np.int64)
    has = late.any(axis=1)
    oldest = book.due[np.arange(n), first] if late.shape[1] else eff
    dpd: IntArray = np.where(has, eff - oldest, 0).astype(np.int64)
    return AgedBook(
        as_of=eff,
        dues=st.amt,
        paid_off=st.paid_off,
        late_fee_done=st.done,
        credit=st.credit,
        penalty_charged=st.penalty,
        fees_charged=st.fee,
        dpd=dpd,
        bucket=bucket_codes(dpd),
        outstanding=st.amt.sum(axis=1),
        past_due=np.where(past[:, :, None], st.amt, 0).sum(axis=1),
    )


def bucket_names(codes: IntArray) -> list[str]:
    """Bucket values (``"current"``, ``"M1"`` …) for bucket codes."""
    return [BUCKETS[int(c)].value for c in codes]


__all__: Sequence[str] = (
    "COMPONENTS",
    "NO_DAY",
    "PENALTY",
    "PRINCIPAL",
    "AgedBook",
    "VectorBook",
    "age",
    "bucket_names",
    "supported",
)
