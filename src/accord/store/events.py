"""Appending domain events as signed ledger entries: gap-free seq, same transaction, O(log n).

The caller's session owns the transaction (transactional outbox): if the state change rolls
back, so do its entries, their tree nodes and the sequence reservation; a committed change
always has its entries. Each event becomes the canonical entry of :mod:`accord.ledger.entry`,
signed by its author's custodial key (:mod:`accord.store.ledger_keys`) — or, for a system author
(``system:<process>``), unsigned and vouched for by the checkpoints — and appended to the
tenant's Merkle tree (:mod:`accord.store.ledger_store`), reading the tree's right edge once per
batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Executable, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from accord.ledger.canonical import MAX_SAFE_INTEGER, canonicalize
from accord.ledger.entry import is_system_actor
from accord.ledger.keys import SigningKey
from accord.ledger.merkle import leaf_hash
from accord.ledger.tree import append_leaves
from accord.store.ledger_keys import creditor_party, signing_key
from accord.store.ledger_store import (
    EntryTemplate,
    SqlTreeStore,
    by_kid,
    format_time,
    join_entry,
    sign_halves,
    to_utc,
)
from accord.store.models import EVENT_HEADS_TABLE, EVENTS_TABLE, EventHead

SCHEMA_VERSION = 1
_SORTED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _plain(value: Any) -> bool:
    """True when sorted-keys ``json.dumps`` of ``value`` is already RFC 8785 canonical.

    That holds for strings, booleans, null, integers within ±(2**53 - 1), and arrays and objects
    of them whose member names are ASCII (so code-point and UTF-16 key orders agree). Scalars of
    an object are checked inline: the common payload is one flat object, checked per entry.
    """
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int):
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if isinstance(value, dict):
        for k, v in value.items():
            if not (isinstance(k, str) and k.isascii()):
                return False
            if v is None or isinstance(v, str | bool):
                continue
            if isinstance(v, int):
                if not -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER:
                    return False
            elif not _plain(v):
                return False
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return False


def payload_json(payload: dict[str, Any]) -> str:
    """Canonical JSON text of a payload (fast path for ASCII member names; floats rejected)."""
    if _plain(payload):
        return _SORTED(payload)
    return canonicalize(payload).decode("utf-8")


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append: type, actor, subject and a JSON-serialisable payload."""

    type: str
    actor: str
    subject: str
    payload: dict[str, Any]


def reserve_seq(session: Session, tenant_id: str, count: int) -> int:
    """Reserve ``count`` consecutive sequence numbers for ``tenant_id``; return the first.

    One ``UPDATE ... SET next_seq = next_seq + count ... RETURNING next_seq`` bumps and locks the
    tenant's head row until the transaction ends (on PostgreSQL a concurrent writer waits, then
    re-reads the committed row; SQLite serialises writers anyway), so concurrent transactions
    get gap-free, strictly increasing numbers: a rolled-back transaction releases its
    reservation together with its events. The head row of a new tenant is created with
    ``INSERT ... ON CONFLICT DO NOTHING`` first, so two first writers do not collide.
    """
    heads = EVENT_HEADS_TABLE
    bump = (
        update(heads)
        .where(heads.c.tenant_id == tenant_id)
        .values(next_seq=heads.c.next_seq + count)
        .returning(heads.c.next_seq)
    )
    after = session.execute(bump).scalar_one_or_none()
    if after is None:
        session.execute(_insert_head(session, tenant_id))
        after = session.execute(bump).scalar_one()
    return int(after) - count


def _insert_head(session: Session, tenant_id: str) -> Executable:
    values = {"tenant_id": tenant_id, "next_seq": 0}
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(EventHead).values(values).on_conflict_do_nothing()
    return sqlite_insert(EventHead).values(values).on_conflict_do_nothing()


def append_events(
    session: Session,
    tenant_id: str,
    events: list[NewEvent],
    *,
    at: datetime | None = None,
    author: str | None = None,
    cosigners: tuple[str, ...] = (),
) -> list[int]:
    """Append ``events`` for ``tenant_id`` as ledger entries; return their seqs.

    ``author`` is the party that vouches for the entries (their ``actor``; default the tenant's
    ``creditor:<tenant>``), ``cosigners`` further parties whose keys also sign them. A system
    author (``system:<process>``, for work the platform does on its own account) makes system
    entries: no signatures, no cosigners (see :mod:`accord.ledger.entry`). Payloads
    must be canonical-JSON values (integers, strings, booleans, null, lists, objects; no
    floats). Runs in the caller's transaction; the tenant's head row stays locked until it ends.
    """
    if not events:
        return []
    first = reserve_seq(session, tenant_id, len(events))
    when = to_utc(at or datetime.now(UTC))
    time = format_time(when)
    party = author or creditor_party(tenant_id)
    keys: list[tuple[str, SigningKey]] = []
    if is_system_actor(party):
        if cosigners:
            raise ValueError(f"system entries by {party} cannot be cosigned")
    else:
        parties = dict.fromkeys((party, *cosigners))
        keys = by_kid(signing_key(session, tenant_id, p) for p in parties)
    rows = []
    leaves = []
    template = EntryTemplate(tenant_id, time, party)
    for i, e in enumerate(events):
        payload = payload_json(e.payload)
        head, tail = template.halves(first + i, e.type, e.subject, payload)
        sigs = sign_halves(head, tail, keys) if keys else "[]"
        leaf = leaf_hash(join_entry(head, sigs, tail))
        leaves.append(leaf)
        rows.append(
            {
                "tenant_id": tenant_id,
                "seq": first + i,
                "type": e.type,
                "occurred_at": when,
                "actor": e.actor,
                "subject": e.subject,
                "payload": payload,
                "schema_version": SCHEMA_VERSION,
                "author": party,
                "sigs": sigs,
                "leaf_hash": leaf,
            }
        )
    session.execute(insert(EVENTS_TABLE), rows)
    append_leaves(SqlTreeStore(session, tenant_id, first, leaves), leaves)
    return [first + i for i in range(len(events))]
