"""Shared machinery of the agreement use cases: run one command, record it, project it.

:func:`execute` applies a command to a locked agreement row with the executor, appends every
event it produced to the tenant's ledger (``agreement.*`` entries whose payload is
``Event.to_record()`` plus ``agreement_id``; the creation entry also carries the terms) and
updates the projection and the notification outbox — in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.agreements import (
    AgreementState,
    AgreementTerms,
    Command,
    Contract,
    Status,
    apply,
    compile_terms,
    parse_terms,
    state_hash,
)
from accord.agreements.events import Event
from accord.agreements.executor import Step
from accord.agreements.state import state_document, state_from_document
from accord.agreements.terms import terms_document
from accord.compliance.outbox import MessageStatus, cancel, release
from accord.notify.plan import plan_messages
from accord.store.agreements import (
    add_messages,
    agreement_subject,
    get_agreement,
    messages_of,
    save_message,
)
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_keys import creditor_party
from accord.store.models import AgreementRow

ACTOR = "system:agreements"
#: Events after which a cleared hardship flag releases held messages.
RELEASING = frozenset({"agreement.hardship_verified", "agreement.resumed"})


class AgreementNotFound(LookupError):
    """No agreement with that id in the tenant."""


class ProjectionCorrupt(RuntimeError):
    """The stored state does not hash to the stored state hash (edited outside the service)."""


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """An agreement after a use case: status, state hash and what this call recorded."""

    tenant: str
    agreement_id: str
    status: str
    state_hash: str
    terms_hash: str
    event_count: int
    signed_by: tuple[str, ...]
    paid_total_minor: int
    remaining_minor: int
    events: tuple[str, ...]
    ledger_seqs: tuple[int, ...]
    messages: int


def debtor_party(debtor_id: str) -> str:
    """The ledger party of a debtor (custodial key, pseudonymous id)."""
    return f"debtor:{debtor_id}"


@lru_cache(maxsize=256)
def compiled(terms_json: str) -> tuple[AgreementTerms, Contract]:
    """Parsed and compiled terms of a stored terms document (cached by its text)."""
    terms = parse_terms(json.loads(terms_json))
    return terms, compile_terms(terms)


def load_state(row: AgreementRow) -> AgreementState:
    """The executor state of a row; raises :class:`ProjectionCorrupt` if it fails its hash."""
    state = state_from_document(json.loads(row.state))
    if state_hash(state) != row.state_hash:
        raise ProjectionCorrupt(f"agreement {row.agreement_id}: stored state fails its hash")
    return state


def make_report(
    row: AgreementRow, state: AgreementState, events: Sequence[Event], seqs: Sequence[int], n: int
) -> AgreementReport:
    """The report of ``row`` in ``state`` with what this call recorded."""
    return AgreementReport(
        row.tenant_id,
        row.agreement_id,
        row.status,
        row.state_hash,
        row.terms_hash,
        row.event_count,
        state.signed_by,
        state.paid_total,
        state.remaining,
        tuple(e.type for e in events),
        tuple(seqs),
        n,
    )


def ledger_events(
    row: AgreementRow, events: Sequence[Event], terms: AgreementTerms
) -> list[NewEvent]:
    """Ledger events of executor ``events`` (the creation entry carries the terms)."""
    subject = agreement_subject(row.agreement_id)
    out = []
    for e in events:
        payload: dict[str, Any] = {"agreement_id": row.agreement_id, **e.to_record()}
        if e.type == "agreement.created":
            payload["terms"] = terms_document(terms)
        out.append(NewEvent(e.type, ACTOR, subject, payload))
    return out


def project(
    session: Session, row: AgreementRow, terms: AgreementTerms, step: Step, now: datetime
) -> int:
    """Update the row to ``step.state`` and queue its notifications; return messages queued."""
    row.status = step.state.status.value
    row.state = json.dumps(state_document(step.state), sort_keys=True, ensure_ascii=False)
    row.state_hash = state_hash(step.state)
    row.event_count = step.state.event_count
    row.updated_at = now
    session.flush()
    if any(e.type == "agreement.paused" for e in step.events):
        live = [MessageStatus.PENDING, MessageStatus.RETRYING, MessageStatus.DEFERRED]
        for m in messages_of(session, row.tenant_id, row.id, [*live, MessageStatus.HELD]):
            if m.purpose == "collection":
                save_message(session, row.tenant_id, cancel(m, now, "schedule changed"))
    flagged = step.state.hardship_pending is not None or step.state.status is Status.PAUSED
    if not flagged and any(e.type in RELEASING for e in step.events):
        # the hardship flag cleared (declined, or the pause ended): held messages may go
        for m in messages_of(session, row.tenant_id, row.id, [MessageStatus.HELD]):
            save_message(session, row.tenant_id, release(m, now))
    return add_messages(session, row.tenant_id, row.id, plan_messages(terms, step.events, now))


def execute(
    session: Session, row: AgreementRow, command: Command, author: str, now: datetime
) -> tuple[AgreementReport, Step]:
    """Apply ``command`` to the locked ``row``, record and project it (``author`` signs)."""
    terms, contract = compiled(row.terms)
    step = apply(contract, load_state(row), command)
    if not step.events:
        return make_report(row, step.state, (), (), 0), step
    seqs = append_events(
        session, row.tenant_id, ledger_events(row, step.events, terms), at=now, author=author
    )
    queued = project(session, row, terms, step, now)
    return make_report(row, step.state, step.events, seqs, queued), step


def locked(session: Session, tenant: str, agreement_id: str) -> AgreementRow:
    """The agreement row locked for update; raises :class:`AgreementNotFound`."""
    row = get_agreement(session, tenant, agreement_id, lock=True)
    if row is None:
        raise AgreementNotFound(f"no agreement {agreement_id!r} in tenant {tenant!r}")
    return row


def utc_now(now: datetime | None) -> datetime:
    """``now`` (default: the current time) as an aware UTC datetime."""
    return (now if now is not None else datetime.now(UTC)).astimezone(UTC)


def with_entries(
    report: AgreementReport, types: tuple[str, ...], seqs: tuple[int, ...]
) -> AgreementReport:
    """``report`` with further ledger entries appended (e.g. the acceptance)."""
    return replace(report, events=report.events + types, ledger_seqs=report.ledger_seqs + seqs)


def run_command(
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    command: Command,
    author: str | None,
    now: datetime | None,
) -> AgreementReport:
    """One transaction: lock the agreement, execute ``command`` by the ``author`` role."""
    with transaction(factory) as session:
        row = locked(session, tenant, agreement_id)
        who = debtor_party(row.debtor_id) if author == "debtor" else creditor_party(tenant)
        return execute(session, row, command, who, utc_now(now))[0]
