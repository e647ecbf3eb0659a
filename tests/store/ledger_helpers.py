"""Helpers shared by the ledger store tests: a tenant, appends, export and verification."""

from __future__ import annotations

from pathlib import Path

from accord.ledger.verify import BundleReport, verify_bundle
from accord.store import book
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import export_bundle, make_checkpoint
from tests.conftest import Db


def new_tenant(db: Db, tenant: str = "t1") -> str:
    """Create a tenant row (no events yet)."""
    with transaction(db.factory) as s:
        book.create_tenant(s, tenant_id=tenant, name=tenant, pack="cn", currency="CNY")
    return tenant


def event(i: int, note: str = "x") -> NewEvent:
    """A small event whose payload names its position."""
    return NewEvent("test.step", "system:test", f"account:A{i}", {"i": i, "note": note})


def append(
    db: Db, tenant: str, batches: list[int], *, checkpoint: bool = False, author: str | None = None
) -> int:
    """Append batches of events, one transaction per batch; return the total appended.

    ``author`` as in ``append_events``: None for the creditor (signed), ``system:…`` for system
    entries (unsigned, vouched for by checkpoints).
    """
    done = 0
    for size in batches:
        with transaction(db.factory) as s:
            append_events(s, tenant, [event(done + k) for k in range(size)], author=author)
            if checkpoint:
                make_checkpoint(s, tenant)
        done += size
    return done


def export(db: Db, tenant: str, out: Path, *, checkpoint: bool = True) -> Path:
    """Checkpoint (optionally) and export the tenant's bundle to ``out``."""
    if checkpoint:
        with transaction(db.factory) as s:
            make_checkpoint(s, tenant)
    with db.factory() as s:
        export_bundle(s, tenant, out)
    return out


def export_and_verify(db: Db, tenant: str, out: Path) -> BundleReport:
    """Export then verify with the standalone verifier."""
    return verify_bundle(export(db, tenant, out))
