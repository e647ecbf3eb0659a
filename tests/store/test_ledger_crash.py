"""Crash safety: a writer killed with SIGKILL at random moments never leaves the ledger broken.

Each run forks a writer (tests/store/crash_worker.py) that commits, in one transaction, a side
row and the events describing it; the test kills it at a random moment, then checks that the
sequence has no gap, every committed side row has all of its events and every event its side
row, and that an exported bundle verifies. At least 20 kills per database.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from accord.ledger.verify import verify_bundle
from accord.store.models import Event, EventHead
from tests.conftest import Db
from tests.store.crash_worker import SIDE, SIDE_META, run
from tests.store.ledger_helpers import export, new_tenant

KILLS = 20


def _check(db: Db, tenant: str, out: Path) -> int:
    with db.factory() as s:
        seqs = list(s.scalars(select(Event.seq).order_by(Event.seq)))
        head = s.scalar(select(EventHead.next_seq)) or 0
        payloads = list(s.scalars(select(Event.payload).where(Event.type == "crash.step")))
        sides = set(s.scalars(select(SIDE.c.id)))
    assert seqs == list(range(head)), "gap or duplicate in the sequence"
    ks: dict[int, list[int]] = defaultdict(list)
    for p in payloads:
        obj = json.loads(p)
        ks[obj["side"]].append(obj["k"])
    assert set(ks) == sides, "a committed change without its events, or events without it"
    assert all(sorted(v) == list(range(len(v))) for v in ks.values()), "a partial batch"
    report = verify_bundle(export(db, tenant, out))
    assert report.ok, report.error
    return head


def test_sigkill_at_random_moments_leaves_a_consistent_ledger(db: Db, tmp_path: Path) -> None:
    tenant = new_tenant(db)
    SIDE_META.create_all(db.engine)
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20261130)
    sizes = []
    started = time.monotonic()
    for k in range(KILLS):
        db.engine.dispose()  # never carry open connections into the child
        ready = ctx.Event()
        child = ctx.Process(target=run, args=(db.url, db.connect_args, db.kek, tenant, ready))
        child.start()
        assert ready.wait(20), "the writer never committed"
        time.sleep(rng.uniform(0.0, 0.12))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        sizes.append(_check(db, tenant, tmp_path / f"b{k}"))
    assert sizes == sorted(sizes)
    assert sizes[-1] > KILLS
    assert time.monotonic() - started < 60
