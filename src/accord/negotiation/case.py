"""A negotiation case (协商案件): one debtor's overdue accounts with one creditor, plus inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accord.core.money import Money, total
from accord.negotiation.errors import InvalidCase
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.statement import FinancialStatement, ObservedBehaviour


@dataclass(frozen=True, slots=True)
class Debt:
    """One overdue account: outstanding ``principal``, accrued ``charges`` and its contract rate."""

    account_id: str
    principal: Money
    charges: Money
    annual_rate: Decimal
    dpd: int = 0

    def __post_init__(self) -> None:
        if self.principal.minor < 0 or self.charges.minor < 0:
            raise InvalidCase(f"{self.account_id}: amounts must not be negative")
        if self.principal.currency != self.charges.currency:
            raise InvalidCase(f"{self.account_id}: principal and charges differ in currency")
        if not isinstance(self.annual_rate, Decimal) or not 0 <= self.annual_rate <= 1:
            raise InvalidCase(f"{self.account_id}: annual_rate must be a Decimal within 0..1")
        if self.dpd < 0:
            raise InvalidCase(f"{self.account_id}: dpd must not be negative")

    @property
    def owed(self) -> Money:
        """Principal plus charges."""
        return self.principal + self.charges


@dataclass(frozen=True, slots=True)
class Case:
    """Everything the engine needs for one case; ``pd`` is the risk model's 12-month PD if any."""

    case_id: str
    debts: tuple[Debt, ...]
    statement: FinancialStatement
    as_of: date
    pd: Decimal | None = None
    observed: ObservedBehaviour | None = None
    policy: Policy = field(default_factory=Policy)
    limits: Limits = field(default_factory=Limits)
    _owed: Money = field(init=False, repr=False, compare=False)
    _rate: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.debts:
            raise InvalidCase(f"{self.case_id}: a case needs at least one debt")
        cur = self.statement.currency
        if any(d.principal.currency != cur for d in self.debts):
            raise InvalidCase(f"{self.case_id}: debts and statement must share one currency")
        # derived once: the engine reads them many times per case
        owed = total((d.owed for d in self.debts), cur)
        object.__setattr__(self, "_owed", owed)
        if owed.minor > 0:
            rate = sum((d.annual_rate * d.owed.minor for d in self.debts), Decimal(0)) / owed.minor
            object.__setattr__(self, "_rate", rate)
        if self.owed.minor <= 0:
            raise InvalidCase(f"{self.case_id}: nothing is owed")
        if self.pd is not None and not Decimal(0) <= self.pd < 1:
            raise InvalidCase(f"{self.case_id}: pd must be within 0..1")

    @property
    def currency(self) -> str:
        """The case currency."""
        return self.statement.currency

    @property
    def owed(self) -> Money:
        """Everything owed across the case's debts."""
        return self._owed

    @property
    def contract_rate(self) -> Decimal:
        """Balance-weighted contract annual rate of the debts (exact ``Decimal``)."""
        return self._rate
