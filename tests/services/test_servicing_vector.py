"""A tick stores the same states, charges and events with the vectorised twin as with replay."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from accord.core.money import Money
from accord.services import servicing_batch
from accord.services.importing.service import import_book
from accord.services.servicing import tick
from accord.store.models import Account, AccountState, Charge, Event
from tests.conftest import Db

PACKS = (("cn", "CNY"), ("tw", "TWD"), ("us", "USD"), ("uk", "GBP"))
TICK_EVENTS = ("account.bucket_changed", "servicing.ticked")
TICKS = (date(2025, 2, 28), date(2025, 6, 30), date(2026, 1, 31), date(2027, 12, 31))


def amt(minor: int, currency: str) -> str:
    return Money(minor, currency).amount_str()


def random_book(tmp: Path, n: int, seed: int) -> list[Path]:
    """Accounts of every bundled pack: partial, late, early, excess and missing payments."""
    rng = random.Random(seed)
    parties = ["party_id"]
    accounts = ["account_id,party_id,product,currency,principal,annual_rate,open_date,pack"]
    insts = ["account_id,seq,due_date,principal,interest,fees"]
    pays = ["payment_id,account_id,paid_on,amount"]
    for a in range(n):
        pack, cur = rng.choice(PACKS)
        opened = date(2024, 10, 1) + timedelta(days=rng.randrange(300))
        principal = rng.choice([100_000, 1_234_567, 10**7, rng.randrange(1000, 10**8)])
        k = rng.randint(1, 12)
        rate = rng.choice(["0.0435", "0.12", "0.18", "0.24"])
        parties.append(f"P{a}")
        accounts.append(
            f"A{a},P{a},{rng.choice(['card', 'loan'])},{cur},{amt(principal, cur)},{rate},"
            f"{opened.isoformat()},{pack}"
        )
        due = opened
        scheduled = 0
        for s, part in enumerate(Money(principal, cur).split(k), start=1):
            due += timedelta(days=rng.choice([28, 30, 31]))
            interest = part.minor * rng.choice([0, 1, 2]) // 100
            fees = rng.choice([0, 0, 1500])
            scheduled += part.minor + interest + fees
            insts.append(
                f"A{a},{s},{due.isoformat()},{amt(part.minor, cur)},"
                f"{amt(interest, cur)},{amt(fees, cur)}"
            )
        for j in range(rng.choice([0, 1, 2, 4, 8])):
            paid_on = opened + timedelta(days=rng.randint(1, 600))
            amount = rng.choice([1, scheduled // k, scheduled // (3 * k), scheduled * 2]) or 1
            pays.append(f"X{a}-{j},A{a},{paid_on.isoformat()},{amt(amount, cur)}")
    paths = []
    for name, lines in (
        ("parties", parties),
        ("accounts", accounts),
        ("installments", insts),
        ("payments", pays),
    ):
        p = tmp / f"{name}.csv"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def stored(db: Db, tenant: str) -> dict[str, Any]:
    with db.factory() as s:
        ext = dict(s.execute(select(Account.id, Account.external_id)).all())
        states = s.execute(
            select(
                AccountState.account_id,
                AccountState.as_of,
                AccountState.dpd,
                AccountState.bucket,
                AccountState.principal_due_minor,
                AccountState.overdue_minor,
                AccountState.outstanding_minor,
                AccountState.charges_minor,
            ).where(AccountState.tenant_id == tenant)
        ).all()
        charges = s.execute(
            select(Charge.account_id, Charge.kind, Charge.period, Charge.amount_minor)
            .join(Account, Account.id == Charge.account_id)
            .where(Account.tenant_id == tenant)
            .order_by(Charge.id)
        ).all()
        events = s.execute(
            select(Event.type, Event.subject, Event.payload)
            .where(Event.tenant_id == tenant, Event.type.in_(TICK_EVENTS))
            .order_by(Event.seq)
        ).all()
    return {
        "states": sorted((ext[r[0]], *r[1:]) for r in states),
        "charges": [(ext[r[0]], *r[1:]) for r in charges],
        "events": [(t, subject.replace(tenant, "T"), p) for t, subject, p in events],
    }


def test_vectorised_tick_stores_what_the_replay_stores(
    db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = random_book(tmp_path, 120, seed=7)
    for tenant in ("vec", "ref"):
        report = import_book(factory=db.factory, cipher=db.cipher, tenant=tenant, paths=paths)
        assert report.ok, report.findings[:3]
    scalar_calls = []
    reference = servicing_batch.age_scalar

    def counted(*args: Any) -> Any:
        scalar_calls.append(args[0])
        return reference(*args)

    monkeypatch.setattr(servicing_batch, "age_scalar", counted)
    for day in TICKS:
        fast = tick(factory=db.factory, tenant="vec", as_of=day)
        assert scalar_calls == []  # every account of the bundled packs is aged by the twin
        slow = tick(factory=db.factory, tenant="ref", as_of=day, vectorised=False)
        assert (fast.buckets, fast.bucket_changes, fast.charges) == (
            slow.buckets,
            slow.bucket_changes,
            slow.charges,
        )
        assert len(scalar_calls) == 120  # the reference ticks every account with the replay
        scalar_calls.clear()
    vec, ref = stored(db, "vec"), stored(db, "ref")
    assert vec["states"] == ref["states"]
    assert len(vec["states"]) == 120 * len(TICKS)
    assert vec["charges"] == ref["charges"]
    assert vec["events"] == ref["events"]
    assert len(vec["events"]) > len(TICKS)
    assert any(r[3] != "current" for r in vec["states"])  # the book does go delinquent
    assert vec["charges"]  # and charges are booked
