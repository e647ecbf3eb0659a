"""Negotiation sessions use cases: open, counter, accept and mediate, persisted and on the ledger.

Each function is one transaction: it loads (and locks) the session row, rebuilds the pure
protocol session of :mod:`accord.negotiation.protocol`, applies one step, appends every event the
step produced to the tenant's ledger (type ``negotiation.<event type>`` — an event type that
already starts with ``negotiation.`` is not prefixed twice — subject ``negotiation:<id>``, payload
the event payload plus ``session_id``, ``round`` and the ``reason`` message id and parameters)
and saves the new state, all or nothing. The stored state is the protocol's parameters and
position (deadline, beta, round, status, standing offer) plus the debtor's actions so far; the
plan grid and its valuation are a pure function of the stored case, so a resumed session takes
exactly the step an uninterrupted run would. Mediation limits are sealed: neither the ledger nor
the session row ever holds them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accord.core.money import Money
from accord.negotiation.case import Case
from accord.negotiation.errors import ProtocolError
from accord.negotiation.mediator import mediate
from accord.negotiation.protocol import Event, accept, counter, open_session
from accord.negotiation.protocol import Session as Protocol
from accord.services.negotiate import read_cases
from accord.store import book
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.models import NegotiationSessionRow

OFFERS = "offers"
MEDIATION = "mediation"


class NegotiationNotFound(LookupError):
    """No negotiation session with that id for the tenant."""


@dataclass(frozen=True, slots=True)
class NegotiationReport:
    """What a step did: the session's position, its standing offer, and the entries it wrote."""

    tenant: str
    session_id: str
    case_id: str
    mode: str
    status: str
    round: int
    offer: dict[str, Any] | None
    events: tuple[str, ...]
    seqs: tuple[int, ...]
    reasons: tuple[dict[str, Any], ...]


def _plain(value: Any) -> Any:
    """JSON values for the ledger: floats and Decimals become strings (no binary floats)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"not a JSON value for the ledger: {type(value).__name__}")


def ledger_type(event: Event) -> str:
    """The ledger entry type of a protocol or mediation event."""
    return event.type if event.type.startswith("negotiation.") else f"negotiation.{event.type}"


def _new_events(session_id: str, events: tuple[Event, ...]) -> list[NewEvent]:
    subject = f"negotiation:{session_id}"
    return [
        NewEvent(
            ledger_type(e),
            e.actor,
            subject,
            _plain(
                {
                    **e.payload,
                    "session_id": session_id,
                    "round": e.round,
                    "reason": {"msg_id": e.reason.msg_id, "params": e.reason.params_dict()},
                }
            ),
        )
        for e in events
    ]


def parse_case(obj: Mapping[str, Any]) -> Case:
    """Validate one case object against ``negotiation-case.v1`` and build it (ValueError if not)."""
    cases, problems = read_cases(json.dumps(dict(obj), ensure_ascii=False))
    if problems:
        raise ValueError(f"invalid case: {problems[0]}")
    if len(cases) != 1:
        raise ValueError("expected exactly one case object")
    return cases[0]


def _amount(value: Money | str | None, case: Case, name: str) -> Money | None:
    if value is None or isinstance(value, Money):
        if value is not None and value.currency != case.currency:
            raise ProtocolError(f"{name} must be in the case currency {case.currency}")
        return value
    try:
        return Money.parse(value, case.currency)
    except (ValueError, ArithmeticError) as exc:
        raise ValueError(f"{name}: not an amount: {value!r}") from exc


def _limit(value: Money | str, case: Case, name: str) -> Money:
    money = _amount(value, case, name)
    if money is None:  # pragma: no cover - the signature does not admit None
        raise ValueError(f"{name} is required")
    return money


def restore(case: Mapping[str, Any], state: str) -> Protocol:
    """The protocol session at the position ``state`` records (no past events).

    The plan grid, its valuation and the candidate plans are recomputed from the case (a pure
    function of it), so the restored session takes the same next step as an uninterrupted one.
    """
    doc = json.loads(state)
    fresh = open_session(parse_case(case), deadline=doc["deadline"], beta=float(doc["beta"]))
    return replace(fresh, round=doc["round"], status=doc["status"], offer=doc["offer"], events=())


def resume(row: NegotiationSessionRow) -> Protocol:
    """The protocol session a stored row describes (see :func:`restore`)."""
    return restore(json.loads(row.case), row.state)


def state_json(s: Protocol, actions: list[dict[str, Any]]) -> str:
    """The stored state of ``s``: protocol parameters, position and the debtor's actions."""
    doc = {
        "deadline": s.deadline,
        "beta": str(s.beta),
        "round": s.round,
        "status": s.status,
        "offer": s.offer,
        "actions": actions,
    }
    return json.dumps(doc, sort_keys=True)


def _offer(s: Protocol) -> dict[str, Any] | None:
    if s.offer is None:
        return None
    spec = s.grid.specs[s.offer]
    return {"index": s.offer, "plan": _plain(spec.to_json())}


def _require_tenant(session: Session, tenant: str) -> None:
    if book.get_tenant(session, tenant) is None:
        raise LookupError(f"unknown tenant {tenant!r}")


def _locked(session: Session, tenant: str, session_id: str) -> NegotiationSessionRow:
    row = session.execute(
        select(NegotiationSessionRow)
        .where(NegotiationSessionRow.tenant_id == tenant, NegotiationSessionRow.id == session_id)
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NegotiationNotFound(f"no negotiation {session_id!r} for tenant {tenant!r}")
    return row


def _record(
    session: Session, row: NegotiationSessionRow, events: tuple[Event, ...], at: datetime
) -> tuple[int, ...]:
    """Append the step's events to the ledger, then count them on the row (same transaction)."""
    seqs = append_events(session, row.tenant_id, _new_events(row.id, events), at=at)
    row.event_count += len(events)
    row.updated_at = at
    return tuple(seqs)


def _report(
    row: NegotiationSessionRow,
    s: Protocol | None,
    events: tuple[Event, ...],
    seqs: tuple[int, ...],
) -> NegotiationReport:
    return NegotiationReport(
        tenant=row.tenant_id,
        session_id=row.id,
        case_id=row.case_id,
        mode=row.mode,
        status=row.status,
        round=row.rounds,
        offer=None if s is None else _offer(s),
        events=tuple(ledger_type(e) for e in events),
        seqs=seqs,
        reasons=tuple(
            {"msg_id": e.reason.msg_id, "params": e.reason.params_dict()} for e in events
        ),
    )


def open_negotiation(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    case: Mapping[str, Any],
    deadline: int = 6,
    beta: float = 0.5,
    session_id: str | None = None,
    now: datetime | None = None,
) -> NegotiationReport:
    """Open an alternating-offers session for ``case`` (a ``negotiation-case.v1`` object).

    Records ``negotiation.opened`` and the agent's opening offer (or ``negotiation.no_plan``)
    and stores the session under ``session_id`` (default a random ``neg-…`` id).
    """
    built = parse_case(case)
    s = open_session(built, deadline=deadline, beta=beta)
    at = now or datetime.now(UTC)
    sid = session_id or f"neg-{uuid.uuid4().hex[:16]}"
    with transaction(factory) as session:
        _require_tenant(session, tenant)
        if session.get(NegotiationSessionRow, (tenant, sid)) is not None:
            raise ValueError(f"negotiation {sid!r} already exists")
        row = NegotiationSessionRow(
            tenant_id=tenant,
            id=sid,
            mode=OFFERS,
            case_id=built.case_id,
            case=json.dumps(dict(case), sort_keys=True, ensure_ascii=False),
            status=s.status,
            state=state_json(s, []),
            rounds=s.round,
            event_count=0,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        seqs = _record(session, row, s.events, at)
        return _report(row, s, s.events, seqs)


def _step(
    factory: sessionmaker[Session],
    tenant: str,
    session_id: str,
    action: dict[str, Any],
    now: datetime | None,
) -> NegotiationReport:
    at = now or datetime.now(UTC)
    with transaction(factory) as session:
        row = _locked(session, tenant, session_id)
        if row.mode != OFFERS:
            raise ProtocolError(f"{session_id} is a mediation, not an offers session")
        s = resume(row)
        if action["kind"] == "accept":
            nxt = accept(s)
        else:
            nxt = counter(
                s,
                monthly=_amount(action["monthly"], s.case, "monthly"),
                months=action["months"],
                settlement=_amount(action["settlement"], s.case, "settlement"),
            )
        events = nxt.events[len(s.events) :]
        seqs = _record(session, row, events, at)
        actions = [*json.loads(row.state)["actions"], action]
        row.state = state_json(nxt, actions)
        row.status = nxt.status
        row.rounds = nxt.round
        return _report(row, nxt, events, seqs)


def counter_offer(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    session_id: str,
    monthly: Money | str | None = None,
    months: int | None = None,
    settlement: Money | str | None = None,
    now: datetime | None = None,
) -> NegotiationReport:
    """The debtor counters (amounts as Money or decimal text in the case currency).

    The agent accepts (agreement, or staff approval beyond auto-approval limits), counters back,
    or the deadline passes; every resulting event is recorded.
    """
    action = {
        "kind": "counter",
        "monthly": None if monthly is None else str(_text(monthly)),
        "months": months,
        "settlement": None if settlement is None else str(_text(settlement)),
    }
    return _step(factory, tenant, session_id, action, now)


def _text(value: Money | str) -> str:
    return value.amount_str() if isinstance(value, Money) else value


def accept_offer(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    session_id: str,
    now: datetime | None = None,
) -> NegotiationReport:
    """The debtor accepts the agent's standing offer (agreed, or pending staff approval)."""
    return _step(factory, tenant, session_id, {"kind": "accept"}, now)


def mediate_case(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    case: Mapping[str, Any],
    creditor_floor: Money | str,
    debtor_ceiling: Money | str,
    session_id: str | None = None,
    now: datetime | None = None,
) -> NegotiationReport:
    """Run a blind-bidding mediation for ``case`` and record it as a ``mediation`` session.

    Overlapping limits settle at their midpoint (status ``settled``); otherwise the mediator
    proposes the engine's fair balance point (``proposed``) or reports the gap (``gap``). The
    sealed limits themselves are never stored.
    """
    built = parse_case(case)
    m = mediate(
        built,
        creditor_floor=_limit(creditor_floor, built, "creditor_floor"),
        debtor_ceiling=_limit(debtor_ceiling, built, "debtor_ceiling"),
    )
    status = "settled" if m.settled else ("proposed" if m.proposal is not None else "gap")
    at = now or datetime.now(UTC)
    sid = session_id or f"med-{uuid.uuid4().hex[:16]}"
    with transaction(factory) as session:
        _require_tenant(session, tenant)
        if session.get(NegotiationSessionRow, (tenant, sid)) is not None:
            raise ValueError(f"negotiation {sid!r} already exists")
        outcome = {
            "amount": None if m.amount is None else m.amount.amount_str(),
            "gap": None if m.gap is None else m.gap.amount_str(),
            "plan": None if m.proposal is None else m.proposal.spec.to_json(),
        }
        row = NegotiationSessionRow(
            tenant_id=tenant,
            id=sid,
            mode=MEDIATION,
            case_id=built.case_id,
            case=json.dumps(dict(case), sort_keys=True, ensure_ascii=False),
            status=status,
            state=json.dumps({"outcome": outcome}, sort_keys=True),
            rounds=1,
            event_count=0,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        seqs = _record(session, row, m.events, at)
        report = _report(row, None, m.events, seqs)
        return replace(report, offer=dict(_plain(outcome)))
