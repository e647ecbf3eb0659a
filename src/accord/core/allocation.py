"""Payment allocation: a pure waterfall that splits one payment over outstanding dues.

A payment is spread over the installments that are *due* (due date on or before the payment
date) in the pack's order, then any excess follows the overpayment policy:

* ``HOLD_AS_CREDIT`` keeps the excess as a credit balance (a caller applies it to later dues);
* ``REDUCE_TERM`` prepays future principal from the *last* installment backwards, so trailing
  installments disappear first and the term shortens;
* ``REDUCE_INSTALLMENT`` spreads the prepayment over every future installment's principal in
  proportion to its principal (largest-remainder, :meth:`Money.allocate`), so each later
  installment shrinks and the term stays. Interest on the future installments is **not**
  recomputed here: the returned :attr:`Allocation.prepaid` is the principal prepayment a caller
  may feed to a schedule builder to re-amortise exactly.

Excess beyond all future principal becomes credit under every policy. Allocation never creates or
loses a minor unit: ``sum(lines) + credit == payment`` always holds (a property test checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from accord.core.errors import CoreError
from accord.core.money import Money, total


class Component(StrEnum):
    """Parts of an installment a payment can settle."""

    FEES = "fees"  # 费用 / 违约金
    PENALTY = "penalty"  # 罚息
    INTEREST = "interest"  # 利息
    PRINCIPAL = "principal"  # 本金


class AllocationMode(StrEnum):
    """Walk order of the waterfall."""

    #: oldest installment first; within it, components in the pack's order (CN default).
    INSTALLMENT_FIRST = "installment-first"
    #: first component across all due installments (oldest first), then the next component.
    COMPONENT_FIRST = "component-first"


class OverpaymentPolicy(StrEnum):
    """What happens to money left after every due amount is settled."""

    REDUCE_TERM = "reduce-term"
    REDUCE_INSTALLMENT = "reduce-installment"
    HOLD_AS_CREDIT = "hold-as-credit"


#: CN default: fees → penalty interest → interest → principal (民法典 art. 561 order).
DEFAULT_ORDER: tuple[Component, ...] = (
    Component.FEES,
    Component.PENALTY,
    Component.INTEREST,
    Component.PRINCIPAL,
)


@dataclass(frozen=True, slots=True)
class Due:
    """Outstanding amounts of one installment (all non-negative, one currency)."""

    seq: int
    due_date: date
    principal: Money
    interest: Money
    fees: Money
    penalty: Money

    def __post_init__(self) -> None:
        cur = self.principal.currency
        for c in Component:
            m = self.part(c)
            if m.currency != cur:
                raise CoreError(f"installment {self.seq}: mixed currencies")
            if m.minor < 0:
                raise CoreError(f"installment {self.seq}: negative {c.value}")

    @classmethod
    def zero(cls, seq: int, due_date: date, currency: str) -> Due:
        """A fully settled installment."""
        z = Money.zero(currency)
        return cls(seq, due_date, z, z, z, z)

    def part(self, component: Component) -> Money:
        """Outstanding amount of ``component``."""
        if component is Component.FEES:
            return self.fees
        if component is Component.PENALTY:
            return self.penalty
        if component is Component.INTEREST:
            return self.interest
        return self.principal

    def with_part(self, component: Component, amount: Money) -> Due:
        """Copy with ``component`` replaced by ``amount``."""
        if component is Component.FEES:
            return replace(self, fees=amount)
        if component is Component.PENALTY:
            return replace(self, penalty=amount)
        if component is Component.INTEREST:
            return replace(self, interest=amount)
        return replace(self, principal=amount)

    @property
    def outstanding(self) -> Money:
        """Sum of all outstanding components."""
        return self.principal + self.interest + self.fees + self.penalty

    @property
    def settled(self) -> bool:
        """True when nothing is outstanding."""
        return self.outstanding.is_zero()


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """``amount`` of ``payment`` settles ``component`` of installment ``seq``."""

    seq: int
    component: Component
    amount: Money
    prepayment: bool = False  # True when the line settles principal that was not yet due


@dataclass(frozen=True, slots=True)
class Allocation:
    """Immutable record of how one payment was applied."""

    payment: Money
    lines: tuple[AllocationLine, ...]
    credit: Money  # excess held as credit (never negative)
    policy: OverpaymentPolicy

    @property
    def applied(self) -> Money:
        """Amount applied to installments (due and prepaid)."""
        return total((ln.amount for ln in self.lines), self.payment.currency)

    @property
    def prepaid(self) -> Money:
        """Principal settled ahead of its due date (feed to a re-amortiser)."""
        return total((ln.amount for ln in self.lines if ln.prepayment), self.payment.currency)


def allocate(
    dues: Sequence[Due],
    payment: Money,
    *,
    paid_on: date | None = None,
    order: Sequence[Component] = DEFAULT_ORDER,
    mode: AllocationMode = AllocationMode.INSTALLMENT_FIRST,
    overpayment: OverpaymentPolicy = OverpaymentPolicy.HOLD_AS_CREDIT,
) -> Allocation:
    """Split ``payment`` over ``dues`` by the waterfall and return the allocation record.

    Installments with ``due_date <= paid_on`` (all of them when ``paid_on`` is None) are due and
    are settled oldest first (by due date, then seq) in ``order``/``mode``; the remainder follows
    ``overpayment`` (see the module docstring). ``order`` must list every component exactly once.
    Preconditions: payment non-negative and in the dues' currency.
    """
    if sorted(order) != sorted(Component) or len(order) != len(Component):
        raise CoreError(f"allocation order must list each component once, got {list(order)}")
    if payment.minor < 0:
        raise CoreError("payment must not be negative")
    for d in dues:
        if d.principal.currency != payment.currency:
            raise CoreError(f"installment {d.seq} is not in {payment.currency}")
    ordered = sorted(dues, key=lambda d: (d.due_date, d.seq))
    due_now = [d for d in ordered if paid_on is None or d.due_date <= paid_on]
    future = [d for d in ordered if paid_on is not None and d.due_date > paid_on]
    lines: list[AllocationLine] = []
    left = payment.minor

    def take(d: Due, c: Component, *, prepay: bool = False) -> None:
        nonlocal left
        amount = min(left, d.part(c).minor)
        if amount > 0:
            lines.append(AllocationLine(d.seq, c, Money(amount, payment.currency), prepay))
            left -= amount

    if mode is AllocationMode.INSTALLMENT_FIRST:
        for d in due_now:
            for c in order:
                take(d, c)
    else:
        for c in order:
            for d in due_now:
                take(d, c)
    if left > 0 and overpayment is OverpaymentPolicy.REDUCE_TERM:
        for d in reversed(future):
            take(d, Component.PRINCIPAL, prepay=True)
    elif left > 0 and overpayment is OverpaymentPolicy.REDUCE_INSTALLMENT:
        left = _spread(future, left, payment.currency, lines)
    return Allocation(payment, tuple(lines), Money(left, payment.currency), overpayment)


def _spread(future: Sequence[Due], left: int, currency: str, lines: list[AllocationLine]) -> int:
    """Prepay future principal parts in proportion to their size; return the unspent rest."""
    weights = [d.principal.minor for d in future]
    available = sum(weights)
    if available == 0:
        return left
    amount = min(left, available)
    # Largest-remainder shares never exceed a part: share_i <= amount*w_i/available + 1 and a
    # part only receives the +1 when its exact share has a fractional remainder (< w_i).
    shares = Money(amount, currency).allocate(weights)
    for d, s in zip(future, shares, strict=True):
        if s.minor > 0:
            lines.append(AllocationLine(d.seq, Component.PRINCIPAL, s, prepayment=True))
    return left - amount


def apply(dues: Sequence[Due], allocation: Allocation) -> tuple[Due, ...]:
    """Dues after ``allocation`` is applied (same order as given); lines must match the dues."""
    by_seq = {d.seq: d for d in dues}
    if len(by_seq) != len(dues):
        raise CoreError("installment seq numbers must be unique")
    for ln in allocation.lines:
        d = by_seq.get(ln.seq)
        if d is None:
            raise CoreError(f"allocation names unknown installment {ln.seq}")
        rest = d.part(ln.component) - ln.amount
        if rest.minor < 0:
            raise CoreError(f"allocation overpays installment {ln.seq} {ln.component.value}")
        by_seq[ln.seq] = d.with_part(ln.component, rest)
    return tuple(by_seq[d.seq] for d in dues)
