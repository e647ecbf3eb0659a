"""The debtor's financial statement (收支申报): income, essential expenses, debts, assets, hardship.

All amounts are monthly :class:`~accord.core.money.Money` in one currency, except assets which
are stocks. The record is what the debtor declared; :mod:`accord.negotiation.affordability`
checks it and never rewrites it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from accord.core.money import Money, total
from accord.negotiation.errors import InvalidStatement


class HardshipReason(StrEnum):
    """Why the debtor fell behind."""

    JOB_LOSS = "job_loss"
    ILLNESS = "illness"
    BUSINESS_DOWNTURN = "business_downturn"
    FAMILY_EVENT = "family_event"
    DISASTER = "disaster"
    OTHER = "other"


class Region(StrEnum):
    """Which reference norm applies: all residents, urban or rural households."""

    NATIONAL = "national"
    URBAN = "urban"
    RURAL = "rural"


def _amounts(record: object) -> tuple[Money, ...]:
    return tuple(getattr(record, f.name) for f in fields(record))  # type: ignore[arg-type]


def _check(record: object, currency: str) -> None:
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if not isinstance(value, Money):
            raise InvalidStatement(f"{f.name} must be Money")
        if value.currency != currency:
            raise InvalidStatement(f"{f.name} is in {value.currency}, expected {currency}")
        if value.minor < 0:
            raise InvalidStatement(f"{f.name} must not be negative")


@dataclass(frozen=True, slots=True)
class Income:
    """Monthly net income by source."""

    wages: Money
    business: Money
    benefits: Money
    other: Money

    @property
    def total(self) -> Money:
        """All sources together."""
        return total(_amounts(self), self.wages.currency)


@dataclass(frozen=True, slots=True)
class Expenses:
    """Monthly essential expenses by category."""

    housing: Money
    food: Money
    transport: Money
    utilities: Money
    education: Money
    medical: Money
    dependants: Money

    @property
    def total(self) -> Money:
        """All essential categories together."""
        return total(_amounts(self), self.housing.currency)


@dataclass(frozen=True, slots=True)
class Assets:
    """Stocks: ``liquid`` (cash, deposits) can fund a settlement; ``other`` cannot quickly."""

    liquid: Money
    other: Money


@dataclass(frozen=True, slots=True)
class Evidence:
    """A reference to a supporting document (kind such as ``"termination_letter"`` plus an id)."""

    kind: str
    ref: str


@dataclass(frozen=True, slots=True)
class FinancialStatement:
    """Everything the debtor declared; ``household_size`` counts every person the income feeds."""

    income: Income
    expenses: Expenses
    other_debt_payments: Money
    assets: Assets
    household_size: int
    region: Region
    hardship: HardshipReason
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        cur = self.currency
        _check(self.income, cur)
        _check(self.expenses, cur)
        _check(self.assets, cur)
        if self.other_debt_payments.currency != cur or self.other_debt_payments.minor < 0:
            raise InvalidStatement("other_debt_payments must be non-negative and in " + cur)
        if type(self.household_size) is not int or not 1 <= self.household_size <= 20:
            raise InvalidStatement("household_size must be an int within 1..20")

    @property
    def currency(self) -> str:
        """The statement's currency."""
        return self.income.wages.currency


@dataclass(frozen=True, slots=True)
class ObservedBehaviour:
    """Repayment behaviour seen on the creditor's books over the last ``months`` months."""

    months: int
    amount_paid: Money
    months_with_payment: int

    def __post_init__(self) -> None:
        if self.months < 1 or not 0 <= self.months_with_payment <= self.months:
            raise InvalidStatement("observed months must be >= 1 and cover months_with_payment")
        if self.amount_paid.minor < 0:
            raise InvalidStatement("amount_paid must not be negative")
