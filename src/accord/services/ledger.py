"""Ledger use cases: checkpoint, export an audit bundle, prove an entry, verify a bundle.

Checkpoints are also signed automatically, inside the same transaction, at the end of every
import and every tick that changed something (see :mod:`accord.store.ledger_log`), so exports and
receipts normally find a checkpoint covering every committed entry; these functions make one on
demand when the log has grown since.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.ledger.receipt import Receipt
from accord.ledger.verify import BundleReport, verify_bundle
from accord.store import book
from accord.store.db import transaction
from accord.store.ledger_log import (
    StoredCheckpoint,
    export_bundle,
    latest_checkpoint,
    make_checkpoint,
    receipt_for,
    trust_material,
)


@dataclass(frozen=True, slots=True)
class CheckpointReport:
    """A tenant's latest signed tree head."""

    tenant: str
    size: int
    root: str
    note: str
    created: bool


@dataclass(frozen=True, slots=True)
class ExportReport:
    """Where a bundle was written and what it holds."""

    tenant: str
    out: str
    entries: int
    checkpoints: int


@dataclass(frozen=True, slots=True)
class ProofReport:
    """A receipt for one entry and the public keys needed to check it offline."""

    tenant: str
    receipt: dict[str, Any]
    trust: dict[str, Any]

    def as_receipt(self) -> Receipt:
        """The receipt as a :class:`accord.ledger.receipt.Receipt`."""
        return Receipt.from_json(self.receipt)


def _require_tenant(session: Session, tenant: str) -> None:
    if book.get_tenant(session, tenant) is None:
        raise LookupError(f"unknown tenant {tenant!r}")


def _report(cp: StoredCheckpoint) -> CheckpointReport:
    return CheckpointReport(cp.tenant, cp.size, cp.root.hex(), cp.note, cp.created)


def checkpoint(*, factory: sessionmaker[Session], tenant: str) -> CheckpointReport:
    """Sign a checkpoint of the tenant's ledger now (or return the current one if unchanged)."""
    with transaction(factory) as session:
        _require_tenant(session, tenant)
        return _report(make_checkpoint(session, tenant))


def export(*, factory: sessionmaker[Session], tenant: str, out: Path) -> ExportReport:
    """Checkpoint the ledger, then write its audit bundle to ``out`` (see accord.ledger.bundle)."""
    checkpoint(factory=factory, tenant=tenant)
    with factory() as session:
        entries, notes = export_bundle(session, tenant, out)
    return ExportReport(tenant, str(out), entries, notes)


def prove(*, factory: sessionmaker[Session], tenant: str, entry: int) -> ProofReport:
    """Receipt of entry ``entry``: the entry, its inclusion proof and a covering checkpoint."""
    with factory() as session:
        _require_tenant(session, tenant)
        latest = latest_checkpoint(session, tenant)
    if latest is None or entry >= latest.size:
        checkpoint(factory=factory, tenant=tenant)
    with factory() as session:
        receipt = receipt_for(session, tenant, entry)
        return ProofReport(tenant, receipt.to_json(), trust_material(session, tenant))


def verify(
    directory: Path, *, log_key: str | None = None, witness_quorum: int = 0, jobs: int = 1
) -> BundleReport:
    """Verify a bundle with the standalone verifier (same checks as ``python -m ...verify``)."""
    return verify_bundle(directory, log_key, witness_quorum, jobs)
