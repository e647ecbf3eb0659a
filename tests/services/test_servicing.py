"""Servicing tick, portfolio and roll rates on a small book, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.services.importing.service import import_book
from accord.services.portfolio import NoTickError, portfolio, roll_rates
from accord.services.servicing import tick
from accord.store.models import AccountState, Event
from tests.conftest import Db
from tests.services.test_import import write_book


def events(db: Db) -> list[str]:
    with db.factory() as s:
        return list(s.scalars(select(Event.type).order_by(Event.seq)))


def test_tick_ages_accounts_and_is_idempotent(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    first = tick(factory=db.factory, tenant="t1", as_of=date(2026, 3, 20))
    assert first.changed
    assert first.accounts == 2
    assert first.buckets == {"M1": 2}
    with db.factory() as s:
        dpd = dict(s.execute(select(AccountState.account_id, AccountState.dpd)).all())
    # A1: installment 2 due 2026-03-15 unpaid → 5 days; A2: due 2026-03-01, part-paid → 19 days
    assert sorted(dpd.values()) == [5, 19]
    assert events(db)[-3:] == [
        "account.bucket_changed",
        "account.bucket_changed",
        "servicing.ticked",
    ]
    n_events = len(events(db))

    again = tick(factory=db.factory, tenant="t1", as_of=date(2026, 3, 20))
    assert not again.changed
    assert again.buckets == first.buckets
    assert again.charges == first.charges
    assert len(events(db)) == n_events
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(AccountState)) == 2


def test_portfolio_and_roll_rates(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    with pytest.raises(NoTickError, match="accord tick --as-of 2026-02-28"):
        portfolio(factory=db.factory, tenant="t1", as_of=date(2026, 2, 28))
    tick(factory=db.factory, tenant="t1", as_of=date(2026, 2, 28))
    tick(factory=db.factory, tenant="t1", as_of=date(2026, 4, 30))
    feb = portfolio(factory=db.factory, tenant="t1", as_of=date(2026, 2, 28))
    assert feb.total_accounts == 2
    assert {line.bucket: line.accounts for line in feb.lines}["current"] == 2
    apr = portfolio(factory=db.factory, tenant="t1", as_of=date(2026, 4, 30))
    by = {line.bucket: line.accounts for line in apr.lines}
    # A1 due 2026-03-15 unpaid → 46 days (M2); A2 due 2026-03-01 part-paid → 60 days (M2)
    assert by["M2"] == 2
    assert apr.total_outstanding.minor > 0
    m = roll_rates(factory=db.factory, tenant="t1", start=date(2026, 2, 28), end=date(2026, 4, 30))
    assert m.counts[0][2] == 2  # both moved current → M2
    assert m.rates[0][2] == "1.0000"
