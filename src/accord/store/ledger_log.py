"""Tenant ledgers as logs: checkpoints, bundle export, receipts, commitments, acceptances.

**Checkpoints** are signed inside the caller's transaction, after the head row
(``event_heads``) is locked: the signed size and root are exactly those of the committed tree,
and a rolled-back transaction leaves no checkpoint. Before signing, the previous checkpoint's
signature is checked and a consistency proof from it is computed from the stored nodes and
verified (:func:`accord.ledger.log.checkpoint_store`), so altered nodes cannot yield a fork.
With ``LedgerConfig.witness`` the witness key cosigns after the log's checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accord.ledger.agreement import ACCEPTANCE_TYPE, acceptance_payload, agreement_hash
from accord.ledger.bundle import write_bundle
from accord.ledger.canonical import JsonValue
from accord.ledger.checkpoint import Checkpoint, cosign, verify_checkpoint
from accord.ledger.keys import PublicKey
from accord.ledger.log import checkpoint_store
from accord.ledger.merkle import EMPTY_ROOT
from accord.ledger.note import verifier_key
from accord.ledger.privacy import commit, new_salt
from accord.ledger.receipt import Receipt, make_receipt
from accord.store.events import NewEvent, append_events
from accord.store.ledger_keys import (
    ROLE_LOG,
    ROLE_PARTY,
    ROLE_WITNESS,
    creditor_party,
    ledger_config,
    log_key,
    public_keys,
    signing_key,
    witness_key,
)
from accord.store.ledger_store import (
    ENTRY_COLUMNS,
    NODE_MIN_LEVEL,
    SqlTreeStore,
    row_entry_bytes,
)
from accord.store.models import Event, EventHead, LedgerCheckpoint, LedgerNode, LedgerSalt


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint as stored: size, root, note, and whether this call created it."""

    tenant: str
    size: int
    root: bytes
    note: str
    created: bool


def tree_size(session: Session, tenant_id: str, *, lock: bool = False) -> int:
    """Number of entries in the tenant's ledger (optionally locking its head row)."""
    stmt = select(EventHead.next_seq).where(EventHead.tenant_id == tenant_id)
    head = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    return 0 if head is None else int(head)


def latest_checkpoint(session: Session, tenant_id: str) -> StoredCheckpoint | None:
    """The largest stored checkpoint of the tenant, if any."""
    row = session.execute(
        select(LedgerCheckpoint.size, LedgerCheckpoint.root, LedgerCheckpoint.note)
        .where(LedgerCheckpoint.tenant_id == tenant_id)
        .order_by(LedgerCheckpoint.size.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return StoredCheckpoint(tenant_id, int(row[0]), bytes(row[1]), row[2], False)


def make_checkpoint(session: Session, tenant_id: str) -> StoredCheckpoint:
    """Sign (and store) a checkpoint of the tenant's current tree; reuse one of the same size.

    Raises :class:`accord.ledger.errors.InconsistentTrees` when the stored tree does not extend
    the previous checkpoint, and a signature error when the previous note does not verify.
    """
    cfg = ledger_config(session)
    size = tree_size(session, tenant_id, lock=True)
    latest = latest_checkpoint(session, tenant_id)
    if latest is not None and latest.size == size:
        return latest
    key = log_key(session, tenant_id)
    origin = cfg.origin(tenant_id)
    if latest is None:
        prev = Checkpoint(origin, 0, EMPTY_ROOT)
    else:
        prev = verify_checkpoint(latest.note, key.public, origin)
    cp, note = checkpoint_store(SqlTreeStore(session, tenant_id, size), prev, key)
    if cfg.witness:
        note = cosign(note, key.public, witness_key(session, tenant_id))
    session.execute(
        insert(LedgerCheckpoint).values(
            tenant_id=tenant_id, size=cp.size, root=cp.root, note=note, created_at=datetime.now(UTC)
        )
    )
    return StoredCheckpoint(tenant_id, cp.size, cp.root, note, True)


def iter_entries(session: Session, tenant_id: str, stop: int, batch: int = 5000) -> Iterator[bytes]:
    """Canonical entry bytes of seqs ``[0, stop)`` in order, streamed in batches."""
    start = 0
    while start < stop:
        end = min(stop, start + batch)
        rows = session.execute(
            select(*ENTRY_COLUMNS)
            .where(Event.tenant_id == tenant_id, Event.seq >= start, Event.seq < end)
            .order_by(Event.seq)
        ).all()
        for row in rows:
            yield row_entry_bytes(row)
        start = end


def iter_leaf_hashes(
    session: Session, tenant_id: str, stop: int, batch: int = 2000
) -> Iterator[bytes]:
    """Stored leaf hashes of seqs ``[0, stop)`` in order (the bundle's ``leaf_hashes.bin``).

    Complete blocks of 16 come from the tree's level-4 rows (kept apart from the event rows);
    the last partial block, and blocks written before migration 0006, from ``events.leaf_hash``.
    """
    blocks = stop >> NODE_MIN_LEVEL
    start = 0
    while start < blocks:
        end = min(blocks, start + batch)
        rows = session.execute(
            select(LedgerNode.idx, LedgerNode.leaves)
            .where(
                LedgerNode.tenant_id == tenant_id,
                LedgerNode.level == NODE_MIN_LEVEL,
                LedgerNode.idx >= start,
                LedgerNode.idx < end,
            )
            .order_by(LedgerNode.idx)
        ).all()
        stored = {int(idx): leaves for idx, leaves in rows}
        for idx in range(start, end):
            leaves = stored.get(idx)
            if leaves is None:  # before 0006 (or a missing row): the event rows' copy
                yield from _event_leaf_hashes(session, tenant_id, idx << NODE_MIN_LEVEL, 16)
            else:
                data = bytes(leaves)
                yield from (data[k : k + 32] for k in range(0, len(data), 32))
        start = end
    done = blocks << NODE_MIN_LEVEL
    yield from _event_leaf_hashes(session, tenant_id, done, stop - done)


def _event_leaf_hashes(session: Session, tenant_id: str, start: int, count: int) -> list[bytes]:
    rows = session.execute(
        select(Event.leaf_hash)
        .where(Event.tenant_id == tenant_id, Event.seq >= start, Event.seq < start + count)
        .order_by(Event.seq)
    ).scalars()
    return [bytes(h) for h in rows]


def export_bundle(session: Session, tenant_id: str, directory: Path) -> tuple[int, int]:
    """Write the tenant's audit bundle up to its latest checkpoint; return (entries, checkpoints).

    Raises LookupError when the tenant has no checkpoint yet.
    """
    cfg = ledger_config(session)
    latest = latest_checkpoint(session, tenant_id)
    if latest is None:
        raise LookupError(f"tenant {tenant_id!r} has no checkpoint to export")
    notes = session.execute(
        select(LedgerCheckpoint.size, LedgerCheckpoint.note)
        # a checkpoint signed after ``latest`` was read covers entries this export leaves out
        .where(LedgerCheckpoint.tenant_id == tenant_id, LedgerCheckpoint.size <= latest.size)
        .order_by(LedgerCheckpoint.size)
    ).all()
    logs = public_keys(session, tenant_id, ROLE_LOG)
    if not logs:
        raise LookupError(f"tenant {tenant_id!r} has no log key")
    count = write_bundle(
        directory,
        origin=cfg.origin(tenant_id),
        log_key=logs[-1],
        entries=iter_entries(session, tenant_id, latest.size),
        checkpoints=[(int(s), n) for s, n in notes],
        party_keys=public_keys(session, tenant_id, ROLE_PARTY),
        witness_keys=public_keys(session, tenant_id, ROLE_WITNESS),
        leaf_hashes=iter_leaf_hashes(session, tenant_id, latest.size),
    )
    return count, len(notes)


def receipt_for(session: Session, tenant_id: str, index: int) -> Receipt:
    """Receipt of entry ``index`` against the latest checkpoint covering it (O(log n) reads).

    Raises LookupError when no checkpoint covers the entry yet.
    """
    latest = latest_checkpoint(session, tenant_id)
    if latest is None or not 0 <= index < latest.size:
        raise LookupError(f"no checkpoint of tenant {tenant_id!r} covers entry {index}")
    row = session.execute(
        select(*ENTRY_COLUMNS).where(Event.tenant_id == tenant_id, Event.seq == index)
    ).one()
    store = SqlTreeStore(session, tenant_id, tree_size(session, tenant_id))
    return make_receipt(store, row_entry_bytes(row), index, latest.note, latest.size)


def trust_material(session: Session, tenant_id: str) -> dict[str, Any]:
    """Public keys an offline verifier needs: log, witnesses, parties (verifier key strings)."""
    logs = public_keys(session, tenant_id, ROLE_LOG)
    return {
        "origin": ledger_config(session).origin(tenant_id),
        "log_key": verifier_key(logs[-1]) if logs else None,
        "witness_keys": [verifier_key(k) for k in public_keys(session, tenant_id, ROLE_WITNESS)],
        "keys": [k.to_json() for k in public_keys(session, tenant_id, ROLE_PARTY)],
    }


def commit_personal(
    session: Session, tenant_id: str, items: Sequence[tuple[str, str, str]]
) -> list[str]:
    """Salted commitments to personal data ``(subject, field, value)``, salts kept private.

    A salt is created per (subject, field) on first use and stored in ``ledger_salts``, never
    in the ledger; whoever holds the value and the salt can open the commitment for an auditor.
    """
    subjects = sorted({s for s, _, _ in items})
    salts: dict[tuple[str, str], bytes] = {}
    for k in range(0, len(subjects), 500):
        rows = session.execute(
            select(LedgerSalt.subject, LedgerSalt.field, LedgerSalt.salt).where(
                LedgerSalt.tenant_id == tenant_id, LedgerSalt.subject.in_(subjects[k : k + 500])
            )
        )
        salts.update(((s, f), bytes(v)) for s, f, v in rows)
    fresh = []
    for subject, field, _ in items:
        if (subject, field) not in salts:
            salt = salts[(subject, field)] = new_salt()
            fresh.append({"tenant_id": tenant_id, "subject": subject, "field": field, "salt": salt})
    if fresh:
        session.execute(insert(LedgerSalt), fresh)
    return [commit(value, salts[(s, f)]) for s, f, value in items]


PERSONAL_FIELDS = ("name", "id_number", "phone", "address")


def party_registered_events(
    session: Session, tenant_id: str, actor: str, parties: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[NewEvent]:
    """``party.registered`` events carrying only commitments to each party's personal data.

    ``parties`` holds ``(external id, record)``; of the record only the personal fields
    (:data:`PERSONAL_FIELDS`) that are present are committed to, with private salts.
    """
    items = [
        (f"party:{ext}", f, str(rec[f]))
        for ext, rec in parties
        for f in PERSONAL_FIELDS
        if rec.get(f)
    ]
    commitments = dict(
        zip(((s, f) for s, f, _ in items), commit_personal(session, tenant_id, items), strict=True)
    )
    events = []
    for ext, rec in parties:
        subject = f"party:{ext}"
        fields = {f: commitments[(subject, f)] for f in PERSONAL_FIELDS if rec.get(f)}
        events.append(NewEvent("party.registered", actor, subject, {"commitments": fields}))
    return events


def salt_of(session: Session, tenant_id: str, subject: str, field: str) -> bytes | None:
    """The private salt of a commitment (to open it for an auditor)."""
    return session.execute(
        select(LedgerSalt.salt).where(
            LedgerSalt.tenant_id == tenant_id,
            LedgerSalt.subject == subject,
            LedgerSalt.field == field,
        )
    ).scalar_one_or_none()


def accept_agreement(
    session: Session,
    tenant_id: str,
    *,
    terms: Mapping[str, JsonValue],
    debtor: str,
    subject: str,
    actor: str = "system:agreements",
    at: datetime | None = None,
) -> int:
    """Append an ``agreement.accepted`` entry signed by both the debtor and the creditor.

    The payload carries both parties' signatures over the agreement hash
    (:mod:`accord.ledger.agreement`); the entry itself is authored by the debtor (the act of
    accepting) and cosigned by the creditor. Returns the entry's seq.
    """
    creditor = creditor_party(tenant_id)
    tree_size(session, tenant_id, lock=True)  # serialise first-use key creation
    payload = acceptance_payload(
        agreement_hash(terms),
        creditor=signing_key(session, tenant_id, creditor),
        debtor=signing_key(session, tenant_id, debtor),
    )
    event = NewEvent(ACCEPTANCE_TYPE, actor, subject, dict(payload))
    (seq,) = append_events(session, tenant_id, [event], at=at, author=debtor, cosigners=(creditor,))
    return seq


def party_public_keys(session: Session, tenant_id: str) -> list[PublicKey]:
    """Every party key of the tenant (what ``keys.json`` lists)."""
    return public_keys(session, tenant_id, ROLE_PARTY)
