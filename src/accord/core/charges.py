"""Charges on overdue amounts: penalty interest, late fees, and the cost cap that bounds them.

* **Penalty interest** accrues each day ``d`` after an installment's due date on the principal of
  that installment still unpaid at the start of ``d`` (so paying on the due date costs nothing),
  rounded half-up to the minor unit per installment per day.
* **Late fee**: once per installment, on the first day after ``grace_days``, if any contractual
  amount (principal, interest or scheduled fees) of it is still unpaid; the pack's rule sets it.
* **Cap**: the account's total cost — contractual interest *accrued* so far (each installment's
  interest spread evenly over its period, from the previous due date or the open date), scheduled
  fees of installments already due, and all penalty interest and late fees booked — never exceeds
  ``principal × cap_rate × days since open / 365``. Contract amounts cannot be changed here, so
  the cap limits only new charges: each charge is cut to the remaining headroom (oldest
  installment first) and is zero once the headroom is used. When the contract rate is at most
  the cap, accrued interest grows no faster than the limit, so headroom never shrinks and the
  bound holds on every day, not only on the days a charge is booked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from accord.core.allocation import Component, Due
from accord.core.errors import CoreError
from accord.core.money import Money
from accord.core.packs import LateFeeRule, Pack
from accord.core.types import Installment

CAP_DAY_BASIS = 365


@dataclass(frozen=True, slots=True)
class ChargeTerms:
    """Resolved charging terms of one account (defaults: no charges, no cap)."""

    penalty_daily_rate: Decimal = Decimal(0)
    late_fee: LateFeeRule | None = None
    grace_days: int = 0
    cap_rate: Decimal | None = None

    def __post_init__(self) -> None:
        if self.penalty_daily_rate < 0 or self.grace_days < 0:
            raise CoreError("penalty rate and grace days must not be negative")
        if self.cap_rate is not None and self.cap_rate < 0:
            raise CoreError("cap rate must not be negative")

    @classmethod
    def from_pack(
        cls, pack: Pack, *, annual_rate: Decimal, open_date: date, product: str | None = None
    ) -> ChargeTerms:
        """Terms for a contract at ``annual_rate`` opened on ``open_date`` under ``pack``."""
        rules = pack.product(product)
        return cls(
            penalty_daily_rate=rules.penalty.daily_rate(annual_rate),
            late_fee=None if rules.late_fee.kind == "none" else rules.late_fee,
            grace_days=pack.grace_days.value or 0,
            cap_rate=pack.cap_rate(open_date, product),
        )

    @property
    def charges_anything(self) -> bool:
        """False when no charge can ever be booked."""
        return self.penalty_daily_rate > 0 or self.late_fee is not None


def cap_limit(principal: Money, cap_rate: Decimal, open_date: date, day: date) -> Decimal:
    """Largest total cost (minor units, exact) allowed by the end of ``day``."""
    return cap_limit_minor(principal.minor, cap_rate, (day - open_date).days)


def cap_limit_minor(principal: int, cap_rate: Decimal, elapsed: int) -> Decimal:
    """:func:`cap_limit` on plain minor units and a day count since the open date."""
    return Decimal(principal) * cap_rate * max(0, elapsed) / CAP_DAY_BASIS


def contract_cost(installments: Sequence[Installment], open_date: date, day: date) -> Decimal:
    """Contract interest accrued by the end of ``day`` plus scheduled fees already due (minor)."""
    ordered = sorted(installments, key=lambda i: (i.due_date, i.seq))
    parts = ((i.due_date.toordinal(), i.interest.minor, i.fees.minor) for i in ordered)
    return accrued_cost(parts, open_date.toordinal(), day.toordinal())


def accrued_cost(parts: Iterable[tuple[int, int, int]], open_day: int, day: int) -> Decimal:
    """:func:`contract_cost` on plain numbers: ``parts`` are (due ordinal, interest, fees) in
    (due date, seq) order; ``open_day`` and ``day`` are ordinals."""
    cost = Decimal(0)
    start = open_day
    for due, interest, fees in parts:
        if due <= day:
            cost += interest + fees
        elif day > start:
            # interest accrues evenly over the installment's period (start, due_date]
            cost += Decimal(interest) * (day - start) / (due - start)
        start = max(start, due)
    return cost


def headroom(
    terms: ChargeTerms,
    principal: Money,
    open_date: date,
    day: date,
    contract: Decimal,
    charged: int,
) -> int | None:
    """Whole minor units of new charges still allowed on ``day`` (None = uncapped)."""
    if terms.cap_rate is None:
        return None
    elapsed = (day - open_date).days
    return headroom_minor(principal.minor, terms.cap_rate, elapsed, contract, charged)


def headroom_minor(
    principal: int, cap_rate: Decimal, elapsed: int, contract: Decimal, charged: int
) -> int:
    """:func:`headroom` of a capped account on plain minor units and a day count."""
    room = cap_limit_minor(principal, cap_rate, elapsed) - contract - charged
    return max(0, int(room.to_integral_value(rounding=ROUND_FLOOR)))


def daily_penalty(dues: Sequence[Due], day: date, rate: Decimal) -> tuple[int, ...]:
    """Uncapped penalty for ``day`` per installment (zero unless past due with principal left)."""
    if rate == 0:
        return (0,) * len(dues)
    return tuple(
        int((Decimal(d.principal.minor) * rate).to_integral_value(rounding=ROUND_HALF_UP))
        if d.due_date < day and d.principal.minor > 0
        else 0
        for d in dues
    )


def fill(amounts: Sequence[int], room: int | None) -> tuple[int, ...]:
    """Cut ``amounts`` to ``room`` in total, filling the earliest first (None = no cut)."""
    if room is None:
        return tuple(amounts)
    out = []
    for a in amounts:
        take = min(a, room)
        out.append(take)
        room -= take
    return tuple(out)


def book(dues: Sequence[Due], amounts: Sequence[int], component: Component) -> tuple[Due, ...]:
    """Add ``amounts`` (per installment) to ``component`` of ``dues``."""
    out = []
    for d, a in zip(dues, amounts, strict=True):
        out.append(
            d
            if a == 0
            else d.with_part(component, d.part(component) + Money(a, d.principal.currency))
        )
    return tuple(out)
