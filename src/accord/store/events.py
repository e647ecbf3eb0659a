"""Appending domain events: canonical JSON, gap-free per-tenant sequence, same transaction.

The caller's session owns the transaction: if the state change rolls back, so does its event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from accord.store.models import Event, EventHead

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append: type, actor, subject and a JSON-serialisable payload."""

    type: str
    actor: str
    subject: str
    payload: dict[str, Any]


def reserve_seq(session: Session, tenant_id: str, count: int) -> int:
    """Reserve ``count`` consecutive sequence numbers for ``tenant_id``; return the first.

    The tenant's head row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises
    writers anyway), so concurrent transactions get gap-free, strictly increasing numbers: a
    rolled-back transaction releases its reservation together with its events.
    """
    head = session.execute(
        select(EventHead.next_seq).where(EventHead.tenant_id == tenant_id).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        session.execute(insert(EventHead).values(tenant_id=tenant_id, next_seq=count))
        return 0
    session.execute(
        update(EventHead)
        .where(EventHead.tenant_id == tenant_id)
        .values(next_seq=EventHead.next_seq + count)
    )
    return int(head)


def append_events(
    session: Session, tenant_id: str, events: list[NewEvent], *, at: datetime | None = None
) -> list[int]:
    """Append ``events`` for ``tenant_id`` in the session's transaction; return their seqs."""
    if not events:
        return []
    first = reserve_seq(session, tenant_id, len(events))
    when = at or datetime.now(UTC)
    rows = [
        {
            "tenant_id": tenant_id,
            "seq": first + i,
            "type": e.type,
            "occurred_at": when,
            "actor": e.actor,
            "subject": e.subject,
            "payload": rfc8785.dumps(e.payload).decode("utf-8"),
            "schema_version": SCHEMA_VERSION,
        }
        for i, e in enumerate(events)
    ]
    session.execute(insert(Event), rows)
    return [first + i for i in range(len(events))]
