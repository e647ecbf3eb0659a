"""Agreement rows, their ledger history, the notification outbox and the contact log.

The agreement row is a projection: ``state`` (the executor's state document) and
``state_hash`` are updated in the same transaction as the ledger entries that explain them
(:func:`accord.store.events.append_events`), so replay from the entries (subject
``agreement:<id>``) must give the stored hash. Outbox rows mirror
:class:`accord.compliance.outbox.Message`; contact-log rows mirror
:class:`accord.compliance.contact.ContactRecord`. Timestamps are stored as UTC; SQLite returns
them naive, so every read goes through :func:`accord.store.ledger_store.to_utc`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from accord.compliance.contact import ContactRecord, Outcome
from accord.compliance.outbox import Message, MessageStatus
from accord.store.ledger_store import ENTRY_COLUMNS, row_entry_bytes, to_utc
from accord.store.models import AGREEMENT_SUBJECTS, AgreementRow, ContactLog, Event, OutboxMessage


def _utc(when: datetime | None) -> datetime | None:
    # SQLite keeps the wall time and drops the offset: store and compare UTC only.
    return to_utc(when) if when is not None else None


def agreement_subject(agreement_id: str) -> str:
    """Ledger subject of an agreement's entries."""
    return f"agreement:{agreement_id}"


def get_agreement(
    session: Session, tenant_id: str, agreement_id: str, *, lock: bool = False
) -> AgreementRow | None:
    """The agreement row (optionally locked ``FOR UPDATE`` for a state change), or ``None``."""
    query = select(AgreementRow).where(
        AgreementRow.tenant_id == tenant_id, AgreementRow.agreement_id == agreement_id
    )
    if lock:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def agreements_in(
    session: Session, tenant_id: str, statuses: Iterable[str], *, lock: bool = False
) -> list[AgreementRow]:
    """The tenant's agreements in ``statuses`` in id order (locked when ``lock``)."""
    query = (
        select(AgreementRow)
        .where(AgreementRow.tenant_id == tenant_id, AgreementRow.status.in_(list(statuses)))
        .order_by(AgreementRow.id)
    )
    if lock:
        query = query.with_for_update()
    return list(session.execute(query).scalars())


def agreement_entries(session: Session, tenant_id: str, agreement_id: str) -> list[bytes]:
    """Canonical ledger entry bytes of an agreement's subject, in ledger order."""
    rows = session.execute(
        select(*ENTRY_COLUMNS)
        .where(Event.tenant_id == tenant_id, Event.subject == agreement_subject(agreement_id))
        .where(text(AGREEMENT_SUBJECTS))  # lets both databases use the partial index
        .order_by(Event.seq)
    ).all()
    return [row_entry_bytes(r) for r in rows]


def _message_row(tenant_id: str, agreement_pk: int, m: Message) -> dict[str, object]:
    return {
        "tenant_id": tenant_id,
        "id": m.id,
        "agreement_pk": agreement_pk,
        "debtor_id": m.debtor_id,
        "channel": m.channel,
        "recipient_role": m.recipient_role,
        "template_id": m.template_id,
        "locale": m.locale,
        "params": json.dumps(m.params, ensure_ascii=False, sort_keys=True),
        "purpose": m.purpose,
        "scheduled_at": _utc(m.scheduled_at),
        "next_attempt_at": _utc(m.next_attempt_at),
        "attempts": m.attempts,
        "status": m.status.value,
        "last_error": m.last_error,
        "blocked_rule": m.blocked_rule,
        "sent_at": _utc(m.sent_at),
    }


def add_messages(
    session: Session, tenant_id: str, agreement_pk: int, messages: Sequence[Message]
) -> int:
    """Insert new outbox messages (ids already present are skipped); return how many."""
    if not messages:
        return 0
    ids = [m.id for m in messages]
    seen = set(
        session.execute(
            select(OutboxMessage.id).where(
                OutboxMessage.tenant_id == tenant_id, OutboxMessage.id.in_(ids)
            )
        ).scalars()
    )
    fresh = [_message_row(tenant_id, agreement_pk, m) for m in messages if m.id not in seen]
    if fresh:
        session.execute(insert(OutboxMessage), fresh)
    return len(fresh)


def _message(row: OutboxMessage, agreement_id: str) -> Message:
    return Message(
        id=row.id,
        agreement_id=agreement_id,
        debtor_id=row.debtor_id,
        channel=row.channel,
        recipient_role=row.recipient_role,
        template_id=row.template_id,
        locale=row.locale,
        params=json.loads(row.params),
        scheduled_at=to_utc(row.scheduled_at),
        next_attempt_at=to_utc(row.next_attempt_at) if row.next_attempt_at else None,
        attempts=row.attempts,
        status=MessageStatus(row.status),
        last_error=row.last_error,
        blocked_rule=row.blocked_rule,
        sent_at=to_utc(row.sent_at) if row.sent_at else None,
        purpose=row.purpose,
    )


def messages_of(
    session: Session, tenant_id: str, agreement_pk: int, statuses: Iterable[str] | None = None
) -> list[Message]:
    """Outbox messages of one agreement (optionally only in ``statuses``), by schedule."""
    row = session.get(AgreementRow, agreement_pk)
    assert row is not None
    query = select(OutboxMessage).where(
        OutboxMessage.tenant_id == tenant_id, OutboxMessage.agreement_pk == agreement_pk
    )
    if statuses is not None:
        query = query.where(OutboxMessage.status.in_(list(statuses)))
    rows = session.execute(query.order_by(OutboxMessage.scheduled_at, OutboxMessage.id)).scalars()
    return [_message(r, row.agreement_id) for r in rows]


def due_messages(
    session: Session, now: datetime, *, tenant_id: str | None = None, limit: int = 500
) -> list[tuple[str, AgreementRow, Message]]:
    """Messages due at ``now`` as ``(tenant, agreement row, message)``, oldest first.

    On PostgreSQL the rows are locked ``FOR UPDATE SKIP LOCKED`` so that two dispatchers never
    send the same message; SQLite serialises writers anyway.
    """
    due = [s.value for s in (MessageStatus.PENDING, MessageStatus.RETRYING, MessageStatus.DEFERRED)]
    query = (
        select(OutboxMessage, AgreementRow)
        .join(AgreementRow, AgreementRow.id == OutboxMessage.agreement_pk)
        .where(OutboxMessage.status.in_(due), OutboxMessage.next_attempt_at <= to_utc(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if tenant_id is not None:
        query = query.where(OutboxMessage.tenant_id == tenant_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    return [(m.tenant_id, a, _message(m, a.agreement_id)) for m, a in session.execute(query).all()]


def save_message(session: Session, tenant_id: str, m: Message) -> None:
    """Write a message's delivery state back to its outbox row."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.id == m.id)
        .values(
            next_attempt_at=_utc(m.next_attempt_at),
            attempts=m.attempts,
            status=m.status.value,
            last_error=m.last_error,
            blocked_rule=m.blocked_rule,
            sent_at=_utc(m.sent_at),
        )
    )


def add_contacts(session: Session, tenant_id: str, records: Sequence[ContactRecord]) -> None:
    """Append contact-log records (sent, failed, blocked with the rule)."""
    if records:
        session.execute(
            insert(ContactLog),
            [
                {
                    "tenant_id": tenant_id,
                    "debtor_id": r.debtor_id,
                    "at": to_utc(r.at),
                    "channel": r.channel,
                    "recipient_role": r.recipient_role,
                    "outcome": r.outcome.value,
                    "message_id": r.message_id,
                    "rule": r.rule,
                    "reason_id": r.reason_id,
                    "next_slot": _utc(r.next_slot),
                    "purpose": r.purpose,
                }
                for r in records
            ],
        )


def contact_history(
    session: Session, tenant_id: str, debtor_ids: Iterable[str], since: datetime | None = None
) -> list[ContactRecord]:
    """Contact-log records of ``debtor_ids`` (from ``since``), oldest first."""
    query = select(ContactLog).where(
        ContactLog.tenant_id == tenant_id, ContactLog.debtor_id.in_(list(debtor_ids))
    )
    if since is not None:
        query = query.where(ContactLog.at >= to_utc(since))
    rows = session.execute(query.order_by(ContactLog.at, ContactLog.id)).scalars()
    return [
        ContactRecord(
            r.debtor_id,
            to_utc(r.at),
            r.channel,
            r.recipient_role,
            Outcome(r.outcome),
            r.message_id,
            r.rule,
            r.reason_id,
            to_utc(r.next_slot) if r.next_slot else None,
            r.purpose,
        )
        for r in rows
    ]
