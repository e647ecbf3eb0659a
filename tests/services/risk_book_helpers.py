"""A small Taiwan card book, imported and ticked once per database per test module.

The first ``N_ACCOUNTS`` rows of the UCI table are mapped with
:func:`accord.analytics.taiwan_book.map_book`, imported as tenant ``TENANT`` and ticked at every
month end from March to September 2005; a v1 boosting model (few trees) is trained as of
``TRAIN_AS_OF`` into a registry shared by the module's tests.
"""

from __future__ import annotations

import csv
import secrets
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from accord.analytics.taiwan_book import map_book, read_uci, write_csvs
from accord.services.demo import TICK_DATES
from accord.services.importing.service import import_book
from accord.services.risk_book import train_book
from accord.services.servicing import tick
from accord.store.crypto import FieldCipher
from accord.store.db import make_engine, migrate, session_factory
from accord.store.ledger_keys import LedgerConfig
from tests.conftest import Db, pg_or_skip

TENANT = "bk"
N_ACCOUNTS = 400
TRAIN_AS_OF = date(2005, 7, 31)
EVAL_AS_OF = date(2005, 8, 31)
TREES = 60
KINDS = ("parties", "accounts", "installments", "payments")


class Book:
    """A migrated database holding the ticked book, with the CSV files and the registry."""

    def __init__(self, db: Db, files: dict[str, Path], registry: Path) -> None:
        self.db = db
        self.files = files
        self.registry = registry

    @property
    def url(self) -> str:
        """A URL the CLI can use (PostgreSQL: the private schema via libpq ``options``)."""
        opts = self.db.connect_args.get("options")
        if not opts:
            return self.db.url
        return f"{self.db.url}?options={opts.replace('=', '%3D')}"


def book_csvs(directory: Path, n: int = N_ACCOUNTS) -> dict[str, Path]:
    """The mapped first ``n`` Taiwan cards as the importer's four CSV files."""
    return write_csvs(map_book(read_uci().head(n)), directory)


def filter_csv(src: Path, dst: Path, column: str, keep: object) -> Path:
    """Copy ``src`` to ``dst`` keeping rows whose ``column`` satisfies ``keep(value)``."""
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    i = head.index(column)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(head)
        w.writerows(r for r in body if keep(r[i]))  # type: ignore[operator]
    return dst


def load(db: Db, files: dict[str, Path], tenant: str, dates: tuple[date, ...] = TICK_DATES) -> None:
    """Import ``files`` as ``tenant`` (tw pack, TWD) and tick each of ``dates``."""
    report = import_book(
        factory=db.factory,
        cipher=db.cipher,
        tenant=tenant,
        paths=[files[k] for k in KINDS],
        pack="tw",
        currency="TWD",
    )
    assert report.ok, report.findings[:3]
    for day in dates:
        tick(factory=db.factory, tenant=tenant, as_of=day)


def _build(db: Db, tmp: Path) -> Book:
    files = book_csvs(tmp / "csv")
    load(db, files, TENANT)
    registry = tmp / "models"
    train_book(
        factory=db.factory,
        tenant=TENANT,
        as_of=TRAIN_AS_OF,
        registry=registry,
        kind="boosting",
        trees=TREES,
    )
    return Book(db, files, registry)


@pytest.fixture(
    name="book",
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def book_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Book]:
    """The ticked book and its v1 model, on SQLite and on a private PostgreSQL schema."""
    kek = secrets.token_bytes(32)
    ledger = LedgerConfig(kek)
    tmp = tmp_path_factory.mktemp("book")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp}/accord.db"
        engine = make_engine(url)
        migrate(engine)
        db = Db(url, engine, session_factory(engine, ledger=ledger), FieldCipher(kek), {}, kek)
        yield _build(db, tmp)
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
        db = Db(url, engine, session_factory(engine, ledger=ledger), FieldCipher(kek), args, kek)
        yield _build(db, tmp)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
