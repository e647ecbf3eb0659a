"""Affordability: from a declared financial statement to a sustainable monthly payment.

The sustainable payment is the declared surplus (income − essential expenses − other debt
payments) less a safety margin, capped at a share of income; it is monotone by construction
(more income or lower expenses never lowers it). Plausibility checks compare the statement with
reference living costs (NBS 2024, household- and region-scaled), with itself and with observed
repayment behaviour; each finding carries a bilingual reason. Spending below the norm is flagged
for review and never overridden: the declared figures are what the payment is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Final

from accord.core.money import Money, exponent
from accord.negotiation.policy import Policy
from accord.negotiation.reasons import Reason, fmt
from accord.negotiation.reference import (
    ReferenceTable,
    load_reference,
    monthly_norm,
)
from accord.negotiation.statement import FinancialStatement, HardshipReason, ObservedBehaviour

#: Declared spending this far below the household norm is flagged for review.
BELOW_NORM: Final = 0.40
#: Declared spending above (1 + ABOVE_NORM) × norm is flagged for review.
ABOVE_NORM: Final = 1.00
#: Categories checked for spending below the norm; education and medical costs are lumpy and
#: need-driven (no children at school, no illness), so only unusually high figures are flagged.
CHECK_BELOW: Final = ("food", "housing_utilities", "transport")
CHECK_ABOVE: Final = ("food", "housing_utilities", "transport", "education", "medical")
OTHER_DEBT_SHARE: Final = Decimal("0.5")
OBSERVED_TOLERANCE: Final = Decimal("1.2")


class Severity(StrEnum):
    """How a finding should be handled: ``review`` findings go to a person, ``info`` is shown."""

    INFO = "info"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Finding:
    """One plausibility finding: a code, its severity, the statement field and the reason."""

    code: str
    severity: Severity
    field: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class Affordability:
    """The checked result: surplus, sustainable payment, settlement capacity and findings."""

    income: Money
    essential_expenses: Money
    other_debt_payments: Money
    surplus: Money
    sustainable_payment: Money
    safety_margin: Decimal
    lump_sum_capacity: Money
    findings: tuple[Finding, ...]
    explanation: Reason

    @property
    def needs_review(self) -> bool:
        """True when any finding must be looked at by a person."""
        return any(f.severity is Severity.REVIEW for f in self.findings)


def _pct(x: float) -> int:
    return round(x * 100)


def _norm_findings(st: FinancialStatement, table: ReferenceTable) -> list[Finding]:
    e = st.expenses
    declared = {
        "food": e.food,
        "housing_utilities": e.housing + e.utilities,
        "transport": e.transport,
        "education": e.education,
        "medical": e.medical,
    }
    out: list[Finding] = []
    for cat, amount in declared.items():
        norm = monthly_norm(cat, st.household_size, st.region, table)
        value = amount.minor / 10 ** exponent(amount.currency)
        if cat in CHECK_BELOW and value < (1 - BELOW_NORM) * norm:
            code, msg, share = "spending_below_norm", "afford.below_norm", 1 - value / norm
        elif cat in CHECK_ABOVE and value > (1 + ABOVE_NORM) * norm:
            code, msg, share = "spending_above_norm", "afford.above_norm", value / norm - 1
        else:
            continue
        norm_money = Money.from_decimal(Decimal(str(round(norm, 2))), st.currency)
        reason = Reason.of(
            msg,
            pct=_pct(share),
            category_term=cat,
            region_term=st.region.value,
            size=st.household_size,
            declared=fmt(amount),
            norm=fmt(norm_money),
            year=table.year,
        )
        out.append(Finding(code, Severity.REVIEW, f"expenses.{cat}", reason))
    return out


def _consistency_findings(
    st: FinancialStatement,
    surplus: Money,
    observed: ObservedBehaviour | None,
    owed: Money | None,
) -> list[Finding]:
    out: list[Finding] = []
    income = st.income.total
    if surplus.minor <= 0:
        out.append(
            Finding(
                "no_surplus",
                Severity.INFO,
                "income",
                Reason.of("afford.no_surplus", deficit=fmt(-surplus)),
            )
        )
    if income.minor > 0 and st.other_debt_payments.minor > income.minor * OTHER_DEBT_SHARE:
        share = _pct(st.other_debt_payments.minor / income.minor)
        out.append(
            Finding(
                "other_debt_heavy",
                Severity.REVIEW,
                "other_debt_payments",
                Reason.of("afford.other_debt_heavy", pct=share),
            )
        )
    if st.hardship is HardshipReason.JOB_LOSS and st.income.wages.minor > 0:
        out.append(
            Finding(
                "job_loss_with_wages",
                Severity.REVIEW,
                "income.wages",
                Reason.of("afford.job_loss_with_wages", wages=fmt(st.income.wages)),
            )
        )
    if not st.evidence:
        out.append(
            Finding(
                "no_evidence",
                Severity.INFO,
                "evidence",
                Reason.of("afford.no_evidence", hardship_term=st.hardship.value),
            )
        )
    if observed is not None:
        avg = Money(observed.amount_paid.minor // observed.months, st.currency)
        cap = max(surplus.minor, 0) * OBSERVED_TOLERANCE
        if avg.minor > 0 and avg.minor > cap:
            out.append(
                Finding(
                    "observed_paid_more",
                    Severity.REVIEW,
                    "observed",
                    Reason.of(
                        "afford.observed_paid_more",
                        months=observed.months,
                        average=fmt(avg),
                        surplus=fmt(Money(max(surplus.minor, 0), st.currency)),
                    ),
                )
            )
        if observed.months_with_payment == 0 and surplus.minor > 0:
            out.append(
                Finding(
                    "observed_no_payment",
                    Severity.INFO,
                    "observed",
                    Reason.of(
                        "afford.observed_no_payment",
                        months=observed.months,
                        surplus=fmt(surplus),
                    ),
                )
            )
    if owed is not None and st.assets.liquid.minor >= owed.minor > 0:
        out.append(
            Finding(
                "liquid_covers_debt",
                Severity.INFO,
                "assets.liquid",
                Reason.of(
                    "afford.liquid_covers_debt",
                    liquid=fmt(st.assets.liquid),
                    owed=fmt(owed),
                ),
            )
        )
    return out


def assess(
    statement: FinancialStatement,
    *,
    policy: Policy | None = None,
    observed: ObservedBehaviour | None = None,
    owed: Money | None = None,
    table: ReferenceTable | None = None,
) -> Affordability:
    """Check ``statement`` and derive the sustainable monthly payment with its explanation.

    ``sustainable = min(max(surplus, 0) × (1 − safety_margin), income × max_payment_share)``,
    rounded down to the minor unit; ``lump_sum_capacity = liquid assets − emergency_buffer_months
    × essential expenses`` (not below zero). Findings never change either figure.
    """
    pol = policy or Policy()
    tab = table or load_reference()
    cur = statement.currency
    income = statement.income.total
    essential = statement.expenses.total
    surplus = income - essential - statement.other_debt_payments
    margin_payment = Money(max(surplus.minor, 0), cur).scale(
        1 - pol.safety_margin, rounding=ROUND_DOWN
    )
    share_cap = income.scale(pol.max_payment_share, rounding=ROUND_DOWN)
    sustainable = min(margin_payment, share_cap)
    buffer = essential * pol.emergency_buffer_months
    lump = Money(max(statement.assets.liquid.minor - buffer.minor, 0), cur)
    findings = _norm_findings(statement, tab) + _consistency_findings(
        statement, surplus, observed, owed
    )
    if surplus.minor <= 0:
        explanation = Reason.of(
            "afford.summary_none",
            income=fmt(income),
            expenses=fmt(essential),
            other=fmt(statement.other_debt_payments),
        )
    else:
        explanation = Reason.of(
            "afford.summary_capped" if share_cap < margin_payment else "afford.summary",
            income=fmt(income),
            expenses=fmt(essential),
            other=fmt(statement.other_debt_payments),
            surplus=fmt(surplus),
            margin=_pct(float(pol.safety_margin)),
            share=_pct(float(pol.max_payment_share)),
            payment=fmt(sustainable),
        )
    return Affordability(
        income=income,
        essential_expenses=essential,
        other_debt_payments=statement.other_debt_payments,
        surplus=surplus,
        sustainable_payment=sustainable,
        safety_margin=pol.safety_margin,
        lump_sum_capacity=lump,
        findings=tuple(findings),
        explanation=explanation,
    )
