"""Benchmark: the shared ledger in a real database — appends, proofs, export and verification.

* **Appends**: ``events`` realistic events through :func:`accord.store.events.append_events` in
  transactions of ``batch`` events (canonical JSON, leaf hash, tree nodes and the level-4 leaf
  copies, all in the transaction). The first ``signed`` of them are party entries, each with the
  creditor's Ed25519 signature (an import's or a negotiation's entries); the rest are the month-end
  tick's bucket changes, system entries vouched for by checkpoints (see
  :mod:`accord.ledger.entry`). The baseline, run in the same process on the same database,
  interleaved batch by batch so both see the same database state, inserts the same rows (payload
  serialised with ``json.dumps``) into a plain table with the pre-ledger ``events`` columns, one
  transaction per batch, sequence reserved the same way. ``ratio_to_baseline`` = ledger seconds /
  baseline seconds, for the system entries; ``party_signed`` gives the same for the signed ones.
* **Proofs**: ``proofs`` inclusion proofs of random entries at the final size, each read from
  the database (``p50_ms``, ``p95_ms``, ``p99_ms``; ``proof_hashes`` min/max).
* **Export and verification** of the tenant's bundle; ``verify_entries`` limits the verified
  bundle to a prefix (a checkpoint at that size is signed first) when the full one would take
  too long; the JSON then says so.

Run: ``python -m accord.benchmarks.ledger --events 200000 --db sqlite`` (one JSON object).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    text,
    update,
)

from accord.benchmarks.common import peak_rss_mb
from accord.ledger.bundle import write_bundle
from accord.ledger.tree import inclusion_proof
from accord.ledger.verify import verify_bundle
from accord.store import book
from accord.store.db import make_engine, migrate, session_factory, transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_keys import ROLE_LOG, ROLE_PARTY, LedgerConfig, public_keys
from accord.store.ledger_log import export_bundle, iter_entries, make_checkpoint, tree_size
from accord.store.ledger_store import SqlTreeStore

TENANT = "bench"
PLAIN = MetaData()
PLAIN_EVENTS = Table(
    "bench_plain_events",
    PLAIN,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(64)),
    Column("seq", BigInteger),
    Column("type", String(64)),
    Column("occurred_at", DateTime(timezone=True)),
    Column("actor", String(120)),
    Column("subject", String(200)),
    Column("payload", Text),
    Column("schema_version", Integer),
)
PLAIN_HEAD = Table(
    "bench_plain_head", PLAIN, Column("id", Integer, primary_key=True), Column("next", BigInteger)
)
BUCKETS = ("current", "M1", "M2", "M3", "M4", "M5", "M6+")


TICK = "system:tick"


def _events(start: int, count: int, rng: random.Random) -> list[NewEvent]:
    out = []
    for i in range(start, start + count):
        b = rng.randrange(len(BUCKETS) - 1)
        payload = {"as_of": "2026-03-31", "from": BUCKETS[b], "to": BUCKETS[b + 1], "dpd": 30 * b}
        out.append(NewEvent("account.bucket_changed", TICK, f"account:A{i:07d}", payload))
    return out


def _plain_batch(factory: Any, events: list[NewEvent]) -> None:
    with transaction(factory) as s:
        head = s.execute(
            select(PLAIN_HEAD.c.next).where(PLAIN_HEAD.c.id == 1).with_for_update()
        ).scalar_one()
        s.execute(update(PLAIN_HEAD).values(next=PLAIN_HEAD.c.next + len(events)))
        when = datetime.now(UTC)
        rows = [
            {
                "tenant_id": TENANT,
                "seq": head + k,
                "type": e.type,
                "occurred_at": when,
                "actor": e.actor,
                "subject": e.subject,
                "payload": json.dumps(e.payload, sort_keys=True, separators=(",", ":")),
                "schema_version": 1,
            }
            for k, e in enumerate(events)
        ]
        s.execute(insert(PLAIN_EVENTS), rows)


def _open(db: str, url: str | None, tmp: Path) -> tuple[Any, dict[str, str], str | None, str]:
    if db == "sqlite":
        path = f"sqlite:///{tmp / 'bench.db'}"
        return make_engine(path), {}, None, path
    u: str | None = (
        url or os.environ.get("ACCORD_TEST_PG_URL") or os.environ.get("ACCORD_DATABASE_URL")
    )
    if not u:
        raise SystemExit("postgresql benchmark needs --url or ACCORD_TEST_PG_URL")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    args = {"options": f"-csearch_path={schema}"}
    return make_engine(u, connect_args=args), args, schema, u


def _drop(schema: str | None, url: str) -> None:
    if schema is None:
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def run(
    events: int = 1_000_000,
    db: str = "sqlite",
    url: str | None = None,
    *,
    batch: int = 1_000,
    signed: int = 100_000,
    proofs: int = 1_000,
    verify_entries: int | None = None,
    seed: int = 42,
) -> dict[str, Any]:
    """Run the ledger benchmark on ``db`` ("sqlite" or "postgresql"); return the §13 JSON dict."""
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="accord-ledger-bench-"))
    engine, _args, schema, real_url = _open(db, url, tmp)
    try:
        migrate(engine)
        PLAIN.create_all(engine)
        factory = session_factory(engine, ledger=LedgerConfig(os.urandom(32)))
        with transaction(factory) as s:
            book.create_tenant(s, tenant_id=TENANT, name=TENANT, pack="cn", currency="CNY")
            s.execute(insert(PLAIN_HEAD).values(id=1, next=0))
        signed = min(signed, events)
        # party entries (creditor-signed) first, then the tick's system entries
        s_ours, s_base = _append(factory, rng, 0, signed, batch, None)
        ours, base = _append(factory, rng, signed, events - signed, batch, TICK)
        sign_us = _sign_cost_us(factory)
        with transaction(factory) as s:
            make_checkpoint(s, TENANT)
        latencies: list[float] = []
        hashes: list[int] = []
        with factory() as s:
            size = tree_size(s, TENANT)
            store = SqlTreeStore(s, TENANT, size)
            for _ in range(proofs):
                index = rng.randrange(size)
                t0 = time.perf_counter()
                proof = inclusion_proof(store, index, size)
                latencies.append((time.perf_counter() - t0) * 1000)
                hashes.append(len(proof))
        out_dir = tmp / "bundle"
        t0 = time.perf_counter()
        with factory() as s:
            exported, _ = export_bundle(s, TENANT, out_dir)
        export_s = time.perf_counter() - t0
        verified_dir, verified_n, note = out_dir, exported, "full bundle"
        if verify_entries is not None and verify_entries < exported:
            verified_dir, verified_n = _prefix_bundle(factory, tmp, verify_entries), verify_entries
            note = f"prefix of {verify_entries} entries (the full bundle was not verified)"
        report = verify_bundle(verified_dir, jobs=1)
    finally:
        engine.dispose()
        _drop(schema, real_url)
        shutil.rmtree(tmp, ignore_errors=True)
    system = events - signed
    return {
        "benchmark": "ledger",
        "db": db,
        "n": events,
        "batch": batch,
        "what": f"{system} system entries (tick bucket changes); figures below are for them",
        "seconds": round(ours, 3),
        "per_second": round(system / ours, 1),
        "peak_rss_mb": peak_rss_mb(),
        "baseline": {
            "name": "same rows into a plain table (json.dumps payload), same transactions",
            "seconds": round(base, 3),
            "per_second": round(system / base, 1),
        },
        "ratio_to_baseline": round(ours / base, 3),
        "party_signed": {
            "what": f"{signed} creditor-signed entries, appended first, same baseline method",
            "seconds": round(s_ours, 3),
            "per_second": round(signed / s_ours, 1) if signed else None,
            "baseline_seconds": round(s_base, 3),
            "ratio_to_baseline": round(s_ours / s_base, 3) if signed else None,
            # Ed25519 signing alone, and the ratio it imposes even if all else were free
            "ed25519_sign_us": round(sign_us, 1),
            "ratio_floor_from_signing": (
                round((s_base + sign_us * signed / 1e6) / s_base, 3) if signed else None
            ),
        },
        "all_entries": {
            "what": "both kinds together, as appended in this run",
            "per_second": round(events / (ours + s_ours), 1),
            "ratio_to_baseline": round((ours + s_ours) / (base + s_base), 3),
        },
        "proofs": proofs,
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(_pct(latencies, 0.95), 3),
        "p99_ms": round(_pct(latencies, 0.99), 3),
        "proof_hashes": {"min": min(hashes), "max": max(hashes)},
        "export": {"entries": exported, "seconds": round(export_s, 3)},
        "verify": {
            "entries": verified_n,
            "seconds": round(report.seconds, 3),
            "per_second": round(verified_n / report.seconds, 1),
            "ok": report.ok,
            "what": note,
        },
    }


def _append(
    factory: Any, rng: random.Random, start: int, count: int, batch: int, author: str | None
) -> tuple[float, float]:
    """Append ``count`` events by ``author`` batch by batch, each followed by the baseline batch.

    Returns (ledger seconds, baseline seconds).
    """
    ours = base = 0.0
    done = 0
    while done < count:
        evs = _events(start + done, min(batch, count - done), rng)
        t0 = time.perf_counter()
        with transaction(factory) as s:
            append_events(s, TENANT, evs, author=author)
        t1 = time.perf_counter()
        _plain_batch(factory, evs)
        t2 = time.perf_counter()
        ours += t1 - t0
        base += t2 - t1
        done += len(evs)
    return ours, base


def _sign_cost_us(factory: Any, samples: int = 5_000) -> float:
    """Microseconds per Ed25519 signature of a typical entry, with the tenant's own key."""
    from accord.store.ledger_keys import creditor_party, signing_key

    with factory() as s:
        key = signing_key(s, TENANT, creditor_party(TENANT))
        message = s.execute(select(text("payload")).select_from(text("events")).limit(1)).scalar()
    data = (str(message) * 3).encode()[:300]
    t0 = time.perf_counter()
    for _ in range(samples):
        key.sign(data)
    return (time.perf_counter() - t0) / samples * 1e6


def _prefix_bundle(factory: Any, tmp: Path, n: int) -> Path:
    """A bundle of the first ``n`` entries with a freshly signed checkpoint of that size."""
    from accord.ledger.checkpoint import Checkpoint, sign_checkpoint
    from accord.ledger.tree import root_at
    from accord.store.ledger_keys import ledger_config, log_key

    out = tmp / "prefix"
    with factory() as s:
        key = log_key(s, TENANT)
        root = root_at(SqlTreeStore(s, TENANT, tree_size(s, TENANT)), n)
        note = sign_checkpoint(Checkpoint(ledger_config(s).origin(TENANT), n, root), key)
        write_bundle(
            out,
            origin=ledger_config(s).origin(TENANT),
            log_key=public_keys(s, TENANT, ROLE_LOG)[-1],
            entries=iter_entries(s, TENANT, n),
            checkpoints=[(n, note)],
            party_keys=public_keys(s, TENANT, ROLE_PARTY),
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the benchmark's JSON object on stdout."""
    p = argparse.ArgumentParser(prog="python -m accord.benchmarks.ledger")
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--url")
    p.add_argument("--batch", type=int, default=1_000)
    p.add_argument("--signed", type=int, default=100_000, help="creditor-signed entries first")
    p.add_argument("--proofs", type=int, default=1_000)
    p.add_argument("--verify-entries", type=int)
    a = p.parse_args(argv)
    out = run(
        a.events,
        a.db,
        a.url,
        batch=a.batch,
        signed=a.signed,
        proofs=a.proofs,
        verify_entries=a.verify_entries,
    )
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
