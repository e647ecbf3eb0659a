"""JSON rendering of engine outcomes (money as decimal strings, reasons in both languages)."""

from __future__ import annotations

from typing import Any

from accord.core.money import Money
from accord.core.types import Schedule
from accord.negotiation.affordability import Affordability
from accord.negotiation.outcome import Outcome, PlanValue


def money(m: Money) -> str:
    """Decimal string of an amount (the currency is given once per case)."""
    return m.amount_str()


def schedule_json(s: Schedule) -> list[dict[str, Any]]:
    """Instalment rows of a schedule."""
    return [
        {
            "seq": i.seq,
            "due_date": i.due_date.isoformat(),
            "principal": money(i.principal),
            "interest": money(i.interest),
            "fees": money(i.fees),
            "payment": money(i.payment),
            "opening_principal": money(i.opening_principal),
        }
        for i in s.installments
    ]


def plan_json(p: PlanValue) -> dict[str, Any]:
    """A valued plan."""
    return {
        "terms": p.spec.to_json(),
        "annual_rate": str(p.annual_rate),
        "apr": None if p.apr is None else str(p.apr),
        "principal": money(p.principal),
        "first_payment": money(p.first_payment),
        "largest_payment": money(p.largest_payment),
        "total_payable": money(p.total_payable),
        "relief": str(p.relief),
        "concession_tier": p.tier,
        "creditor": {"value": money(p.creditor_value), "gain": money(p.creditor_gain)},
        "debtor": {
            "cost": money(p.debtor_cost),
            "gain": money(p.debtor_gain),
            "income_share": str(p.income_share),
        },
        "redefault_12m": str(p.redefault_12m),
        "needs_approval": p.needs_approval,
        "approval_reasons": [r.to_json() for r in p.approval],
        "explanation": p.explanation.to_json(),
        "schedule": None if p.schedule is None else schedule_json(p.schedule),
    }


def affordability_json(a: Affordability) -> dict[str, Any]:
    """Affordability with findings."""
    return {
        "income": money(a.income),
        "essential_expenses": money(a.essential_expenses),
        "other_debt_payments": money(a.other_debt_payments),
        "surplus": money(a.surplus),
        "safety_margin": str(a.safety_margin),
        "sustainable_payment": money(a.sustainable_payment),
        "lump_sum_capacity": money(a.lump_sum_capacity),
        "needs_review": a.needs_review,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "field": f.field,
                "reason": f.reason.to_json(),
            }
            for f in a.findings
        ],
        "explanation": a.explanation.to_json(),
    }


def outcome_json(o: Outcome) -> dict[str, Any]:
    """The whole outcome of a case."""
    cb, db = o.creditor_batna, o.debtor_batna
    return {
        "case_id": o.case_id,
        "currency": o.owed.currency,
        "owed": money(o.owed),
        "affordability": affordability_json(o.affordability),
        "batna": {
            "creditor": {
                "value": money(cb.value),
                "path": cb.path,
                "collections_value": money(cb.collections_value),
                "sale_value": money(cb.sale_value),
                "reason": cb.reason.to_json(),
            },
            "debtor": {
                "cost": money(db.cost),
                "accrued_charges": money(db.accrued_charges),
                "legal_costs": money(db.legal_costs),
                "credit_damage": money(db.credit_damage),
                "reason": db.reason.to_json(),
            },
        },
        "agreement_possible": o.recommended is not None,
        "concession_tier": o.need_tier,
        "required_payment": None if o.required_payment is None else money(o.required_payment),
        "recommended": None if o.recommended is None else plan_json(o.recommended),
        "menu": [{"label": m.label, "plan": plan_json(m.plan)} for m in o.menu],
        "no_deal": None if o.no_deal is None else o.no_deal.to_json(),
        "plans_considered": o.plans_considered,
        "plans_acceptable": o.plans_acceptable,
    }
