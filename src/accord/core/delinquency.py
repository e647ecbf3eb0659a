"""Delinquency: days past due, buckets, and a deterministic replay of an account's servicing.

**DPD** as of a date is the number of days since the due date of the oldest installment that is
not fully paid on that date (0 when none is past due). A payment dated D counts on D, and an
installment due on D is not past due on D. **Buckets** (industry convention, bounds from the pack):
current (0), M1 (1–30), M2 (31–60), M3 (61–90), M4–M6 (91–180), M6+ (>180).

:func:`replay` walks the calendar from the open date to ``as_of``: each day it accrues penalty
interest on overdue principal and late fees on missed installments (see :mod:`accord.core.charges`,
capped by the pack), lets due installments consume any held credit, then allocates that day's
payments by the pack's waterfall. :func:`advance` continues a state to a later date, so
``advance(replay(a, p, D1), D2, p) == replay(a, p, D2)`` and advancing to a date already reached
changes nothing: charging is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from accord.core.allocation import (
    DEFAULT_ORDER,
    AllocationMode,
    Component,
    Due,
    OverpaymentPolicy,
    allocate,
    apply,
)
from accord.core.charges import (
    ChargeTerms,
    book,
    contract_cost,
    daily_penalty,
    fill,
    headroom,
)
from accord.core.errors import CoreError
from accord.core.money import Money, total
from accord.core.types import Installment

DEFAULT_UPPER_DPD: Final = (0, 30, 60, 90, 180)
NO_CHARGES: Final = ChargeTerms()


class Bucket(StrEnum):
    """Delinquency buckets by DPD."""

    CURRENT = "current"
    M1 = "M1"
    M2 = "M2"
    M3 = "M3"
    M4_M6 = "M4-M6"
    M6_PLUS = "M6+"

    @property
    def label_zh(self) -> str:
        """Chinese label (zh-CN)."""
        return _LABELS_ZH[self]


_LABELS_ZH: Final = {
    Bucket.CURRENT: "正常",
    Bucket.M1: "M1（逾期1-30天）",
    Bucket.M2: "M2（逾期31-60天）",
    Bucket.M3: "M3（逾期61-90天）",
    Bucket.M4_M6: "M4-M6（逾期91-180天）",
    Bucket.M6_PLUS: "M6+（逾期180天以上）",
}
_ORDERED: Final = tuple(Bucket)


def bucket(dpd: int, upper: Sequence[int] = DEFAULT_UPPER_DPD) -> Bucket:
    """Bucket of ``dpd`` days past due; ``upper``: inclusive upper DPD of the first five buckets."""
    if dpd < 0:
        raise CoreError("DPD cannot be negative")
    for i, bound in enumerate(upper):
        if dpd <= bound:
            return _ORDERED[i]
    return Bucket.M6_PLUS


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received on ``paid_on``."""

    paid_on: date
    amount: Money
    payment_id: str = ""


@dataclass(frozen=True, slots=True)
class Account:
    """What servicing needs to know about one account (contract terms and schedule)."""

    open_date: date
    principal: Money  # amount financed; the base of the cost cap
    installments: tuple[Installment, ...]
    terms: ChargeTerms = NO_CHARGES
    order: tuple[Component, ...] = DEFAULT_ORDER
    mode: AllocationMode = AllocationMode.INSTALLMENT_FIRST
    overpayment: OverpaymentPolicy = OverpaymentPolicy.HOLD_AS_CREDIT

    def __post_init__(self) -> None:
        seqs = [i.seq for i in self.installments]
        if len(set(seqs)) != len(seqs):
            raise CoreError("installment seq numbers must be unique")
        if any(i.due_date <= self.open_date for i in self.installments):
            raise CoreError("installments must fall due after the open date")

    @property
    def currency(self) -> str:
        """Currency of the account."""
        return self.principal.currency


@dataclass(frozen=True, slots=True)
class AccountState:
    """Servicing state of an account at the end of ``as_of`` (after that day's payments)."""

    account: Account
    as_of: date
    dues: tuple[Due, ...]  # outstanding per installment, in due-date order
    credit: Money  # money held for future dues
    penalty_charged: Money  # total penalty interest booked so far
    fees_charged: Money  # total late fees booked so far
    late_fee_done: tuple[bool, ...]  # per installment: late fee already decided
    paid_off: tuple[date | None, ...]  # per installment: date it became fully paid
    payments_applied: int  # payments with paid_on <= as_of consumed so far

    def dpd_on(self, on: date) -> int:
        """DPD as of ``on`` (any date up to :attr:`as_of`)."""
        if on > self.as_of:
            raise CoreError(f"state is only known up to {self.as_of}")
        for d, paid in zip(self.dues, self.paid_off, strict=True):
            if d.due_date >= on:
                break
            if paid is None or paid > on:
                return (on - d.due_date).days
        return 0

    @property
    def dpd(self) -> int:
        """DPD as of :attr:`as_of`."""
        return self.dpd_on(self.as_of)

    @property
    def bucket(self) -> Bucket:
        """Bucket as of :attr:`as_of`."""
        return bucket(self.dpd)

    def outstanding(self, component: Component, *, past_due_only: bool = False) -> Money:
        """Outstanding ``component`` over all installments (or only those past due)."""
        parts = (
            d.part(component) for d in self.dues if not past_due_only or d.due_date < self.as_of
        )
        return total(parts, self.account.currency)

    def history(
        self, start: date, end: date | None = None, *, month_end: bool = False
    ) -> tuple[tuple[date, int, Bucket], ...]:
        """(date, DPD, bucket) for every day, or every month end, in [start, end]."""
        stop = end or self.as_of
        days = []
        d = start
        while d <= stop:
            if not month_end or (d + timedelta(days=1)).day == 1:
                days.append(d)
            d += timedelta(days=1)
        out = []
        for day in days:
            n = self.dpd_on(day)
            out.append((day, n, bucket(n)))
        return tuple(out)


def start(account: Account) -> AccountState:
    """State at the end of the open date: everything scheduled, nothing due, nothing paid."""
    cur = account.currency
    zero = Money.zero(cur)
    sched = sorted(account.installments, key=lambda i: (i.due_date, i.seq))
    dues = tuple(Due(i.seq, i.due_date, i.principal, i.interest, i.fees, zero) for i in sched)
    n = len(dues)
    return AccountState(
        account, account.open_date, dues, zero, zero, zero, (False,) * n, (None,) * n, 0
    )


def replay(account: Account, payments: Sequence[Payment], as_of: date) -> AccountState:
    """Service ``account`` from its open date to ``as_of`` with the dated ``payments``."""
    return advance(start(account), as_of, payments)


def advance(state: AccountState, as_of: date, payments: Sequence[Payment]) -> AccountState:
    """Continue ``state`` to the end of ``as_of``; ``payments`` is the account's full payment list.

    Payments already consumed (the first ``state.payments_applied`` in date order) are skipped, so
    passing the same list again is safe. Advancing to a date not after ``state.as_of`` returns
    ``state`` unchanged.
    """
    if as_of <= state.as_of:
        return state
    acct = state.account
    pays = sorted(payments, key=lambda p: (p.paid_on, p.payment_id))
    for p in pays:
        if p.amount.currency != acct.currency or p.amount.minor < 0:
            raise CoreError(f"payment {p.payment_id!r}: bad amount {p.amount}")
    todo = [p for p in pays[state.payments_applied :] if p.paid_on <= as_of]
    if todo and todo[0].paid_on <= state.as_of:
        raise CoreError("a payment is dated before the state it is applied to")
    events = _event_days(state, todo, as_of)
    s = state
    day = state.as_of
    for ev in events:
        gap = (ev - day).days - 1
        if gap > 0:
            s = _bulk_penalty(s, day + timedelta(days=1), gap)
        s = _one_day(s, ev, [p for p in todo if p.paid_on == ev])
        day = ev
    return s


def _event_days(state: AccountState, todo: Iterable[Payment], as_of: date) -> list[date]:
    """Days on which something other than plain penalty accrual happens, up to ``as_of``."""
    grace = state.account.terms.grace_days
    days = {as_of}
    days.update(p.paid_on for p in todo)
    for d in state.dues:
        days.add(d.due_date)
        days.add(d.due_date + timedelta(days=grace + 1))
    return sorted(d for d in days if state.as_of < d <= as_of)


def _one_day(state: AccountState, day: date, payments: Sequence[Payment]) -> AccountState:
    """Charges for ``day``, then held credit against dues, then the day's payments."""
    s = _accrue_day(state, day)
    s = _late_fees(s, day)
    acct = s.account
    dues = s.dues
    credit = s.credit
    if credit.minor > 0:
        a = allocate(dues, credit, paid_on=day, order=acct.order, mode=acct.mode)
        dues, credit = apply(dues, a), a.credit
    for p in payments:
        a = allocate(
            dues,
            p.amount,
            paid_on=day,
            order=acct.order,
            mode=acct.mode,
            overpayment=acct.overpayment,
        )
        dues, credit = apply(dues, a), credit + a.credit
    paid_off = tuple(
        was if was is not None else (day if d.settled else None)
        for d, was in zip(dues, s.paid_off, strict=True)
    )
    return replace(
        s,
        as_of=day,
        dues=dues,
        credit=credit,
        paid_off=paid_off,
        payments_applied=s.payments_applied + len(payments),
    )


# ---- charges -------------------------------------------------------------------------------


def _room(s: AccountState, day: date) -> int | None:
    acct = s.account
    if acct.terms.cap_rate is None:
        return None
    contract = contract_cost(acct.installments, acct.open_date, day)
    charged = s.penalty_charged.minor + s.fees_charged.minor
    return headroom(acct.terms, acct.principal, acct.open_date, day, contract, charged)


def _accrue_day(s: AccountState, day: date) -> AccountState:
    """Book (capped) penalty interest for ``day`` on principal overdue at the start of the day."""
    rate = s.account.terms.penalty_daily_rate
    if rate == 0:
        return s
    amounts = fill(daily_penalty(s.dues, day, rate), _room(s, day))
    added = sum(amounts)
    if added == 0:
        return s
    return replace(
        s,
        dues=book(s.dues, amounts, Component.PENALTY),
        penalty_charged=s.penalty_charged + Money(added, s.account.currency),
    )


def _bulk_penalty(s: AccountState, first: date, days: int) -> AccountState:
    """Penalty for ``days`` event-free days from ``first``; equal to accruing day by day."""
    rate = s.account.terms.penalty_daily_rate
    if rate == 0:
        return s
    per_day = daily_penalty(s.dues, first, rate)  # constant: no due date or payment in the gap
    if sum(per_day) == 0:
        return s
    c = sum(per_day)
    first_room = _room(s, first)
    last_room = _room(s, first + timedelta(days=days - 1))
    # Within an event-free gap both the cap's limit and accrued contract interest are affine in
    # the day, so "day k still has room for c" (room_k - k*c >= c) holds for every k as soon as
    # it holds for the first and the last day; then booking in bulk equals booking daily.
    if first_room is None or last_room is None or (first_room >= c and last_room >= days * c):
        amounts = tuple(a * days for a in per_day)
        return replace(
            s,
            dues=book(s.dues, amounts, Component.PENALTY),
            penalty_charged=s.penalty_charged + Money(sum(amounts), s.account.currency),
        )
    for k in range(days):
        s = _accrue_day(s, first + timedelta(days=k))
    return s


def _late_fees(s: AccountState, day: date) -> AccountState:
    """Book (capped) late fees for installments whose grace period ended the day before."""
    terms = s.account.terms
    if terms.late_fee is None:
        return s
    grace = timedelta(days=terms.grace_days + 1)
    wanted = []
    done = list(s.late_fee_done)
    for k, d in enumerate(s.dues):
        fee = 0
        if not done[k] and d.due_date + grace == day:
            done[k] = True
            unpaid = d.principal + d.interest + d.fees
            fee = terms.late_fee.fee(unpaid).minor
        wanted.append(fee)
    if not any(wanted) and tuple(done) == s.late_fee_done:
        return s
    amounts = fill(wanted, _room(s, day))
    return replace(
        s,
        dues=book(s.dues, amounts, Component.FEES),
        fees_charged=s.fees_charged + Money(sum(amounts), s.account.currency),
        late_fee_done=tuple(done),
    )
