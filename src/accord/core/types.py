"""Shared immutable records of the loan core: identifiers, installments and schedules.

Schedules are produced by :mod:`accord.core.schedule` and consumed by allocation, delinquency,
negotiation and agreements; they live here so that none of those modules imports another's
internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NewType

from accord.core.money import Money, total

TenantId = NewType("TenantId", str)
AccountId = NewType("AccountId", str)
PartyId = NewType("PartyId", str)
CaseId = NewType("CaseId", str)
AgreementId = NewType("AgreementId", str)


class Method(StrEnum):
    """Amortisation methods (CLI spelling in the values)."""

    EQUAL_INSTALLMENT = "equal-installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal-principal"  # 等额本金
    INTEREST_ONLY = "interest-only"  # 先息后本 (balloon)
    STEP_UP = "step-up"  # 阶梯还款


@dataclass(frozen=True, slots=True)
class Installment:
    """One scheduled due amount (期): principal + interest (+ fees) due on ``due_date``.

    ``seq`` is 1-based. ``opening_principal`` is the outstanding principal before this
    installment's principal part is repaid. ``capitalised`` is set only on payment-holiday
    installments (which have a zero payment): the interest that accrued and was added to the
    principal instead of being due, zero when the holiday freezes interest. ``None`` marks an
    ordinary installment.
    """

    seq: int
    due_date: date
    principal: Money
    interest: Money
    fees: Money
    opening_principal: Money
    capitalised: Money | None = None

    @property
    def payment(self) -> Money:
        """Total due on this installment."""
        return self.principal + self.interest + self.fees

    @property
    def closing_principal(self) -> Money:
        """Outstanding principal once this installment is paid."""
        closing = self.opening_principal - self.principal
        return closing + self.capitalised if self.capitalised is not None else closing


@dataclass(frozen=True, slots=True)
class Schedule:
    """A complete repayment schedule.

    ``sum(principal parts) == principal + total_capitalised`` always holds (capitalisation
    only happens in payment holidays, so without one the principal parts sum to the principal).
    """

    principal: Money
    annual_rate: Decimal
    method: Method
    start: date
    installments: tuple[Installment, ...]

    @property
    def currency(self) -> str:
        """Currency of every amount in the schedule."""
        return self.principal.currency

    @property
    def total_interest(self) -> Money:
        """Sum of interest parts."""
        return total((i.interest for i in self.installments), self.currency)

    @property
    def total_capitalised(self) -> Money:
        """Interest added to the principal during payment holidays."""
        caps = (i.capitalised for i in self.installments if i.capitalised is not None)
        return total(caps, self.currency)

    @property
    def total_payment(self) -> Money:
        """Sum of all payments (principal + interest + fees)."""
        return total((i.payment for i in self.installments), self.currency)
