"""The agreements acceptance story through the real store and ledger, on both databases.

The same 24 months as the engine scenario (tests/agreements/test_scenario.py), driven only
through the services: create and both signatures; ``tick_agreements`` every day at 02:00 and
``dispatch_notifications`` at 02:00, 08:00, 12:00, 18:00 and 22:30 local time (only when the
outbox has a message due, which keeps 750 days fast) with emails to a real aiosmtpd server,
SMS to a loopback HTTP gateway and in-app messages; installments paid on their due dates, 4
three days late inside grace, 7 missed into arrears and paid four weeks late, hardship
declared with a termination letter and verified (a 60-day pause), a verified 30 % income drop
(installments to 80 %, four added) and an early payoff that settles the agreement. Then: the
ledger's agreement entries tell the story, every delivered message matches an outbox row
marked sent, every blocked attempt is in the contact log with its rule, and the exported
bundle replays to the stored state hash — and fails if any one agreement entry is edited.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from accord.agreements import Status
from accord.compliance import ContactPolicy
from accord.core.packs import load_pack
from accord.ledger.bundle import ENTRIES
from accord.notify.channels import Channel, EmailChannel, InAppChannel, SmsChannel
from accord.services.agreement_exec import load_state
from accord.services.agreement_replay import replay_agreement, replay_from_bundle
from accord.services.agreements import (
    AgreementView,
    create_agreement,
    declare_hardship,
    record_agreement_payment,
    show_agreement,
    sign_agreement,
    tick_agreements,
    verify_hardship,
    verify_income_change,
)
from accord.services.ledger import export
from accord.services.notifications import dispatch_notifications
from accord.store.ledger_store import to_utc
from accord.store.models import AgreementRow, ContactLog, Event, OutboxMessage
from tests.conftest import Db
from tests.notify.servers import http_sink, smtp_server
from tests.services.agreement_helpers import SIGNED_ON, TENANT, custodial_terms, make_tenant

TZ = ZoneInfo("Asia/Shanghai")
AGR = "agr-0001"
END = date(2027, 1, 15)
DISPATCH_HOURS = ((2, 0), (8, 0), (12, 0), (18, 0), (22, 30))
DUE = ("pending", "retrying", "deferred")
QUIET = {
    "agreement.ticked",
    "agreement.reminder_due",
    "agreement.payment_received",
    "agreement.payment_applied",
}


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)


def next_due(db: Db) -> datetime | None:
    """When the earliest undelivered outbox message is next due (None: nothing waits)."""
    with db.factory() as s:
        q = select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status.in_(DUE))
        found = s.execute(q).scalar_one()
    return None if found is None else to_utc(found)


def run_story(db: Db, channels: dict[str, Channel]) -> Counter[str]:
    """Drive the 24 months through the services; return the blocked rules dispatch reported."""
    kw = {"factory": db.factory, "tenant": TENANT, "agreement_id": AGR}
    make_tenant(db)
    terms = custodial_terms(
        24,
        reminders={
            "offsets_days": [-3, 0, 2, 28],
            "channels": ["email", "sms", "in_app"],
            "locale": "zh-CN",
        },
    )
    terms["breach"]["original_debt_minor"] = 3_000_000
    create_agreement(
        factory=db.factory,
        tenant=TENANT,
        terms=terms,
        on=SIGNED_ON,
        contacts={"email": "debtor@example.invalid", "sms": "+8613800000000"},
        cipher=db.cipher,
        now=local(SIGNED_ON, 10),
    )
    for party in ("debtor", "creditor"):
        sign_agreement(**kw, party=party, on=SIGNED_ON, now=local(SIGNED_ON, 10))
    blocked: Counter[str] = Counter()
    view: AgreementView = show_agreement(**kw)
    due_at = next_due(db)

    def changed() -> None:
        nonlocal view, due_at
        view = show_agreement(**kw)
        due_at = next_due(db)

    def send(at: datetime) -> None:
        nonlocal due_at
        if due_at is None or due_at > at:
            return
        report = dispatch_notifications(
            factory=db.factory, now=at, channels=channels, cipher=db.cipher
        )
        blocked.update(report.blocked)
        due_at = next_due(db)

    def pay(
        day: date, payment_id: str, amount: int, hour: int, purpose: str = "installment"
    ) -> None:
        record_agreement_payment(
            **kw,
            payment_id=payment_id,
            amount_minor=amount,
            on=day,
            purpose=purpose,
            now=local(day, hour),
        )
        changed()

    skip = {4, 7}  # paid below, late, instead of on the due date
    payoff_day = date(2026, 5, 1)
    day = SIGNED_ON + timedelta(days=1)
    while day <= END:
        if tick_agreements(factory=db.factory, tenant=TENANT, as_of=day, now=local(day, 2)).changed:
            changed()
        send(local(day, 2))
        if day == date(2025, 9, 12):
            declare_hardship(
                **kw,
                reason="job_loss",
                evidence=[("termination_letter", "ab" * 32)],
                on=day,
                now=local(day, 7),
            )
            changed()
        elif day == date(2025, 9, 15):
            verify_hardship(**kw, accepted=True, verifier="verifier-7", on=day, now=local(day, 10))
            changed()
        elif day == date(2026, 1, 5):
            verify_income_change(
                **kw,
                previous_minor=1_000_000,
                current_minor=700_000,
                evidence_sha256="cd" * 32,
                on=day,
                now=local(day, 10),
            )
            changed()
        elif day in (date(2025, 4, 18), date(2025, 8, 13)):
            pay(day, f"pay-{4 if day.month == 4 else 7}", 100_000, 10)
        if view.report.status in ("active", "grace", "in_arrears"):
            for inst in view.installments:
                remaining = inst["amount_minor"] - inst["paid_minor"]
                if inst["due"] == day.isoformat() and remaining and inst["seq"] not in skip:
                    pay(day, f"pay-{inst['seq']}", remaining, 10)
            if day == payoff_day:
                pay(day, "payoff", 1_026_000, 11, "payoff")
        for h, m in DISPATCH_HOURS[1:]:
            send(local(day, h, m))
        day += timedelta(days=1)
    return blocked


def test_twenty_four_months_through_store_and_ledger(db: Db, tmp_path: Path) -> None:
    started = time.perf_counter()
    in_app = InAppChannel()
    with smtp_server() as (mailbox, port), http_sink() as (gateway, url):
        channels: dict[str, Channel] = {
            "email": EmailChannel("127.0.0.1", port, "accord@example.invalid"),
            "sms": SmsChannel(f"{url}/sms"),
            "in_app": in_app,
        }
        reported_blocks = run_story(db, channels)
    story_seconds = time.perf_counter() - started

    with db.factory() as s:
        row = s.execute(select(AgreementRow)).scalar_one()
        state = load_state(row)
        entries = list(
            s.execute(
                select(Event).where(Event.subject == f"agreement:{AGR}").order_by(Event.seq)
            ).scalars()
        )
        outbox = list(s.execute(select(OutboxMessage)).scalars())
        contacts = list(s.execute(select(ContactLog).order_by(ContactLog.id)).scalars())

    # ---- final state: the same as the engine scenario ---------------------------------
    assert state.status is Status.COMPLETED
    assert row.status == "completed"
    assert state.outcome == "settled"
    assert (state.late_count, state.missed_count, state.pauses_used, state.adjustments) == (
        1,
        1,
        1,
        1,
    )
    assert state.paid_total == 10 * 100_000 + 4 * 80_000 + 1_026_000
    assert state.discount == 54_000
    assert state.paid_total + state.discount == 24 * 100_000
    assert len(state.installments) == 28
    assert state.unapplied == 0

    # ---- the ledger tells the story ----------------------------------------------------
    assert [e.type for e in entries if e.type not in QUIET] == [
        "agreement.created",
        "agreement.signed",
        "agreement.signed",
        "agreement.activated",
        "agreement.accepted",  # both signatures, one ledger entry
        "agreement.grace_started",
        "agreement.cured",  # installment 4, paid inside grace
        "agreement.grace_started",
        "agreement.installment_missed",
        "agreement.arrears_started",
        "agreement.cured",  # installment 7
        "agreement.hardship_declared",
        "agreement.hardship_pending",
        "agreement.hardship_verified",
        "agreement.paused",
        "agreement.resumed",
        "agreement.income_change_verified",
        "agreement.terms_adjusted",
        "agreement.completed",
    ]
    payloads = [json.loads(e.payload) for e in entries if e.type != "agreement.accepted"]
    assert [p["type"] for p in payloads] == [
        e.type for e in entries if e.type != "agreement.accepted"
    ]
    applied = [p for p in payloads if p["type"] == "agreement.payment_applied"]
    assert len(applied) == 14
    assert [
        p["payload"]["late_within_grace"] for p in applied if p["payload"]["late_within_grace"]
    ] == [[4]]
    paused = next(p for p in payloads if p["type"] == "agreement.paused")
    assert paused["payload"]["until"] == "2025-11-14"
    assert [e.author for e in entries if e.type == "agreement.hardship_declared"] == [
        "debtor:debtor-1"
    ]
    done = payloads[-1]
    assert (done["type"], done["reason_id"]) == ("agreement.completed", "agreement.early_payoff")
    assert done["state_hash"] == row.state_hash
    assert [p["seq"] for p in payloads] == list(range(row.event_count))

    # ---- every delivered message is an outbox row marked sent, and vice versa ----------
    sent = [m for m in outbox if m.status == "sent"]
    assert sent
    assert {m["Message-ID"] for m in mailbox.messages} == {
        f"<{m.id}@accord.invalid>" for m in sent if m.channel == "email"
    }
    assert len(mailbox.messages) == len([m for m in sent if m.channel == "email"])
    assert all(m["To"] == "debtor@example.invalid" for m in mailbox.messages)
    assert len(gateway.requests) == len([m for m in sent if m.channel == "sms"])
    assert len(in_app.inbox["debtor-1"]) == len([m for m in sent if m.channel == "in_app"])
    assert all(m.status in ("sent", "cancelled") for m in outbox)
    cancelled = [m for m in outbox if m.status == "cancelled"]
    assert len(cancelled) == 3  # the reminder held by the hardship, on every channel
    reminders = [p for p in payloads if p["type"] == "agreement.reminder_due"]
    assert len([m for m in sent if m.purpose == "collection"]) == 3 * len(reminders) - 3

    # ---- the contact log: lawful, and every block recorded with its rule ----------------
    attempts = [c for c in contacts if c.outcome in ("sent", "failed")]
    assert Counter(c.message_id for c in attempts if c.outcome == "sent") == Counter(
        m.id for m in sent
    )
    policy = ContactPolicy.from_pack(load_pack("cn"))
    for c in attempts:
        assert policy.start <= to_utc(c.at).astimezone(TZ).time() < policy.end
    per_day = Counter(
        to_utc(c.at).astimezone(TZ).date() for c in attempts if c.purpose == "collection"
    )
    assert max(per_day.values()) == 3
    blocked = [c for c in contacts if c.outcome == "blocked"]
    assert all(c.rule for c in blocked)
    rules = Counter(c.rule for c in blocked)
    assert rules == reported_blocks
    assert rules["contact.daily_cap"] == 3
    assert rules["contact.flag.hardship"] == 3
    assert rules["contact.hours"] >= 3 * len(reminders)
    cap = [c for c in blocked if c.rule == "contact.daily_cap"]
    assert {to_utc(c.at).astimezone(TZ).date() for c in cap} == {date(2025, 8, 12)}
    held = [c for c in blocked if c.rule == "contact.flag.hardship"]
    assert {(to_utc(c.at).astimezone(TZ), c.next_slot) for c in held} == {
        (local(date(2025, 9, 12), 8), None)
    }

    # ---- replay: from the database, from the bundle; an edited entry fails --------------
    from_db = replay_agreement(factory=db.factory, tenant=TENANT, agreement_id=AGR)
    assert from_db.ok, from_db.divergence
    clean = tmp_path / "bundle"
    export(factory=db.factory, tenant=TENANT, out=clean)
    report = replay_from_bundle(clean, AGR)
    assert report.ok, report.divergence
    assert report.replayed_hash == row.state_hash
    assert report.status == "completed"
    lines = (clean / ENTRIES).read_bytes().splitlines()
    ours = [i for i, line in enumerate(lines) if f"agreement:{AGR}".encode() in line]
    assert len(ours) == len(entries)
    for i in ours:  # every agreement entry, edited in turn, in its own copy of the bundle
        copy = tmp_path / f"edit-{i}"
        shutil.copytree(clean, copy)
        entry = json.loads(lines[i])
        entry["payload"]["edited"] = True
        edited = list(lines)
        edited[i] = json.dumps(
            entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        ).encode()
        (copy / ENTRIES).write_bytes(b"\n".join(edited) + b"\n")
        failed = replay_from_bundle(copy, AGR)
        assert not failed.ok
        assert failed.divergence is not None
        assert failed.divergence.ledger_seq == i
        shutil.rmtree(copy)
    assert story_seconds < 45, f"the story took {story_seconds:.1f}s"
