"""Ledger services: imports and ticks sign checkpoints in their transaction; witnessing;
an unconfigured session refuses to append rather than write unsigned entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.ledger.bundle import ENTRIES
from accord.ledger.entry import parse_entry
from accord.ledger.note import verifier_key
from accord.services import ledger
from accord.services.importing.service import import_book
from accord.services.servicing import tick
from accord.store import book
from accord.store.db import session_factory, transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_keys import LedgerConfig, LedgerNotConfigured, log_key, signing_key
from accord.store.ledger_log import latest_checkpoint, tree_size
from accord.store.models import LedgerCheckpoint
from tests.conftest import Db
from tests.services.test_import import write_book


def _heads(db: Db) -> tuple[int, int, int]:
    with db.factory() as s:
        cp = latest_checkpoint(s, "t1")
        count = s.scalar(select(func.count()).select_from(LedgerCheckpoint)) or 0
        return tree_size(s, "t1"), (cp.size if cp else -1), count


def test_import_and_tick_sign_checkpoints_in_their_transaction(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    assert _heads(db) == (4, 4, 1)
    tick(factory=db.factory, tenant="t1", as_of=date(2026, 4, 30))
    size, cp_size, count = _heads(db)
    assert size == cp_size > 4
    assert count == 2
    tick(factory=db.factory, tenant="t1", as_of=date(2026, 4, 30))  # unchanged: nothing new
    assert _heads(db) == (size, size, 2)
    report = ledger.export(factory=db.factory, tenant="t1", out=tmp_path / "b")
    assert (report.entries, report.checkpoints) == (size, 2)
    assert ledger.verify(tmp_path / "b").ok


def test_tick_records_system_entries_and_imports_stay_signed(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    tick(factory=db.factory, tenant="t1", as_of=date(2026, 4, 30))
    ledger.export(factory=db.factory, tenant="t1", out=tmp_path / "b")
    entries = [parse_entry(x) for x in (tmp_path / "b" / ENTRIES).read_bytes().splitlines()]
    by_type = {(e.type, e.actor, len(e.sigs)) for e in entries}
    # the creditor vouches for its book; the platform's own aging is vouched for by checkpoints
    assert ("book.imported", "creditor:t1", 1) in by_type
    assert ("account.bucket_changed", "system:tick", 0) in by_type
    assert ("servicing.ticked", "system:tick", 0) in by_type
    assert all(bool(e.sigs) != e.actor.startswith("system:") for e in entries)
    assert ledger.verify(tmp_path / "b").ok
    with db.factory() as s, pytest.raises(ValueError, match="system actor"):
        signing_key(s, "t1", "system:tick")
    with transaction(db.factory) as s, pytest.raises(ValueError, match="cannot be cosigned"):
        append_events(
            s,
            "t1",
            [NewEvent("x", "system:tick", "", {})],
            author="system:tick",
            cosigners=("creditor:t1",),
        )


def test_witness_cosigns_every_checkpoint(db: Db, tmp_path: Path) -> None:
    witnessed = session_factory(db.engine, ledger=LedgerConfig(db.kek, witness=True))
    import_book(factory=witnessed, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    tick(factory=witnessed, tenant="t1", as_of=date(2026, 4, 30))
    ledger.export(factory=witnessed, tenant="t1", out=tmp_path / "b")
    with db.factory() as s:
        pinned = verifier_key(log_key(s, "t1").public)
    report = ledger.verify(tmp_path / "b", log_key=pinned, witness_quorum=1)
    assert report.ok, report.error
    assert len(report.witnessed) == 2
    assert not ledger.verify(tmp_path / "b", witness_quorum=2).ok


def test_append_without_ledger_configuration_refuses(db: Db) -> None:
    bare = session_factory(db.engine)
    with transaction(db.factory) as s:
        book.create_tenant(s, tenant_id="t1", name="t1", pack="cn", currency="CNY")
    with pytest.raises(LedgerNotConfigured), transaction(bare) as s:
        append_events(s, "t1", [NewEvent("x", "system:test", "tenant:t1", {})])


def test_prove_signs_a_checkpoint_when_the_log_has_grown(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    with transaction(db.factory) as s:
        append_events(s, "t1", [NewEvent("x", "system:test", "tenant:t1", {"n": 1})])
    proof = ledger.prove(factory=db.factory, tenant="t1", entry=4)
    assert proof.as_receipt().size == 5
    with pytest.raises(LookupError):
        ledger.prove(factory=db.factory, tenant="nobody", entry=0)
