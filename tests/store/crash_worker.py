"""A writer that commits a side-table row and its ledger events together until it is killed.

``test_ledger_crash.py`` forks it (so no interpreter start-up per run) and kills it with SIGKILL
at random moments; each transaction inserts one ``crash_side`` row and 1-5 events naming it, and
now and then signs a checkpoint in the same transaction.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, insert

from accord.store.db import make_engine, session_factory, transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_keys import LedgerConfig
from accord.store.ledger_log import make_checkpoint

SIDE_META = MetaData()
SIDE = Table("crash_side", SIDE_META, Column("id", Integer, primary_key=True))


def run(url: str, connect_args: dict[str, str], kek: bytes, tenant: str, ready: Any) -> None:
    """Append forever; set ``ready`` after the first commit."""
    engine = make_engine(url, connect_args=connect_args)
    factory = session_factory(engine, ledger=LedgerConfig(kek))
    rng = random.Random()
    while True:
        with transaction(factory) as s:
            side = s.execute(insert(SIDE).returning(SIDE.c.id)).scalar_one()
            events = [
                NewEvent("crash.step", "system:crash", f"side:{side}", {"side": side, "k": k})
                for k in range(rng.randint(1, 5))
            ]
            append_events(s, tenant, events)
            if rng.random() < 0.2:
                make_checkpoint(s, tenant)
        ready.set()
