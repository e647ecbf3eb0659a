"""Mediator mode: sealed limits (blind bidding) on the total payable, then settle or propose.

Both sides submit a confidential limit: the creditor the least total it will accept, the debtor
the most it will pay. The events record only that a limit was submitted, never its amount. If
the limits overlap the case settles at their midpoint (the mediator then builds the plan: a
settlement when the debtor's savings cover it, else the restructure whose total is closest);
otherwise the mediator, who sees the gap, proposes the engine's fair balance point (the Nash
recommendation).
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.core.money import Money
from accord.negotiation.case import Case
from accord.negotiation.engine import negotiate
from accord.negotiation.errors import ProtocolError
from accord.negotiation.outcome import PlanValue
from accord.negotiation.protocol import Event
from accord.negotiation.reasons import Reason, fmt


@dataclass(frozen=True, slots=True)
class Mediation:
    """The result: settled or not, the agreed or proposed total and plan, and the events."""

    settled: bool
    amount: Money | None
    proposal: PlanValue | None
    gap: Money | None
    events: tuple[Event, ...]


def mediate(case: Case, *, creditor_floor: Money, debtor_ceiling: Money) -> Mediation:
    """Run one blind-bidding round for ``case`` with the two sealed limits."""
    if creditor_floor.currency != case.currency or debtor_ceiling.currency != case.currency:
        raise ProtocolError("limits must be in the case currency")
    sealed = tuple(
        Event(
            "mediation.limit_submitted",
            0,
            party,
            {"sealed": True},
            Reason.of("mediation.sealed", party_term=party),
        )
        for party in ("creditor", "debtor")
    )
    outcome = negotiate(case, schedules=False)
    if debtor_ceiling >= creditor_floor:
        mid = Money((creditor_floor.minor + debtor_ceiling.minor) // 2, case.currency)
        plans = [m.plan for m in outcome.menu] + (
            [outcome.recommended] if outcome.recommended else []
        )
        closest = min(plans, key=lambda p: abs(p.total_payable.minor - mid.minor), default=None)
        ev = Event(
            "mediation.settled",
            1,
            "mediator",
            {
                "amount": mid.amount_str(),
                "plan": None if closest is None else closest.spec.to_json(),
            },
            Reason.of("mediation.settled", amount=fmt(mid)),
        )
        return Mediation(True, mid, closest, None, (*sealed, ev))
    gap = creditor_floor - debtor_ceiling
    rec = outcome.recommended
    if rec is None:
        ev = Event(
            "mediation.gap",
            1,
            "mediator",
            {"gap": gap.amount_str(), "plan": None},
            outcome.no_deal or Reason.of("nodeal.no_overlap"),
        )
        return Mediation(False, None, None, gap, (*sealed, ev))
    ev = Event(
        "mediation.proposed",
        1,
        "mediator",
        {
            "gap": gap.amount_str(),
            "plan": rec.spec.to_json(),
            "total_payable": rec.total_payable.amount_str(),
        },
        Reason.of(
            "mediation.gap", gap=fmt(gap), months=rec.spec.months, total=fmt(rec.total_payable)
        ),
    )
    return Mediation(False, rec.total_payable, rec, gap, (*sealed, ev))
