"""Shared fixtures: a migrated database on SQLite and, where configured, on PostgreSQL.

PostgreSQL tests run against ``ACCORD_TEST_PG_URL`` (CI sets it); each test gets its own schema,
dropped afterwards. Without the variable they skip with a message, unless ``ACCORD_REQUIRE_PG=1``
(CI), where a missing PostgreSQL is a failure.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from accord.store.crypto import FieldCipher
from accord.store.db import make_engine, migrate, session_factory
from accord.store.ledger_keys import LedgerConfig

PG_URL = os.environ.get("ACCORD_TEST_PG_URL")
REQUIRE_PG = os.environ.get("ACCORD_REQUIRE_PG") == "1"


@dataclass
class Db:
    """A migrated database for one test."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]
    cipher: FieldCipher
    connect_args: dict[str, str]
    kek: bytes


def pg_or_skip() -> str:
    """The PostgreSQL URL, or skip (fail in CI) with a clear message."""
    if PG_URL:
        return PG_URL
    if REQUIRE_PG:
        pytest.fail("ACCORD_REQUIRE_PG=1 but ACCORD_TEST_PG_URL is not set")
    pytest.skip("PostgreSQL not configured: set ACCORD_TEST_PG_URL to run production-path tests")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Db]:
    """A fresh, migrated database: SQLite file, and a private PostgreSQL schema."""
    kek = secrets.token_bytes(32)
    cipher = FieldCipher(kek)
    ledger = LedgerConfig(kek)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db')}/accord.db"
        engine = make_engine(url)
        migrate(engine)
        yield Db(url, engine, session_factory(engine, ledger=ledger), cipher, {}, kek)
        engine.dispose()
        return
    url = pg_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    args = {"options": f"-csearch_path={schema}"}
    engine = make_engine(url, connect_args=args)
    try:
        migrate(engine)
        yield Db(url, engine, session_factory(engine, ledger=ledger), cipher, args, kek)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
