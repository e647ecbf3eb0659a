"""Concurrent writers on PostgreSQL get gap-free, strictly increasing seqs and one valid tree."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from accord.ledger.tree import MemoryTreeStore, root_at
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import make_checkpoint, tree_size
from accord.store.ledger_store import ENTRY_COLUMNS, SqlTreeStore, row_entry_bytes
from accord.store.models import Event
from tests.conftest import Db
from tests.store.ledger_helpers import export_and_verify, new_tenant

WRITERS, TRANSACTIONS = 6, 15


def test_concurrent_writers_share_one_consistent_log(db: Db, tmp_path: Path) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's concern")
    tenant = new_tenant(db)
    got: dict[int, list[list[int]]] = {w: [] for w in range(WRITERS)}
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(w: int) -> None:
        try:
            start.wait()
            for t in range(TRANSACTIONS):
                with transaction(db.factory) as s:
                    events = [
                        NewEvent("c.step", "system:test", f"w:{w}", {"w": w, "t": t, "k": k})
                        for k in range(1 + (w + t) % 4)
                    ]
                    got[w].append(append_events(s, tenant, events))
                    if t % 5 == 0:
                        make_checkpoint(s, tenant)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    total = sum(len(b) for batches in got.values() for b in batches)
    for batches in got.values():
        flat = [s for b in batches for s in b]
        assert flat == sorted(flat), "a writer's seqs must strictly increase"
        assert all(b == list(range(b[0], b[0] + len(b))) for b in batches), "batches contiguous"
    everything = sorted(s for batches in got.values() for b in batches for s in b)
    assert everything == list(range(total))
    with db.factory() as s:
        rows = list(s.execute(select(*ENTRY_COLUMNS).order_by(Event.seq)))
        sql_root = root_at(SqlTreeStore(s, tenant, tree_size(s, tenant)), total)
    assert [r[0] for r in rows] == list(range(total))
    assert sql_root == root_at(MemoryTreeStore.from_leaves(row_entry_bytes(r) for r in rows), total)
    report = export_and_verify(db, tenant, tmp_path / "b")
    assert report.ok, report.error
    assert report.entries == total
