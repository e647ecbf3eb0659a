"""Negotiation protocols as pure state transitions that emit event records for the ledger.

**Alternating offers** (:func:`open_session`, :func:`counter`, :func:`accept`): the creditor's
automated agent opens with the acceptable plan (engine need tier, both sides better than no
agreement) that is best for the creditor; each round its reservation falls along a Faratin-style
time-dependent curve ``target(t) = best − (best − floor)·(t/T)^(1/β)`` (β < 1 Boulware: concede
late; β > 1 Conceder), reaching the floor (the creditor's BATNA) at the deadline ``T``, so the
offers converge. A debtor's counter (a monthly amount and/or a term, or a settlement sum) is
mapped to the best plan for the creditor that honours it; it is accepted when that plan is in
the grid (inside policy and pack limits) and worth at least ``target(t)``; otherwise the agent
counters with the plan meeting ``target(t+1)`` that is cheapest for the debtor. Agreed plans
beyond auto-approval limits go to staff approval. **Mediator** (:func:`mediate`): both sides
submit sealed limits on the total payable; overlap settles at the midpoint, otherwise the
mediator proposes the engine's fair balance point. Every step returns an :class:`Event`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from accord.core.money import Money, exponent
from accord.negotiation.affordability import assess
from accord.negotiation.case import Case
from accord.negotiation.engine import case_arrays
from accord.negotiation.errors import ProtocolError
from accord.negotiation.plans import PlanGrid, PlanKind, approval_reasons, plan_grid
from accord.negotiation.reasons import Reason, fmt
from accord.negotiation.selection import select
from accord.negotiation.valuation import GridValues, evaluate


@dataclass(frozen=True, slots=True)
class Event:
    """A ledger-ready record: type, round, actor, JSON payload and the reason (id + params)."""

    type: str
    round: int
    actor: str
    payload: dict[str, Any]
    reason: Reason

    def to_json(self) -> dict[str, Any]:
        """Canonical-JSON-ready form."""
        return {
            "type": self.type,
            "round": self.round,
            "actor": self.actor,
            "payload": self.payload,
            "reason": {"msg_id": self.reason.msg_id, "params": self.reason.params_dict()},
        }


@dataclass(frozen=True, slots=True)
class Session:
    """State of an alternating-offers negotiation (immutable; each step returns a new one)."""

    case: Case
    grid: PlanGrid
    values: GridValues
    candidates: tuple[int, ...]
    deadline: int
    beta: float
    round: int
    status: str  # open | agreed | pending_approval | expired | no_plan
    offer: int | None
    events: tuple[Event, ...]

    @property
    def best(self) -> float:
        """The creditor's best value among acceptable plans."""
        return max(float(self.values.creditor_value[0, p]) for p in self.candidates)

    @property
    def floor(self) -> float:
        """The creditor's reservation value at the deadline: its BATNA."""
        return float(self.values.batnas.creditor[0])

    def target(self, t: int) -> float:
        """Faratin time-dependent reservation at round ``t`` (1-based)."""
        frac = min(max(t - 1, 0) / max(self.deadline - 1, 1), 1.0)
        return float(self.best - (self.best - self.floor) * frac ** (1.0 / self.beta))


def _m(case: Case, x: float) -> Money:
    return Money(round(x * 10 ** exponent(case.currency)), case.currency)


def _plan_payload(s: Session, p: int) -> dict[str, Any]:
    spec = s.grid.specs[p]
    return {
        "plan": spec.to_json(),
        "largest_payment": _m(s.case, float(s.values.max_payment[0, p])).amount_str(),
        "total_payable": _m(s.case, float(s.values.total[0, p])).amount_str(),
    }


def _offer_event(s: Session, p: int, t: int) -> Event:
    v = s.values
    return Event(
        "offer.made",
        t,
        "creditor_agent",
        _plan_payload(s, p),
        Reason.of(
            "protocol.offer",
            round=t,
            months=s.grid.specs[p].months,
            largest=fmt(_m(s.case, float(v.max_payment[0, p]))),
            total=fmt(_m(s.case, float(v.total[0, p]))),
            target=fmt(_m(s.case, s.target(t))),
        ),
    )


def _pick(s: Session, t: int, allowed: list[int] | None = None) -> int:
    """The plan meeting ``target(t)`` that is cheapest for the debtor (fallback: best value)."""
    pool = allowed if allowed else list(s.candidates)
    cv, dc = s.values.creditor_value[0], s.values.debtor_cost[0]
    ok = [p for p in pool if cv[p] >= s.target(t)]
    if ok:
        return min(ok, key=lambda p: (float(dc[p]), p))
    return max(pool, key=lambda p: (float(cv[p]), -p))


def open_session(case: Case, *, deadline: int = 6, beta: float = 0.5) -> Session:
    """Start a negotiation: the agent's opening offer (or a ``no_plan`` session)."""
    if deadline < 1 or beta <= 0:
        raise ProtocolError("deadline must be >= 1 and beta > 0")
    aff = assess(case.statement, policy=case.policy, observed=case.observed, owed=case.owed)
    grid = plan_grid(case.policy, case.limits)
    values = evaluate(case_arrays([case], [aff]), grid, case.policy, case.limits)
    sel = select(values, grid)
    need = int(sel.need_tier[0])
    acceptable = values.feasible[0] & (values.creditor_gain[0] > 0) & (values.debtor_gain[0] > 0)
    cands = tuple(int(p) for p in np.flatnonzero(acceptable & (values.tier[0] == need)))
    opened = Event(
        "negotiation.opened",
        0,
        "creditor_agent",
        {"deadline": deadline, "beta": beta, "case_id": case.case_id},
        Reason.of("protocol.opened", rounds=deadline, beta=str(beta)),
    )
    s = Session(case, grid, values, cands, deadline, beta, 1, "open", None, (opened,))
    if not cands:
        ev = Event("negotiation.no_plan", 0, "creditor_agent", {}, Reason.of("protocol.no_plan"))
        return replace(s, status="no_plan", events=(opened, ev))
    first = _pick(s, 1)
    return replace(s, offer=first, events=(opened, _offer_event(s, first, 1)))


def _agree(s: Session, p: int, actor: str) -> Session:
    v = s.values
    spec = s.grid.specs[p]
    ev = Event(
        "offer.accepted",
        s.round,
        actor,
        _plan_payload(s, p),
        Reason.of(
            "protocol.accepted",
            months=spec.months,
            total=fmt(_m(s.case, float(v.total[0, p]))),
        ),
    )
    events = (*s.events, ev)
    if approval_reasons(spec, float(v.relief[0, p]), s.case.policy):
        approval = Event(
            "approval.required",
            s.round,
            "creditor_agent",
            _plan_payload(s, p),
            Reason.of("protocol.approval"),
        )
        return replace(s, status="pending_approval", offer=p, events=(*events, approval))
    return replace(s, status="agreed", offer=p, events=events)


def accept(s: Session) -> Session:
    """The debtor accepts the agent's standing offer."""
    if s.status != "open" or s.offer is None:
        raise ProtocolError(f"nothing to accept in a {s.status} session")
    return _agree(s, s.offer, "debtor")


def counter(
    s: Session,
    *,
    monthly: Money | None = None,
    months: int | None = None,
    settlement: Money | None = None,
) -> Session:
    """The debtor counters; the agent accepts it or counters back (or the deadline passes)."""
    if s.status != "open":
        raise ProtocolError(f"cannot counter in a {s.status} session")
    if monthly is None and months is None and settlement is None:
        raise ProtocolError("a counter needs a monthly amount, a term or a settlement sum")
    v, specs, t = s.values, s.grid.specs, s.round
    scale = 10 ** exponent(s.case.currency)
    what: list[str] = []
    fits = [p for p in range(len(specs)) if v.feasible[0, p]]
    if settlement is not None:
        what.append(f"settlement {fmt(settlement)}")
        fits = [
            p
            for p in fits
            if specs[p].kind is PlanKind.SETTLEMENT and v.total[0, p] <= settlement.minor / scale
        ]
    else:
        fits = [p for p in fits if specs[p].kind is PlanKind.RESTRUCTURE]
        if monthly is not None:
            what.append(f"monthly {fmt(monthly)}")
            fits = [p for p in fits if v.max_payment[0, p] <= monthly.minor / scale + 0.005]
        if months is not None:
            what.append(f"{months} months")
            fits = [p for p in fits if specs[p].months == months]
    ev = Event(
        "offer.countered",
        t,
        "debtor",
        {
            "monthly": None if monthly is None else monthly.amount_str(),
            "months": months,
            "settlement": None if settlement is None else settlement.amount_str(),
        },
        Reason.of("protocol.counter", what="; ".join(what)),
    )
    s = replace(s, events=(*s.events, ev))
    target = s.target(t)
    best_for_creditor = max(fits, key=lambda p: (float(v.creditor_value[0, p]), -p), default=None)
    if best_for_creditor is not None and v.creditor_value[0, best_for_creditor] >= target:
        ok = Event(
            "counter.accepted",
            t,
            "creditor_agent",
            _plan_payload(s, best_for_creditor),
            Reason.of(
                "protocol.accept_counter",
                value=fmt(_m(s.case, float(v.creditor_value[0, best_for_creditor]))),
                target=fmt(_m(s.case, target)),
            ),
        )
        return _agree(replace(s, events=(*s.events, ok)), best_for_creditor, "creditor_agent")
    value = 0.0 if best_for_creditor is None else float(v.creditor_value[0, best_for_creditor])
    no = Event(
        "counter.rejected",
        t,
        "creditor_agent",
        {},
        Reason.of(
            "protocol.reject_counter",
            value=fmt(_m(s.case, value)),
            target=fmt(_m(s.case, target)),
        ),
    )
    if t >= s.deadline:
        end = Event(
            "negotiation.expired",
            t,
            "creditor_agent",
            {},
            Reason.of("protocol.expired", rounds=s.deadline),
        )
        return replace(s, status="expired", events=(*s.events, no, end))
    nxt = t + 1
    honour = [p for p in fits if p in s.candidates]
    p = _pick(replace(s, round=nxt), nxt, honour or None)
    s = replace(s, round=nxt, offer=p, events=(*s.events, no))
    return replace(s, events=(*s.events, _offer_event(s, p, nxt)))
