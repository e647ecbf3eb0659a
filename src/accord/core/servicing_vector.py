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
Building a book from :class:`~accord.core.delinquency.Account` records lives in
:mod:`accord.core.servicing_vector_build`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

import numpy as np

from accord.core.aging import BUCKETS, PAD_DAY, bucket_codes
from accord.core.allocation import DEFAULT_ORDER, AllocationMode, Component
from accord.core.charges import CAP_DAY_BASIS, ChargeTerms, accrued_cost, headroom_minor
from accord.core.charges_vector import (
    UNCAPPED,
    BoolArray,
    FloatArray,
    IntArray,
    fill_rows,
    floor_nonneg,
    mul_half_up,
    waterfall,
)
from accord.core.errors import CoreError

#: Component axis of the outstanding arrays (``tuple(Component)``: fees, penalty, interest,
#: principal).
COMPONENTS: Final = tuple(Component)
FEES, PENALTY, INTEREST, PRINCIPAL = (COMPONENTS.index(c) for c in COMPONENTS)
#: Paid-off day of an installment that is not paid off.
NO_DAY: Final = -1
_FEE_NONE, _FEE_FIXED, _FEE_PERCENT = 0, 1, 2


@dataclass(frozen=True, slots=True, eq=False)
class VectorBook:
    """Many accounts as padded arrays (n accounts, k installment and m payment columns).

    Days are proleptic ordinals. Installments of a row are sorted by (due date, seq) and padded
    at the end with :data:`~accord.core.vector.PAD_DAY` and zero amounts; payments are padded
    the same way (a real payment may have amount 0). ``terms[term_of[i]]`` are row ``i``'s
    charge terms. Preconditions (checked): amounts non-negative, installments due after the
    open date, payments dated after it.
    """

    open_day: IntArray  # (n,)
    principal: IntArray  # (n,) amount financed, the base of the cost cap
    due: IntArray  # (n, k)
    principal_part: IntArray  # (n, k)
    interest: IntArray  # (n, k)
    fees: IntArray  # (n, k)
    pay_day: IntArray  # (n, m)
    pay_amount: IntArray  # (n, m)
    terms: tuple[ChargeTerms, ...]
    term_of: IntArray  # (n,)
    order: tuple[Component, ...] = DEFAULT_ORDER
    mode: AllocationMode = AllocationMode.INSTALLMENT_FIRST
    _valid: BoolArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_valid", self.due < PAD_DAY)
        n, k = self.due.shape
        if (
            self.open_day.shape != (n,)
            or self.principal.shape != (n,)
            or self.term_of.shape != (n,)
        ):
            raise CoreError("open_day, principal and term_of must have one entry per account")
        for a in (self.principal_part, self.interest, self.fees):
            if a.shape != (n, k) or (a < 0).any():
                raise CoreError("installment amounts must be (n, k) and non-negative")
        if self.pay_day.shape != self.pay_amount.shape or self.pay_day.shape[0] != n:
            raise CoreError("payment days and amounts must be (n, m)")
        if (self.pay_amount < 0).any():
            raise CoreError("payment amounts must not be negative")
        if sorted(self.order) != sorted(Component) or len(self.order) != len(Component):
            raise CoreError(f"allocation order must list each component once: {self.order}")
        if n and ((self.term_of < 0).any() or (self.term_of >= len(self.terms)).any()):
            raise CoreError("term_of must index terms")
        if (np.diff(self.due, axis=1) < 0).any():
            raise CoreError("installments must be sorted by due date")
        if (self.due <= self.open_day[:, None]).any():
            raise CoreError("installments must fall due after the open date")
        if (self.pay_day <= self.open_day[:, None]).any():
            raise CoreError("a payment is dated on or before the open date")

    @property
    def valid(self) -> BoolArray:
        """(n, k) mask of real (not padding) installments."""
        return self._valid


@dataclass(frozen=True, slots=True, eq=False)
class AgedBook:
    """Servicing state of every account of a :class:`VectorBook` at the end of its as-of day."""

    as_of: IntArray  # (n,) effective as-of ordinal: max(as_of, open day), as replay
    dues: IntArray  # (n, k, 4) outstanding per installment, components as COMPONENTS
    paid_off: IntArray  # (n, k) ordinal on which an installment became fully paid, or NO_DAY
    late_fee_done: BoolArray  # (n, k)
    credit: IntArray  # (n,)
    penalty_charged: IntArray  # (n,)
    fees_charged: IntArray  # (n,)
    dpd: IntArray  # (n,)
    bucket: IntArray  # (n,) index into accord.core.vector.BUCKETS
    outstanding: IntArray  # (n, 4) per component, all installments
    past_due: IntArray  # (n, 4) per component, installments due before as_of


def supported(terms: ChargeTerms, overpayment: str, currency: str) -> bool:
    """True when :func:`age` reproduces ``replay`` for an account with these terms and policy.

    Needs the ``hold-as-credit`` overpayment policy, and a percentage late fee's minimum and
    maximum in the account's currency (the scalar code compares them with the fee).
    """
    if overpayment != "hold-as-credit":
        return False
    rule = terms.late_fee
    if rule is None or rule.kind != "percent":
        return True
    return all(m is None or m.currency == currency for m in (rule.minimum, rule.maximum))


class _Rules:
    """Per-row views of the charge terms."""

    def __init__(self, book: VectorBook) -> None:
        terms = book.terms
        ids = book.term_of
        self.ids = ids
        self.penalty_rates = [t.penalty_daily_rate for t in terms]
        self.penalises: BoolArray = np.array([r > 0 for r in self.penalty_rates], bool)[ids]
        self.grace: IntArray = np.array([t.grace_days for t in terms], np.int64)[ids]
        self.caps = [t.cap_rate for t in terms]
        self.capped: BoolArray = np.array([c is not None for c in self.caps], bool)[ids]
        self.cap_f = np.array([float(c or 0) for c in self.caps], np.float64)[ids]
        # the cap rate as a ratio a/b for exact slopes; (0, 0) when a or b is too large for int64
        ratios = [(c or Decimal(0)).as_integer_ratio() for c in self.caps]
        ratios = [(x, y) if max(abs(x), y) < 2**31 else (0, 0) for x, y in ratios]
        self.cap_num: IntArray = np.array([r[0] for r in ratios], np.int64)[ids]
        self.cap_den: IntArray = np.array([r[1] for r in ratios], np.int64)[ids]
        kinds, fixed, rates, lo, hi = [], [], [], [], []
        for t in terms:
            rule = t.late_fee
            if rule is None:
                kinds.append(_FEE_NONE)
            else:
                kinds.append({"fixed": _FEE_FIXED, "percent": _FEE_PERCENT}.get(rule.kind, 0))
            fixed.append(rule.amount.minor if rule is not None and rule.amount is not None else 0)
            rates.append(rule.rate if rule is not None and rule.rate is not None else Decimal(0))
            low = rule.minimum if rule is not None else None
            high = rule.maximum if rule is not None else None
            lo.append(low.minor if low is not None else -1)
            hi.append(high.minor if high is not None else UNCAPPED)
        self.fee_kind: IntArray = np.array(kinds, np.int64)[ids]
        self.fee_fixed: IntArray = np.array(fixed, np.int64)[ids]
        self.fee_rates: list[Decimal] = rates
        self.fee_min: IntArray = np.array(lo, np.int64)[ids]
        self.fee_max: IntArray = np.array(hi, np.int64)[ids]
        # contract cost pieces: interest + scheduled fees due by each installment, cumulated
        self.cum_cost: IntArray = np.cumsum(book.interest + book.fees, axis=1)


class _State:
    """Mutable servicing state of every row while :func:`age` walks the event days."""

    def __init__(self, book: VectorBook) -> None:
        n, k = book.due.shape
        self.amt: IntArray = np.zeros((n, k, len(COMPONENTS)), np.int64)
        self.amt[:, :, PRINCIPAL] = book.principal_part
        self.amt[:, :, INTEREST] = book.interest
        self.amt[:, :, FEES] = book.fees
        self.credit: IntArray = np.zeros(n, np.int64)
        self.penalty: IntArray = np.zeros(n, np.int64)
        self.fee: IntArray = np.zeros(n, np.int64)
        self.done: BoolArray = np.zeros((n, k), bool)
        self.paid_off: IntArray = np.full((n, k), NO_DAY, np.int64)
        self.last: IntArray = book.open_day.copy()


def age(book: VectorBook, as_of: date | int | IntArray) -> AgedBook:
    """Service every account of ``book`` to the end of ``as_of`` (one date or one per row).

    Equal, account by account, to ``replay(account, payments, as_of)`` — including the state of
    an account whose open date is after ``as_of`` (its effective as-of is the open date).
    """
    n, _k = book.due.shape
    day = as_of.toordinal() if isinstance(as_of, date) else as_of
    eff: IntArray = np.maximum(np.broadcast_to(np.asarray(day, np.int64), (n,)), book.open_day)
    rules = _Rules(book)
    st = _State(book)
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


def _step(book: VectorBook, rules: _Rules, st: _State, rows: IntArray, today: int) -> None:
    """Advance ``rows`` from their last day to the end of ``today`` (one of their event days)."""
    gap = today - st.last[rows] - 1
    bulk = rows[(gap > 0) & rules.penalises[rows]]
    if bulk.size:
        _bulk_penalty(book, rules, st, bulk, st.last[bulk] + 1, today - st.last[bulk] - 1)
    pen = rows[rules.penalises[rows]]
    if pen.size:
        days = np.full(pen.size, today, np.int64)
        _book_penalty(book, rules, st, pen, _daily_penalty(book, rules, st, pen, days), days)
    fee_rows = rows[rules.fee_kind[rows] != _FEE_NONE]
    if fee_rows.size:
        _late_fees(book, rules, st, fee_rows, today)
    _allocate(book, st, rows, today)
    settled = (st.amt[rows].sum(axis=2) == 0) & (st.paid_off[rows] == NO_DAY)
    st.paid_off[rows] = np.where(settled, today, st.paid_off[rows])
    st.last[rows] = today


def _daily_penalty(
    book: VectorBook, rules: _Rules, st: _State, rows: IntArray, days: IntArray
) -> IntArray:
    """Uncapped penalty per installment for each row's day (``daily_penalty``)."""
    principal = st.amt[rows, :, PRINCIPAL]
    late = (book.due[rows] < days[:, None]) & (principal > 0)
    return mul_half_up(np.where(late, principal, 0), rules.ids[rows][:, None], rules.penalty_rates)


def _book_penalty(
    book: VectorBook,
    rules: _Rules,
    st: _State,
    rows: IntArray,
    per_inst: IntArray,
    days: IntArray,
) -> None:
    """Book ``per_inst`` penalty for each row's day, cut to the cap's room (``_accrue_day``)."""
    room = _room(book, rules, st, rows, days, per_inst.sum(axis=1) > 0)
    taken = fill_rows(per_inst, room)
    st.amt[rows, :, PENALTY] += taken
    st.penalty[rows] += taken.sum(axis=1)


def _bulk_penalty(
    book: VectorBook,
    rules: _Rules,
    st: _State,
    rows: IntArray,
    first: IntArray,
    days: IntArray,
) -> None:
    """Penalty for ``days`` event-free days from ``first`` per row (``_bulk_penalty``)."""
    per_day = _daily_penalty(book, rules, st, rows, first)
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
    rules: _Rules,
    st: _State,
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
    rules: _Rules,
    st: _State,
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


def _book(st: _State, rows: IntArray, amounts: IntArray) -> None:
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
    book: VectorBook, rules: _Rules, rows: IntArray, days: IntArray, c: IntArray
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


def _late_fees(book: VectorBook, rules: _Rules, st: _State, rows: IntArray, today: int) -> None:
    """Late fees for installments whose grace ended the day before ``today`` (``_late_fees``)."""
    hit = ~st.done[rows] & (book.due[rows] + rules.grace[rows][:, None] + 1 == today)
    hit &= book.valid[rows]
    if not hit.any():
        return
    st.done[rows] |= hit
    amt = st.amt[rows]
    unpaid = amt[:, :, PRINCIPAL] + amt[:, :, INTEREST] + amt[:, :, FEES]
    kind = rules.fee_kind[rows][:, None]
    percent = mul_half_up(
        np.where(hit & (kind == _FEE_PERCENT), unpaid, 0), rules.ids[rows][:, None], rules.fee_rates
    )
    percent = np.minimum(
        np.maximum(percent, rules.fee_min[rows][:, None]), rules.fee_max[rows][:, None]
    )
    fee = np.where(kind == _FEE_FIXED, rules.fee_fixed[rows][:, None], percent)
    wanted = np.where(hit & (unpaid > 0), fee, 0)
    days = np.full(rows.size, today, np.int64)
    taken = fill_rows(wanted, _room(book, rules, st, rows, days, wanted.sum(axis=1) > 0))
    st.amt[rows, :, FEES] += taken
    st.fee[rows] += taken.sum(axis=1)


def _allocate(book: VectorBook, st: _State, rows: IntArray, today: int) -> None:
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


def _room(
    book: VectorBook,
    rules: _Rules,
    st: _State,
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


def _room_at(book: VectorBook, rules: _Rules, st: _State, r: IntArray, d: IntArray) -> IntArray:
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
    book: VectorBook, rules: _Rules, rows: IntArray, days: IntArray
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


def _result(book: VectorBook, st: _State, eff: IntArray) -> AgedBook:
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
    "AgedBook",
    "VectorBook",
    "age",
    "bucket_names",
    "supported",
)
