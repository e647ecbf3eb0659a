"""Bilingual explanations of plans, BATNAs and no-deal outcomes, as :class:`Reason` records."""

from __future__ import annotations

from accord.core.money import Money
from accord.negotiation.outcome import CreditorBatna, DebtorBatna
from accord.negotiation.plans import PlanKind, PlanSpec
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.reasons import Reason, fmt
from accord.negotiation.selection import NoDeal


def pct(x: float) -> int:
    """Whole percent, half away from zero."""
    return round(x * 100)


def plan_reason(
    spec: PlanSpec,
    *,
    owed: Money,
    first: Money,
    largest: Money,
    total_payable: Money,
    debtor_cost: Money,
    creditor_value: Money,
    redefault_12m: float,
    debtor_batna: DebtorBatna,
    creditor_batna: CreditorBatna,
    limits: Limits,
) -> Reason:
    """Plain-language summary of a plan compared with no agreement, for both sides."""
    saving = Money(max(debtor_batna.cost.minor - debtor_cost.minor, 0), owed.currency)
    common: dict[str, str | int] = {
        "owed": fmt(owed),
        "total": fmt(total_payable),
        "total_pct": pct(total_payable.minor / owed.minor),
        "cost": fmt(debtor_cost),
        "batna": fmt(debtor_batna.cost),
        "saving": fmt(saving),
        "cap": pct(float(limits.charges_annual_cap)),
        "p12": pct(redefault_12m),
        "cvalue": fmt(creditor_value),
        "cbatna": fmt(creditor_batna.value),
        "path_term": creditor_batna.path,
    }
    if spec.kind is PlanKind.SETTLEMENT:
        return Reason.of("plan.settlement", discount=pct(float(spec.discount)), **common)
    return Reason.of(
        "plan.restructure_holiday" if spec.holiday_months else "plan.restructure",
        features_terms=",".join(spec.features),
        months=spec.months,
        holiday=spec.holiday_months,
        first=fmt(first),
        largest=fmt(largest),
        **common,
    )


def creditor_batna_reason(
    *, path: str, value: Money, collections: Money, sale: Money, owed: Money, policy: Policy
) -> Reason:
    """Why the creditor's no-agreement value is what it is."""
    return Reason.of(
        "batna.creditor",
        path_term=path,
        value=fmt(value),
        collections=fmt(collections),
        success=pct(float(policy.collection_success)),
        months=policy.collection_months,
        legal=pct(float(policy.collection_legal_cost)),
        sale=fmt(sale),
        sale_pct=pct(float(policy.debt_sale_price)),
        owed=fmt(owed),
    )


def debtor_batna_reason(
    *,
    cost: Money,
    charges: Money,
    legal: Money,
    damage: Money,
    owed: Money,
    policy: Policy,
    limits: Limits,
) -> Reason:
    """What no agreement would cost the debtor."""
    return Reason.of(
        "batna.debtor",
        owed=fmt(owed),
        months=policy.collection_months,
        cap=pct(float(limits.charges_annual_cap)),
        charges=fmt(charges),
        legal=fmt(legal),
        damage=fmt(damage),
        damage_months=str(policy.credit_damage_months_income.normalize()),
        cost=fmt(cost),
    )


def no_deal_reason(
    why: NoDeal,
    *,
    sustainable: Money,
    smallest_payment: Money,
    lump_capacity: Money,
    best_creditor_value: Money,
    creditor_batna: CreditorBatna,
    debtor_batna: DebtorBatna,
) -> Reason:
    """Why no plan beats both sides' BATNAs."""
    if why is NoDeal.UNAFFORDABLE:
        return Reason.of(
            "nodeal.unaffordable",
            sustainable=fmt(sustainable),
            smallest=fmt(smallest_payment),
            lump=fmt(lump_capacity),
        )
    if why is NoDeal.CREDITOR_BATNA:
        return Reason.of(
            "nodeal.creditor_batna",
            best=fmt(best_creditor_value),
            batna=fmt(creditor_batna.value),
            path_term=creditor_batna.path,
        )
    if why is NoDeal.DEBTOR_BATNA:
        return Reason.of("nodeal.debtor_batna", batna=fmt(debtor_batna.cost))
    return Reason.of("nodeal.no_overlap")
