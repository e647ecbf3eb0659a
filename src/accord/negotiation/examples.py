"""Example inputs for documentation, tests and benchmarks (amounts in yuan)."""

from __future__ import annotations

from accord.core.money import Money
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
