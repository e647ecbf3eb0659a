"""Data of the vectorised servicing twin: the padded book, its result, and the walk's state.

See :mod:`accord.core.servicing_vector` for :func:`~accord.core.servicing_vector.age`;
:class:`Rules` and :class:`State` are the per-row views and mutable arrays it shares with
:mod:`accord.core.servicing_vector_charges`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

import numpy as np

from accord.core.aging import PAD_DAY
from accord.core.allocation import DEFAULT_ORDER, AllocationMode, Component
from accord.core.charges import ChargeTerms
from accord.core.charges_vector import UNCAPPED, BoolArray, IntArray
from accord.core.errors import CoreError

COMPONENTS: Final = tuple(Component)
FEES, PENALTY, INTEREST, PRINCIPAL = (COMPONENTS.index(c) for c in COMPONENTS)
#: Paid-off day of an installment that is not paid off.
NO_DAY: Final = -1
FEE_NONE, FEE_FIXED, FEE_PERCENT = 0, 1, 2


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


class Rules:
    """Per-row views of the charge terms of a book (internal to the twin)."""

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
                kinds.append(FEE_NONE)
            else:
                kinds.append({"fixed": FEE_FIXED, "percent": FEE_PERCENT}.get(rule.kind, 0))
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


class State:
    """Mutable servicing state of every row while ``age`` walks the event days (internal)."""

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
