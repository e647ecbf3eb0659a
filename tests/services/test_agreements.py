"""Agreements in the store, on both databases: the story from creation to arrears, replayed
from the ledger tables and from an exported bundle; any edit of an agreement entry fails."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from accord.agreements import Status
from accord.agreements.signing import verify_signature
from accord.ledger.agreement import verify_acceptance
from accord.ledger.bundle import ENTRIES, read_party_keys
from accord.ledger.entry import parse_entry, sign_entry
from accord.services.agreement_replay import replay_agreement, replay_from_bundle
from accord.services.agreements import (
    ProjectionCorrupt,
    create_agreement,
    declare_hardship,
    record_agreement_payment,
    show_agreement,
    sign_agreement,
    tick_agreements,
    verify_hardship,
)
from accord.services.ledger import export
from accord.store.db import transaction
from accord.store.ledger_keys import creditor_party, signing_key
from accord.store.models import AgreementRow, Event
from tests.conftest import Db
from tests.services.agreement_helpers import SIGNED_ON, TENANT, custodial_terms, make_tenant

AGR = "agr-0001"
TZ = ZoneInfo("Asia/Shanghai")


def at(d: date, hour: int) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ)


def signed_agreement(db: Db, months: int = 6) -> None:
    """Create and sign a ``months`` agreement (first due 2025-01-15) in tenant t1."""
    make_tenant(db)
    create_agreement(
        factory=db.factory,
        tenant=TENANT,
        terms=custodial_terms(months),
        on=SIGNED_ON,
        contacts={"email": "debtor@example.invalid"},
        cipher=db.cipher,
        now=at(SIGNED_ON, 9),
    )
    for party in ("debtor", "creditor"):
        sign_agreement(
            factory=db.factory,
            tenant=TENANT,
            agreement_id=AGR,
            party=party,
            on=SIGNED_ON,
            now=at(SIGNED_ON, 9),
        )


def story(db: Db) -> None:
    """Signed; installments 1 and 2 paid; 3 unpaid: ticked into arrears on 2025-03-25."""
    signed_agreement(db)
    for seq, day in ((1, date(2025, 1, 15)), (2, date(2025, 2, 14))):
        record_agreement_payment(
            factory=db.factory,
            tenant=TENANT,
            agreement_id=AGR,
            payment_id=f"pay-{seq}",
            amount_minor=100_000,
            on=day,
            now=at(day, 10),
        )
    tick_agreements(factory=db.factory, tenant=TENANT, as_of=date(2025, 3, 25))


def ledger_size(db: Db) -> int:
    with db.factory() as s:
        return int(s.execute(select(func.count()).select_from(Event)).scalar_one())


def test_create_and_sign_with_custodial_keys(db: Db) -> None:
    signed_agreement(db)
    with db.factory() as s:
        row = s.execute(select(AgreementRow)).scalar_one()
        terms = json.loads(row.terms)
        debtor = signing_key(s, TENANT, "debtor:debtor-1")
        creditor = signing_key(s, TENANT, creditor_party(TENANT))
        accepted = s.execute(select(Event).where(Event.type == "agreement.accepted")).scalar_one()
        keys = {k.kid: k.public for k in (debtor, creditor)}
    assert row.status == Status.ACTIVE.value
    assert terms["parties"]["debtor_key"] == debtor.public.raw.hex()
    assert terms["parties"]["creditor_key"] == creditor.public.raw.hex()
    sigs = json.loads(row.signatures)
    for role in ("debtor", "creditor"):
        assert verify_signature(terms["parties"][f"{role}_key"], row.terms_hash, sigs[role])
    payload = json.loads(accepted.payload)
    assert payload["agreement_hash"] == row.terms_hash
    assert payload["signatures"]["debtor"]["sig"] == sigs["debtor"]
    verify_acceptance(payload, keys)  # both signatures, by the named parties
    assert accepted.author == "debtor:debtor-1"


def test_story_replays_from_database_and_bundle(db: Db, tmp_path: Path) -> None:
    story(db)
    view = show_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert view.report.status == Status.IN_ARREARS.value
    assert view.report.paid_total_minor == 200_000
    assert [i["missed"] for i in view.installments[:3]] == [False, False, True]
    from_db = replay_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert from_db.ok, from_db.divergence
    assert from_db.replayed_hash == view.report.state_hash
    assert from_db.events == view.report.event_count
    export(factory=db.factory, tenant=TENANT, out=tmp_path / "bundle")
    from_bundle = replay_from_bundle(tmp_path / "bundle", AGR)
    assert from_bundle.ok, from_bundle.divergence
    assert from_bundle.replayed_hash == view.report.state_hash
    assert from_bundle.status == Status.IN_ARREARS.value


def test_tick_is_idempotent(db: Db) -> None:
    story(db)
    size = ledger_size(db)
    before = show_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    again = tick_agreements(factory=db.factory, tenant=TENANT, as_of=date(2025, 3, 25))
    earlier = tick_agreements(factory=db.factory, tenant=TENANT, as_of=date(2025, 3, 1))
    assert (again.agreements, again.changed, again.events) == (1, 0, 0)
    assert (earlier.changed, earlier.events) == (0, 0)
    after = show_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert after.report.state_hash == before.report.state_hash
    assert ledger_size(db) == size
    # a duplicate payment is also a no-op
    dup = record_agreement_payment(
        factory=db.factory,
        tenant=TENANT,
        agreement_id=AGR,
        payment_id="pay-1",
        amount_minor=100_000,
        on=date(2025, 3, 25),
    )
    assert dup.events == ()
    assert ledger_size(db) == size


def test_hardship_pause_cancels_pending_reminders(db: Db) -> None:
    story(db)
    day = date(2025, 3, 26)
    declare_hardship(
        factory=db.factory,
        tenant=TENANT,
        agreement_id=AGR,
        reason="job_loss",
        evidence=[("termination_letter", "ab" * 32)],
        on=day,
    )
    report = verify_hardship(
        factory=db.factory, tenant=TENANT, agreement_id=AGR, accepted=True, verifier="v-1", on=day
    )
    assert report.status == Status.PAUSED.value
    view = show_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    reminders = [m for m in view.messages if m["template_id"].startswith("reminder.")]
    assert reminders
    assert all(m["status"] == "cancelled" for m in reminders)
    assert replay_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR).ok


def _agreement_lines(bundle: Path) -> list[int]:
    lines = (bundle / ENTRIES).read_bytes().splitlines()
    return [i for i, line in enumerate(lines) if f"agreement:{AGR}".encode() in line]


def _edit_line(bundle: Path, index: int, edit: object) -> None:
    path = bundle / ENTRIES
    lines = path.read_bytes().splitlines()
    entry = json.loads(lines[index])
    edit(entry)  # type: ignore[operator]
    lines[index] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()
    path.write_bytes(b"\n".join(lines) + b"\n")


def _bump(entry: dict[str, object]) -> None:
    payload = entry["payload"]
    assert isinstance(payload, dict)
    payload["edited"] = True


def test_editing_any_agreement_entry_in_the_bundle_fails(db: Db, tmp_path: Path) -> None:
    story(db)
    export(factory=db.factory, tenant=TENANT, out=tmp_path / "clean")
    clean = (tmp_path / "clean" / ENTRIES).read_bytes()
    indexes = _agreement_lines(tmp_path / "clean")
    assert len(indexes) >= 10
    for i in indexes:
        bundle = tmp_path / f"edit-{i}"
        bundle.mkdir()
        for f in (tmp_path / "clean").rglob("*"):
            target = bundle / f.relative_to(tmp_path / "clean")
            if f.is_dir():
                target.mkdir(exist_ok=True)
            else:
                target.write_bytes(f.read_bytes())
        _edit_line(bundle, i, _bump)
        assert (bundle / ENTRIES).read_bytes() != clean
        full = replay_from_bundle(bundle, AGR)
        assert not full.ok
        assert full.divergence is not None
        assert full.divergence.ledger_seq == i  # the bundle verifier names the entry
        # without the bundle verification, the entry's own signature still fails
        own = replay_from_bundle(bundle, AGR, verify=False)
        assert not own.ok
        assert own.divergence is not None
        assert own.divergence.ledger_seq == i
        assert "signature" in own.divergence.reason


def test_a_resigned_forgery_diverges_at_its_event(db: Db, tmp_path: Path) -> None:
    """An insider who holds the custodial key re-signs an edited payment: replay names it."""
    story(db)
    export(factory=db.factory, tenant=TENANT, out=tmp_path / "b")
    path = tmp_path / "b" / ENTRIES
    lines = path.read_bytes().splitlines()
    k = next(i for i, x in enumerate(lines) if b'"agreement.payment_received"' in x)
    entry = parse_entry(lines[k])
    payload = dict(entry.payload)
    record = dict(payload["payload"])
    record["amount_minor"] = 150_000
    payload["payload"] = record
    with db.factory() as s:
        key = signing_key(s, TENANT, creditor_party(TENANT))
    forged = sign_entry(replace(entry, payload=payload, sigs=()), key)
    lines[k] = forged.leaf_data()
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert read_party_keys(tmp_path / "b")  # the keys still verify the forged signature
    report = replay_from_bundle(tmp_path / "b", AGR, verify=False)
    assert not report.ok
    assert report.divergence is not None
    assert report.divergence.ledger_seq is not None
    assert report.divergence.ledger_seq >= k
    assert report.divergence.index is not None
    assert not replay_from_bundle(tmp_path / "b", AGR).ok  # the checkpoint root catches it


def test_database_replay_detects_edited_rows(db: Db) -> None:
    story(db)
    with transaction(db.factory) as s:
        row = s.execute(select(Event).where(Event.type == "agreement.payment_applied")).scalars()
        first = next(iter(row))
        s.execute(
            update(Event)
            .where(Event.id == first.id)
            .values(payload=first.payload.replace('"applied_minor":100000', '"applied_minor":1'))
        )
    report = replay_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert not report.ok
    assert report.divergence is not None
    assert report.divergence.ledger_seq == first.seq
    assert "signature" in report.divergence.reason


def test_database_replay_detects_an_edited_projection(db: Db) -> None:
    story(db)
    with transaction(db.factory) as s:
        s.execute(update(AgreementRow).values(state_hash="0" * 64))
    report = replay_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert not report.ok
    assert report.divergence is not None
    assert "differs from the stored" in report.divergence.reason
    with pytest.raises(ProjectionCorrupt):
        tick_agreements(factory=db.factory, tenant=TENANT, as_of=date(2025, 4, 30))


def test_create_refuses_foreign_keys_and_conflicting_terms(db: Db) -> None:
    make_tenant(db)
    data = custodial_terms()
    data["parties"]["debtor_key"] = "ab" * 32
    with pytest.raises(ValueError, match="custodial"):
        create_agreement(factory=db.factory, tenant=TENANT, terms=data, on=SIGNED_ON)
    first = create_agreement(
        factory=db.factory, tenant=TENANT, terms=custodial_terms(), on=SIGNED_ON
    )
    again = create_agreement(
        factory=db.factory, tenant=TENANT, terms=custodial_terms(), on=SIGNED_ON
    )
    assert again.events == ()
    assert again.state_hash == first.state_hash
    with pytest.raises(ValueError, match="other terms"):
        create_agreement(factory=db.factory, tenant=TENANT, terms=custodial_terms(8), on=SIGNED_ON)
