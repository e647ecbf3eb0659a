"""Negotiation sessions: persisted, resumable, and every step in the signed ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from accord.negotiation.errors import ProtocolError
from accord.negotiation.examples import cny
from accord.negotiation.protocol import Session, accept, counter, open_session
from accord.services import negotiation_sessions as ns
from accord.services.ledger import export, verify
from accord.store.models import EVENTS_TABLE, NegotiationSessionRow
from tests.conftest import Db
from tests.services.agreement_helpers import TENANT, make_tenant
from tests.services.negotiation_helpers import case_obj


def ledger(db: Db, session_id: str) -> list[dict[str, Any]]:
    """The session's ledger entries, in order: type, actor and parsed payload."""
    stmt = (
        select(EVENTS_TABLE.c.type, EVENTS_TABLE.c.actor, EVENTS_TABLE.c.payload)
        .where(EVENTS_TABLE.c.subject == f"negotiation:{session_id}")
        .order_by(EVENTS_TABLE.c.seq)
    )
    with db.factory() as s:
        return [{"type": t, "actor": a, "payload": json.loads(p)} for t, a, p in s.execute(stmt)]


def event_count(db: Db) -> int:
    with db.factory() as s:
        return int(s.execute(select(func.count()).select_from(EVENTS_TABLE)).scalar_one())


def expected(session_id: str, s: Session) -> list[dict[str, Any]]:
    """The uninterrupted in-memory run's events, as the service must have recorded them."""
    return [
        {"type": e.type, "actor": e.actor, "payload": e.payload}
        for e in ns._new_events(session_id, s.events)
    ]


@pytest.mark.parametrize(
    ("lenient", "monthlies", "final"),
    [
        (True, ["300", "2500"], "agreed"),
        (False, ["300", "2500"], "pending_approval"),
        (True, ["300", "300", "300"], "expired"),
    ],
)
def test_stored_steps_match_an_uninterrupted_run(
    db: Db, lenient: bool, monthlies: list[str], final: str
) -> None:
    make_tenant(db)
    obj = case_obj(lenient=lenient)
    opened = ns.open_negotiation(
        factory=db.factory, tenant=TENANT, case=obj, deadline=3, session_id="neg-1"
    )
    assert opened.status == "open"
    assert opened.events == ("negotiation.opened", "negotiation.offer.made")
    # the same protocol, run in memory without ever being stored
    mem = open_session(ns.parse_case(obj), deadline=3)
    assert opened.offer is not None
    assert opened.offer["index"] == mem.offer
    for m in monthlies:
        report = ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="neg-1", monthly=m)
        mem = counter(mem, monthly=cny(int(m)))
        assert report.status == mem.status
        assert report.round == mem.round
        assert (report.offer or {}).get("index") == mem.offer
    assert mem.status == final
    rows = ledger(db, "neg-1")
    assert rows == expected("neg-1", mem)
    for r in rows:
        assert r["type"].startswith("negotiation.")
        assert r["payload"]["reason"]["msg_id"]
        assert isinstance(r["payload"]["round"], int)
    with db.factory() as s:
        row = s.get(NegotiationSessionRow, (TENANT, "neg-1"))
        assert row is not None
        assert row.status == final
        assert row.event_count == len(rows)
        assert len(json.loads(row.state)["actions"]) == len(monthlies)


def test_accepting_the_opening_offer_needs_staff_approval_beyond_limits(db: Db) -> None:
    make_tenant(db)
    ns.open_negotiation(factory=db.factory, tenant=TENANT, case=case_obj(), session_id="n2")
    report = ns.accept_offer(factory=db.factory, tenant=TENANT, session_id="n2")
    assert report.status == "pending_approval"
    assert report.events == ("negotiation.offer.accepted", "negotiation.approval.required")
    last = ledger(db, "n2")[-1]
    assert last["payload"]["reason"]["msg_id"] == "protocol.approval"
    assert last["payload"]["plan"]["months"] >= 1


def test_failed_steps_leave_no_entry_and_no_state_change(
    db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tenant(db)
    ns.open_negotiation(factory=db.factory, tenant=TENANT, case=case_obj(), session_id="n3")
    with db.factory() as s:
        before_row = s.get(NegotiationSessionRow, (TENANT, "n3"))
        assert before_row is not None
        before_state = before_row.state
    before = event_count(db)

    def boom(*_args: object) -> str:
        raise RuntimeError("disk full")

    # the failure strikes after the events were appended: the whole step must roll back
    monkeypatch.setattr(ns, "state_json", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="n3", monthly="300")
    monkeypatch.undo()
    assert event_count(db) == before
    with db.factory() as s:
        row = s.get(NegotiationSessionRow, (TENANT, "n3"))
        assert row is not None
        assert row.state == before_state
        assert row.event_count == 2
    with pytest.raises(ProtocolError):
        ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="n3")
    with pytest.raises(ns.NegotiationNotFound):
        ns.accept_offer(factory=db.factory, tenant=TENANT, session_id="nope")
    with pytest.raises(LookupError):
        ns.open_negotiation(factory=db.factory, tenant="ghost", case=case_obj())
    with pytest.raises(ValueError, match="invalid case"):
        ns.open_negotiation(factory=db.factory, tenant=TENANT, case={"case_id": "x"})
    assert event_count(db) == before
    # the session still resumes where it was: the step that failed now succeeds
    ok = ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="n3", monthly="300")
    assert ok.events[0] == "negotiation.offer.countered"


def test_mediation_overlap_settles_at_the_midpoint_and_limits_stay_sealed(db: Db) -> None:
    make_tenant(db)
    settled = ns.mediate_case(
        factory=db.factory,
        tenant=TENANT,
        case=case_obj(),
        creditor_floor="40000",
        debtor_ceiling="50000",
        session_id="m1",
    )
    assert settled.status == "settled"
    assert settled.offer is not None
    assert settled.offer["amount"] == "45000.00"
    rows = ledger(db, "m1")
    assert [r["type"] for r in rows] == [
        "negotiation.mediation.limit_submitted",
        "negotiation.mediation.limit_submitted",
        "negotiation.mediation.settled",
    ]
    assert rows[-1]["payload"]["amount"] == "45000.00"
    stored = json.dumps([r["payload"] for r in rows[:2]])
    assert "40000" not in stored
    assert "50000" not in stored
    gap = ns.mediate_case(
        factory=db.factory,
        tenant=TENANT,
        case=case_obj(),
        creditor_floor=cny(60000),
        debtor_ceiling=cny(30000),
        session_id="m2",
    )
    assert gap.status == "proposed"
    assert gap.offer is not None
    assert gap.offer["gap"] == "30000.00"
    with pytest.raises(ProtocolError):
        ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="m1", monthly="1")


def test_exported_bundle_with_negotiation_entries_verifies(db: Db, tmp_path: Path) -> None:
    make_tenant(db)
    ns.open_negotiation(factory=db.factory, tenant=TENANT, case=case_obj(), session_id="n5")
    ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="n5", monthly="300")
    ns.accept_offer(factory=db.factory, tenant=TENANT, session_id="n5")
    out = tmp_path / "bundle"
    exported = export(factory=db.factory, tenant=TENANT, out=out)
    assert exported.entries == event_count(db)
    report = verify(out)
    assert report.ok, report.error
    assert report.entries == exported.entries


def test_resume_rebuilds_the_same_protocol_session(db: Db) -> None:
    make_tenant(db)
    obj = case_obj(lenient=True)
    ns.open_negotiation(factory=db.factory, tenant=TENANT, case=obj, session_id="n6", beta=2.0)
    ns.counter_offer(factory=db.factory, tenant=TENANT, session_id="n6", monthly="300")
    mem = counter(open_session(ns.parse_case(obj), beta=2.0), monthly=cny(300))
    with db.factory() as s:
        row = s.get(NegotiationSessionRow, (TENANT, "n6"))
        assert row is not None
        resumed = ns.resume(row)
    assert (resumed.round, resumed.status, resumed.offer) == (mem.round, mem.status, mem.offer)
    assert resumed.candidates == mem.candidates
    assert [resumed.target(t) for t in range(1, 7)] == [mem.target(t) for t in range(1, 7)]
    assert accept(resumed).events[-1].payload == accept(mem).events[-1].payload


@settings(max_examples=12, deadline=None)
@given(
    monthlies=st.lists(st.sampled_from([300, 900, 1400, 1800, 2500]), min_size=1, max_size=5),
    beta=st.sampled_from([0.5, 1.0, 2.0]),
    lenient=st.booleans(),
)
def test_restoring_after_every_step_takes_the_same_steps(
    monthlies: list[int], beta: float, lenient: bool
) -> None:
    obj = case_obj(lenient=lenient)
    mem = open_session(ns.parse_case(obj), deadline=4, beta=beta)
    stored = ns.state_json(mem, [])
    for m in monthlies:
        if mem.status != "open":
            break
        resumed = ns.restore(obj, stored)
        step_mem = counter(mem, monthly=cny(m))
        step_resumed = counter(resumed, monthly=cny(m))
        new = step_mem.events[len(mem.events) :]
        assert [e.to_json() for e in step_resumed.events] == [e.to_json() for e in new]
        assert (step_resumed.status, step_resumed.round, step_resumed.offer) == (
            step_mem.status,
            step_mem.round,
            step_mem.offer,
        )
        mem, stored = step_mem, ns.state_json(step_resumed, [])
