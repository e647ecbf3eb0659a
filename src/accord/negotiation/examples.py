"""Example inputs for documentation, tests and benchmarks (amounts in yuan)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from accord.core.money import Money
from accord.negotiation.case import Case, Debt
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.statement import (
    Assets,
    Evidence,
    Expenses,
    FinancialStatement,
    HardshipReason,
    Income,
    Region,
)


def cny(yuan: float | int) -> Money:
    """Yuan → Money (rounded to the fen)."""
    return Money(round(yuan * 100), "CNY")


def statement(
    *,
    wages: float = 9000,
    business: float = 0,
    benefits: float = 0,
    other_income: float = 0,
    housing: float = 1800,
    food: float = 2000,
    transport: float = 900,
    utilities: float = 300,
    education: float = 300,
    medical: float = 200,
    dependants: float = 0,
    other_debt: float = 0,
    liquid: float = 5000,
    other_assets: float = 0,
    size: int = 3,
    region: Region = Region.URBAN,
    hardship: HardshipReason = HardshipReason.ILLNESS,
    evidence: tuple[Evidence, ...] = (Evidence("hospital_invoice", "doc-1"),),
) -> FinancialStatement:
    """A plausible urban household of three unless overridden."""
    return FinancialStatement(
        income=Income(cny(wages), cny(business), cny(benefits), cny(other_income)),
        expenses=Expenses(
            cny(housing),
            cny(food),
            cny(transport),
            cny(utilities),
            cny(education),
            cny(medical),
            cny(dependants),
        ),
        other_debt_payments=cny(other_debt),
        assets=Assets(cny(liquid), cny(other_assets)),
        household_size=size,
        region=region,
        hardship=hardship,
        evidence=evidence,
    )


def example_case(
    *,
    case_id: str = "case-1",
    principal: float = 40000,
    charges: float = 3000,
    rate: str = "0.18",
    pd: str | None = "0.35",
    policy: Policy | None = None,
    limits: Limits | None = None,
    **statement_args: Any,
) -> Case:
    """A one-card case owing ``principal + charges`` yuan, 95 days past due, as of 2025-06-01."""
    return Case(
        case_id=case_id,
        debts=(Debt("card-1", cny(principal), cny(charges), Decimal(rate), 95),),
        statement=statement(**statement_args),
        as_of=date(2025, 6, 1),
        pd=None if pd is None else Decimal(pd),
        policy=policy or Policy(),
        limits=limits or Limits(),
    )
