"""Charges of the vectorised servicing twin: penalty (day, gap, capped gap), late fees, room.

Row-wise twins of ``_accrue_day``, ``_bulk_penalty`` and ``_late_fees`` of
:mod:`accord.core.delinquency` and of the cap's headroom (:mod:`accord.core.charges`), on the
arrays of :class:`~accord.core.servicing_vector_book.State`; exact (see
:mod:`accord.core.charges_vector`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from accord.core.charges import CAP_DAY_BASIS, accrued_cost, headroom_minor
from accord.core.charges_vector import (
    UNCAPPED,
    BoolArray,
    FloatArray,
    IntArray,
    fill_rows,
    floor_nonneg,
    mul_half_up,
)
from accord.core.servicing_vector_book import (
    FEE_FIXED,
    FEE_PERCENT,
    FEES,
    INTEREST,
    PENALTY,
    PRINCIPAL,
    Rules,
    State,
    VectorBook,
)


def daily_penalty(
    book: VectorBook, rules: Rules, st: State, rows: IntArray, days: IntArray
) -> IntArray:
    """Uncapped penalty per installment for each row's day (``daily_penalty``)."""
    principal = st.amt[rows, :, PRINCIPAL]
    late = (book.due[rows] < days[:, None]) & (principal > 0)
    return mul_half_up(np.where(late, principal, 0), rules.ids[rows][:, None], rules.penalty_rates)


def book_penalty(
    book: VectorBook,
    rules: Rules,
    st: State,
    rows: IntArray,
    per_inst: IntArray,
    days: IntArray,
) -> None:
    """Book ``per_inst`` penalty for each row's day, cut to the cap's room (``_accrue_day``)."""
    room = _room(book, rules, st, rows, days, per_inst.sum(axis=1) > 0)
    taken = fill_rows(per_inst, room)
    st.amt[rows, :, PENALTY] += taken
    st.penalty[rows] += taken.sum(axis=1)


def bulk_penalty(
    book: VectorBook,
    rules: Rules,
    st: State,
    rows: IntArray,
    first: IntArray,
    days: IntArray,
) -> None:
    """Penalty for ``days`` event-free days from ``first`` per row (``bulk_penalty``)."""
    per_day = daily_penalty(book, rules, st, rows, first)
    c = per_day.sum(axis=1)
    keep = c > 0
    rows, first, days, per_day, c = rows[keep], first[keep], days[keep], per_day[keep], c[keep]
    if not rows.size:
        return
    at_once = ~rules.capped[rows]
    capped = ~at_once
    if capped.any():
        cr, cf, cd, cc = rows[capped], first[capped], days[capped], c[capped]
        everywhere = np.ones(cr.size, bool)
        head = _room(book, rules, st, cr, cf, everywhere)
        tail = _room(book, rules, st, cr, cf + cd - 1, everywhere)
        at_once[capped] = (head >= cc) & (tail >= cd * cc)
    whole = per_day[at_once] * days[at_once][:, None]
    st.amt[rows[at_once], :, PENALTY] += whole
    st.penalty[rows[at_once]] += whole.sum(axis=1)
    slow = ~at_once
    if slow.any():
        _capped_gap(book, rules, st, rows[slow], first[slow], days[slow], per_day[slow])


def _capped_gap(
    book: VectorBook,
    rules: Rules,
    st: State,
    rows: IntArray,
    first: IntArray,
    days: IntArray,
    per_day: IntArray,
) -> None:
    """Capped penalty for ``days`` event-free days from ``first``: equal to booking day by day.

    Booking day by day, each day takes ``min(c, room)`` with ``room = floor(X_d) - charged``
    and ``X_d`` (cap limit minus contract cost) affine in the day with slope ``beta``. So a row
    is in one of three regimes, and stays in it for a run of days found by bisection on the
    exact room: *full* (room ≥ c: book c a day), *zero* (room = 0: book nothing until the room
    reopens, never when beta ≤ 0), or *partial* (0 < room < c: book the room, after which the
    charges track ``floor(X_d)``: each later day books the day's increment of ``floor(X_d)``,
    which is ``floor(beta)`` or ``floor(beta) + 1`` when 0 < beta < c, so the rest of the gap is
    booked from the two counts; nothing when beta ≤ 0; full days when beta ≥ c).
    """
    c = per_day.sum(axis=1)
    rising, steep, floor_b, whole_b = _slope_facts(book, rules, rows, first, c)
    done = np.zeros(rows.size, np.int64)
    tracking_ok = np.ones(rows.size, bool)
    while True:
        act = np.flatnonzero(done < days)
        if not act.size:
            return
        r, day = rows[act], first[act] + done[act]
        room = _room_at(book, rules, st, r, day)
        full = room >= c[act]
        zero = room == 0
        part = ~full & ~zero
        if full.any():
            f = act[full]
            span = _last_true(
                lambda ix, n: (
                    _room_at(book, rules, st, rows[ix], first[ix] + done[ix] + n - 1) >= n * c[ix]
                ),
                f,
                days[f] - done[f],
            )
            _book(st, rows[f], per_day[f] * span[:, None])
            done[f] += span
        if zero.any():
            z = act[zero & rising[act]]
            done[act[zero & ~rising[act]]] = days[act[zero & ~rising[act]]]
            if z.size:
                # first n >= 1 with room > 0 on day + n: last n where the room is still 0, plus 1
                shut = _last_true(
                    lambda ix, n: (
                        _room_at(book, rules, st, rows[ix], first[ix] + done[ix] + n) == 0
                    ),
                    z,
                    days[z] - done[z] - 1,
                    at_least=0,
                )
                done[z] += shut + 1
        if part.any():
            p = act[part]
            _book(st, rows[p], fill_rows(per_day[p], room[part]))
            done[p] += 1
            flat = p[~rising[p] & (done[p] < days[p])]
            done[flat] = days[flat]
            trk = p[rising[p] & ~steep[p] & tracking_ok[p] & (done[p] < days[p])]
            if trk.size:
                ok = _track(
                    book,
                    rules,
                    st,
                    rows[trk],
                    first[trk] + days[trk] - 1,
                    days[trk] - done[trk],
                    per_day[trk],
                    floor_b[trk],
                    whole_b[trk],
                )
                done[trk[ok]] = days[trk[ok]]
                tracking_ok[trk[~ok]] = False


def _track(
    book: VectorBook,
    rules: Rules,
    st: State,
    rows: IntArray,
    last: IntArray,
    count: IntArray,
    per_day: IntArray,
    low: IntArray,
    whole: BoolArray,
) -> BoolArray:
    """Book ``count`` tracking days ending on ``last`` (see :func:`_capped_gap`); False where
    the day increments cannot be ``low``/``low + 1`` (left to the day-by-day walk)."""
    total = _room_at(book, rules, st, rows, last)
    high_days = total - count * low
    ok: BoolArray = (high_days >= 0) & (high_days <= count) & (~whole | (high_days == 0))
    rows, count, per_day, low, high_days = (
        rows[ok],
        count[ok],
        per_day[ok],
        low[ok],
        high_days[ok],
    )
    if rows.size:
        amounts = fill_rows(per_day, low) * (count - high_days)[:, None]
        amounts += fill_rows(per_day, low + 1) * high_days[:, None]
        _book(st, rows, amounts)
    return ok


def _book(st: State, rows: IntArray, amounts: IntArray) -> None:
    st.amt[rows, :, PENALTY] += amounts
    st.penalty[rows] += amounts.sum(axis=1)


def _last_true(
    pred: Callable[[IntArray, IntArray], BoolArray],
    ix: IntArray,
    upper: IntArray,
    at_least: int = 1,
) -> IntArray:
    """Per element, the largest n in [at_least, upper] with ``pred(ix, n)`` (true at ``at_least``
    and monotone: true then false), by bisection over all elements at once."""
    lo = np.full(ix.size, at_least, np.int64)
    hi = np.maximum(upper, lo)
    while (lo < hi).any():
        open_ = lo < hi
        mid = (lo + hi + 1) // 2
        ok = np.zeros(ix.size, bool)
        ok[open_] = pred(ix[open_], mid[open_])
        lo = np.where(open_ & ok, mid, lo)
        hi = np.where(open_ & ~ok, mid - 1, hi)
    return lo


def _slope_facts(
    book: VectorBook, rules: Rules, rows: IntArray, days: IntArray, c: IntArray
) -> tuple[BoolArray, BoolArray, IntArray, BoolArray]:
    """For the exact daily slope ``beta`` of (cap limit - contract cost) of each row around its
    day: ``beta > 0``, ``beta >= c``, ``floor(beta)`` and whether ``beta`` is whole.

    ``beta = P·a/(b·365) - I/span`` with the cap rate ``a/b``, the principal ``P`` and the
    accruing installment's interest ``I`` over ``span`` days, i.e. ``N / D`` with
    ``N = P·a·span - I·b·365`` and ``D = b·365·span``: int64 where that cannot overflow,
    :class:`~fractions.Fraction` otherwise.
    """
    _cost, running, nxt, span = _contract_parts(book, rules, rows, days)
    interest = np.where(running, book.interest[rows, nxt], 0)
    span = np.where(running, span, 1)
    a, b = rules.cap_num[rows], rules.cap_den[rows]
    principal = book.principal[rows]
    big = float(2**62)
    fits = (principal * a.astype(float) * span < big) & (interest * b.astype(float) * 365 < big)
    fits &= (b.astype(float) * 365 * span * np.maximum(c, 1) < big) & (b > 0)
    num = np.where(fits, principal * a * span - interest * b * CAP_DAY_BASIS, 0)
    den = np.where(fits, b * CAP_DAY_BASIS * span, 1)
    rising: BoolArray = num > 0
    steep: BoolArray = num >= c * den
    floor_b: IntArray = num // den
    whole: BoolArray = num % den == 0
    for i in np.flatnonzero(~fits).tolist():
        cap = rules.caps[int(rules.ids[rows[i]])]
        assert cap is not None
        beta = Fraction(int(principal[i])) * Fraction(cap) / CAP_DAY_BASIS
        beta -= Fraction(int(interest[i]), int(span[i]))
        rising[i], steep[i] = beta > 0, beta >= int(c[i])
        floor_b[i], whole[i] = math.floor(beta), beta.denominator == 1
    return rising, steep, floor_b, whole


def late_fees(book: VectorBook, rules: Rules, st: State, rows: IntArray, today: int) -> None:
    """Late fees for installments whose grace ended the day before ``today`` (``late_fees``)."""
    hit = ~st.done[rows] & (book.due[rows] + rules.grace[rows][:, None] + 1 == today)
    hit &= book.valid[rows]
    if not hit.any():
        return
    st.done[rows] |= hit
    amt = st.amt[rows]
    unpaid = amt[:, :, PRINCIPAL] + amt[:, :, INTEREST] + amt[:, :, FEES]
    kind = rules.fee_kind[rows][:, None]
    percent = mul_half_up(
        np.where(hit & (kind == FEE_PERCENT), unpaid, 0), rules.ids[rows][:, None], rules.fee_rates
    )
    percent = np.minimum(
        np.maximum(percent, rules.fee_min[rows][:, None]), rules.fee_max[rows][:, None]
    )
    fee = np.where(kind == FEE_FIXED, rules.fee_fixed[rows][:, None], percent)
    wanted = np.where(hit & (unpaid > 0), fee, 0)
    days = np.full(rows.size, today, np.int64)
    taken = fill_rows(wanted, _room(book, rules, st, rows, days, wanted.sum(axis=1) > 0))
    st.amt[rows, :, FEES] += taken
    st.fee[rows] += taken.sum(axis=1)


def _room(
    book: VectorBook,
    rules: Rules,
    st: State,
    rows: IntArray,
    days: IntArray,
    wanted: BoolArray,
) -> IntArray:
    """Headroom of each row on its day; UNCAPPED where there is no cap or nothing is wanted."""
    room: IntArray = np.full(rows.size, UNCAPPED, np.int64)
    ask = wanted & rules.capped[rows]
    if ask.any():
        room[ask] = _room_at(book, rules, st, rows[ask], days[ask])
    return room


def _room_at(book: VectorBook, rules: Rules, st: State, r: IntArray, d: IntArray) -> IntArray:
    """Exact ``headroom`` of capped rows ``r`` on days ``d`` with the charges booked so far."""
    charged = st.penalty[r] + st.fee[r]
    contract, _running, _nxt, _span = _contract_parts(book, rules, r, d)
    elapsed = np.maximum(d - book.open_day[r], 0)
    limit = book.principal[r] * rules.cap_f[r] * elapsed / float(CAP_DAY_BASIS)
    estimate = limit - contract - charged
    scale = np.abs(limit) + contract + charged

    def exact(i: int) -> int:
        row, day = int(r[i]), int(d[i])
        valid = book.valid[row]
        parts = zip(
            book.due[row][valid].tolist(),
            book.interest[row][valid].tolist(),
            book.fees[row][valid].tolist(),
            strict=True,
        )
        cost = accrued_cost(parts, int(book.open_day[row]), day)
        cap = rules.caps[int(rules.ids[row])]
        assert cap is not None
        elapsed_days = day - int(book.open_day[row])
        return headroom_minor(int(book.principal[row]), cap, elapsed_days, cost, int(charged[i]))

    return floor_nonneg(estimate, scale, exact)


def _contract_parts(
    book: VectorBook, rules: Rules, rows: IntArray, days: IntArray
) -> tuple[FloatArray, BoolArray, IntArray, IntArray]:
    """Float estimate of ``contract_cost`` per row on its day, and the accruing installment:
    whether one accrues (``running``), its column and its period length in days."""
    due = book.due[rows]
    k = due.shape[1]
    if k == 0:
        none = np.zeros(rows.size, np.int64)
        return np.zeros(rows.size, np.float64), np.zeros(rows.size, bool), none, none + 1
    n_due = (due <= days[:, None]).sum(axis=1)  # due dates are sorted; padding never counts
    idx = np.arange(rows.size)
    prev = np.maximum(n_due - 1, 0)
    cost_due = np.where(n_due > 0, rules.cum_cost[rows, prev], 0).astype(np.float64)
    # only the first installment not yet due accrues a fraction: its period starts at the
    # previous due date (or the open date) and the later ones have not started
    start = np.where(n_due > 0, due[idx, prev], book.open_day[rows])
    nxt = np.minimum(n_due, k - 1)
    running = (n_due < k) & book.valid[rows, nxt] & (days > start)
    span = np.where(running, due[idx, nxt] - start, 1)
    part = np.where(running, book.interest[rows, nxt] * ((days - start) / span), 0.0)
    estimate: FloatArray = cost_due + part
    return estimate, running, nxt, span
