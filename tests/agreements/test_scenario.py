"""Time travel: one 24-month agreement run day by day, with real message delivery.

The story (CN pack, Asia/Shanghai, reminders by email, SMS and in-app):
installments 1–3 paid on time; 4 paid three days late, inside grace; 5–6 on time; 7 missed
(arrears) and paid four weeks late, the day reminders for 7 and 8 coincide so the daily cap
defers some; 8 on time; hardship (job loss) declared with a termination letter early on the
morning a reminder is queued (held), verified three days later: a 60-day pause; payments resume;
a verified 30 % income drop lowers future installments to 80 % and adds four; four more
installments paid; then an early payoff with the 5 % discount settles the agreement.
Every day: a tick at 02:00, the script at 07:00/10:00, dispatch at 02:00, 08:00, 12:00, 18:00
and 22:30 local time. Emails go to a real aiosmtpd server, SMS to a loopback HTTP gateway.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from accord.agreements import (
    DeclareHardship,
    Evidence,
    Pay,
    Status,
    VerifyHardship,
    VerifyIncomeChange,
    apply,
    replay,
    state_hash,
    tick,
)
from accord.agreements.reasons import CATALOGUE, explain
from accord.compliance import ContactPolicy, ContactRecord, Message, MessageStatus, Outcome
from accord.core.packs import load_pack
from accord.notify.channels import EmailChannel, InAppChannel, SmsChannel
from accord.notify.dispatch import dispatch
from accord.notify.plan import plan_messages, supersede
from tests.agreements.helpers import make_terms, signed
from tests.notify.servers import http_sink, smtp_server

TZ = ZoneInfo("Asia/Shanghai")
SIGNED_ON = date(2024, 12, 20)
END = date(2027, 1, 15)
DISPATCH_HOURS = ((2, 0), (8, 0), (12, 0), (18, 0), (22, 30))


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)


def test_twenty_four_months_day_by_day() -> None:
    started = time.perf_counter()
    terms = make_terms(
        reminders={
            "offsets_days": [-3, 0, 2, 28],
            "channels": ["email", "sms", "in_app"],
            "locale": "zh-CN",
        },
    )
    policy = ContactPolicy.from_pack(load_pack("cn"))
    contract, state, log = signed(terms, SIGNED_ON)
    outbox: list[Message] = plan_messages(terms, log, local(SIGNED_ON, 10))
    contacts: list[ContactRecord] = []
    in_app = InAppChannel()

    with smtp_server() as (mailbox, port), http_sink() as (gateway, url):
        channels = {
            "email": EmailChannel("127.0.0.1", port, "accord@example.invalid"),
            "sms": SmsChannel(f"{url}/sms"),
            "in_app": in_app,
        }
        addresses = {"email": "debtor@example.invalid", "sms": "+8613800000000", "in_app": "d-1"}

        def run(command: object, at: datetime) -> None:
            nonlocal state, log, outbox
            step = (
                tick(contract, state, at.date())
                if command is None
                else apply(contract, state, command)
            )  # type: ignore[arg-type]
            state, log = step.state, log + list(step.events)
            if any(e.type == "agreement.paused" for e in step.events):
                outbox = supersede(outbox, terms.agreement_id, at)
            outbox += plan_messages(terms, step.events, at)

        def send(at: datetime) -> None:
            nonlocal outbox
            flags = (
                frozenset({"hardship"})
                if (state.hardship_pending or state.status is Status.PAUSED)
                else frozenset()
            )
            result = dispatch(
                outbox,
                now=at,
                policy=policy,
                history=contacts,
                channels=channels,
                address_for=lambda m: addresses[m.channel],
                tz_for=lambda _: TZ,
                flags_for=lambda _: flags,
            )
            outbox = list(result.messages)
            contacts.extend(result.records)

        ev = Evidence("termination_letter", "ab" * 32)
        script = {
            date(2025, 4, 18): [Pay(date(2025, 4, 18), "pay-4", 100_000)],
            date(2025, 8, 12): [],
            date(2025, 8, 13): [Pay(date(2025, 8, 13), "pay-7", 100_000)],
            date(2025, 9, 12): [DeclareHardship(date(2025, 9, 12), "job_loss", (ev,))],
            date(2025, 9, 15): [VerifyHardship(date(2025, 9, 15), True, "verifier-7")],
            date(2026, 1, 5): [VerifyIncomeChange(date(2026, 1, 5), 1_000_000, 700_000, "cd" * 32)],
        }
        skip = {4, 7}  # paid by the script instead of on the due date
        payoff_day = date(2026, 5, 1)
        day = SIGNED_ON + timedelta(days=1)
        while day <= END:
            run(None, local(day, 2))
            send(local(day, 2))
            for cmd in script.get(day, []):
                run(cmd, local(day, 7 if isinstance(cmd, DeclareHardship) else 10))
            if state.status in (Status.ACTIVE, Status.GRACE, Status.IN_ARREARS):
                for inst in state.installments:
                    if inst.due == day and inst.remaining and inst.seq not in skip:
                        run(Pay(day, f"pay-{inst.seq}", inst.remaining), local(day, 10))
                if day == payoff_day:
                    run(Pay(day, "payoff", 1_026_000, "payoff"), local(day, 11))
            for h, m in DISPATCH_HOURS[1:]:
                send(local(day, h, m))
            day += timedelta(days=1)

    # ---- final state -----------------------------------------------------------------
    assert state.status is Status.COMPLETED
    assert state.outcome == "settled"
    assert (state.late_count, state.missed_count, state.pauses_used, state.adjustments) == (
        1,
        1,
        1,
        1,
    )
    # 10 × ¥1,000 + 4 × ¥800 + the payoff quote: ¥10,800 left less 5 % = ¥10,260
    assert state.paid_total == 10 * 100_000 + 4 * 80_000 + 1_026_000
    assert state.discount == 54_000
    assert state.paid_total + state.discount == 24 * 100_000  # money is conserved
    assert len(state.installments) == 28
    assert state.unapplied == 0

    # ---- every event -----------------------------------------------------------------
    story = [
        e.type
        for e in log
        if e.type
        not in (
            "agreement.ticked",
            "agreement.reminder_due",
            "agreement.payment_received",
            "agreement.payment_applied",
        )
    ]
    assert story == [
        "agreement.created",
        "agreement.signed",
        "agreement.signed",
        "agreement.activated",
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
    applied = [e for e in log if e.type == "agreement.payment_applied"]
    assert len(applied) == 14
    assert [e.payload["late_within_grace"] for e in applied if e.payload["late_within_grace"]] == [
        [4]
    ]
    paused = next(e for e in log if e.type == "agreement.paused")
    assert paused.payload["until"] == "2025-11-14"
    assert paused.payload["shifted"] == list(range(9, 25))
    adjusted = next(e for e in log if e.type == "agreement.terms_adjusted")
    assert adjusted.payload["payment_bps"] == 8000
    assert adjusted.payload["drop_bps"] == 3000
    assert [a[2] for a in adjusted.payload["added"]] == [70_000] * 4
    done = log[-1]
    assert (done.type, done.reason_id) == ("agreement.completed", "agreement.early_payoff")
    assert "¥540.00" in explain(done.reason_id, done.reason_params, "zh-CN")
    for e in log:  # every reason renders in both languages
        assert e.reason_id in CATALOGUE
        assert explain(e.reason_id, e.reason_params, "zh-CN")
        assert explain(e.reason_id, e.reason_params, "en")
    assert [e.seq for e in log] == list(range(len(log)))

    # ---- every message sent ---------------------------------------------------------
    sent = [m for m in outbox if m.status is MessageStatus.SENT]
    by_channel = Counter(m.channel for m in sent)
    assert by_channel["email"] == len(mailbox.messages)
    assert by_channel["sms"] == len(gateway.requests)
    assert by_channel["in_app"] == len(in_app.inbox["d-1"])
    assert {m["Message-ID"] for m in mailbox.messages} == {
        f"<{m.id}@accord.invalid>" for m in sent if m.channel == "email"
    }
    reminders = [e for e in log if e.type == "agreement.reminder_due"]
    cancelled = [m for m in outbox if m.status is MessageStatus.CANCELLED]
    assert len(cancelled) == 3  # the held reminder for installment 9, on every channel
    assert len([m for m in sent if m.purpose == "collection"]) == 3 * len(reminders) - 3
    assert all(m.status in (MessageStatus.SENT, MessageStatus.CANCELLED) for m in outbox)
    assert any(
        "还款方式" in m.get_content() and "400-000-0000" in m.get_content()
        for m in mailbox.messages
    )
    subjects = Counter(m["Subject"].split("：")[0] for m in mailbox.messages)
    assert subjects["今日到期"] > 0
    assert subjects["还款提醒"] > 0

    # ---- the contact log: lawful, and every block explained ----------------------------
    attempts = [c for c in contacts if c.outcome in (Outcome.SENT, Outcome.FAILED)]
    assert len(attempts) == len(sent)
    per_day = Counter(c.at.astimezone(TZ).date() for c in attempts if c.purpose == "collection")
    assert max(per_day.values()) == 3
    for c in attempts:
        assert policy.start <= c.at.astimezone(TZ).time() < policy.end
    blocked = [c for c in contacts if c.outcome is Outcome.BLOCKED]
    rules = Counter(c.rule for c in blocked)
    assert rules["contact.daily_cap"] == 3
    assert rules["contact.flag.hardship"] == 3
    # every reminder is queued by the 02:00 tick and waits for 08:00; pause notices too
    assert all(c.next_slot is None or c.next_slot.astimezone(TZ).hour == 8 for c in blocked)
    assert rules["contact.hours"] >= 3 * len(reminders)
    cap = [c for c in blocked if c.rule == "contact.daily_cap"]
    assert {c.at.astimezone(TZ).date() for c in cap} == {date(2025, 8, 12)}
    assert {c.next_slot for c in cap} == {local(date(2025, 8, 13), 8)}
    held = [c for c in blocked if c.rule == "contact.flag.hardship"]
    assert {(c.at.astimezone(TZ), c.next_slot) for c in held} == {
        (local(date(2025, 9, 12), 8), None)
    }

    # ---- replay reproduces the state from the events alone ----------------------------
    again = replay(terms, [e.to_record() for e in log])
    assert state_hash(again) == state_hash(state) == log[-1].state_hash
    assert time.perf_counter() - started < 60
