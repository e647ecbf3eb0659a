"""The runtime context every use case needs: settings, engine, sessions, field cipher."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from accord.store.config import Settings
from accord.store.crypto import FieldCipher
from accord.store.db import make_engine, migrate, session_factory
from accord.store.ledger_keys import LedgerConfig


@dataclass(frozen=True, slots=True)
class Context:
    """Open handles for one process; create with :func:`open_context`."""

    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    cipher: FieldCipher


def open_context(settings: Settings | None = None, *, upgrade: bool = True) -> Context:
    """Connect to the configured database and (by default) bring its schema up to date."""
    settings = settings or Settings()
    engine = make_engine(settings.url)
    if upgrade:
        migrate(engine)
    kek = settings.master_key()
    ledger = LedgerConfig(kek, host=settings.ledger_host, witness=settings.ledger_witness)
    return Context(settings, engine, session_factory(engine, ledger=ledger), FieldCipher(kek))


def reset_embedded(settings: Settings) -> Path | None:
    """Delete the embedded SQLite database (demo restarts clean); refuses for other databases."""
    if settings.database_url is not None and not settings.database_url.startswith("sqlite"):
        raise RuntimeError("refusing to reset a non-embedded database")
    path = Path(settings.url.split("///", 1)[1])
    removed = None
    for suffix in ("", "-wal", "-shm"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            p.unlink()
            removed = path
    return removed
