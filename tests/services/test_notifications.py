"""The outbox dispatcher on both databases: lawful hours, a real SMTP server on loopback,
failed deliveries retried with back-off, every attempt (blocked ones with their rule) logged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from accord.notify.channels import EmailChannel
from accord.services.agreements import declare_hardship, tick_agreements, verify_hardship
from accord.services.notifications import channels_from_settings, dispatch_notifications
from accord.store.config import Settings
from accord.store.models import ContactLog, OutboxMessage
from tests.conftest import Db
from tests.notify.servers import free_port, smtp_server
from tests.services.agreement_helpers import TENANT
from tests.services.test_agreements import AGR, signed_agreement

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2024, 12, 20)


def local(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def outbox(db: Db) -> list[OutboxMessage]:
    with db.factory() as s:
        return list(s.execute(select(OutboxMessage)).scalars())


def contact_log(db: Db) -> list[ContactLog]:
    with db.factory() as s:
        return list(s.execute(select(ContactLog).order_by(ContactLog.id)).scalars())


def test_activation_notice_is_mailed_within_lawful_hours(db: Db, tmp_path: Path) -> None:
    signed_agreement(db)  # activation notice queued at 09:00 local
    (queued,) = outbox(db)
    assert (queued.channel, queued.template_id, queued.status) == (
        "email",
        "agreement.notice",
        "pending",
    )
    with smtp_server() as (mailbox, port):
        settings = Settings(home=tmp_path, smtp_host="127.0.0.1", smtp_port=port)
        channels = channels_from_settings(settings)
        assert set(channels) == {"email", "in_app"}
        night = dispatch_notifications(
            factory=db.factory, now=local(DAY, 23), channels=channels, cipher=db.cipher
        )
        assert night.blocked == {"contact.hours": 1}
        assert mailbox.messages == []
        (deferred,) = outbox(db)
        assert deferred.status == "deferred"
        assert deferred.blocked_rule == "contact.hours"
        assert deferred.next_attempt_at is not None
        (blocked,) = contact_log(db)
        assert (blocked.outcome, blocked.rule) == ("blocked", "contact.hours")
        # nothing is due before the next lawful slot, 08:00 the next morning
        early = dispatch_notifications(
            factory=db.factory, now=local(DAY, 23, 30), channels=channels, cipher=db.cipher
        )
        assert early.tried == 0
        morning = dispatch_notifications(
            factory=db.factory,
            now=local(DAY + timedelta(days=1), 8),
            channels=channels,
            cipher=db.cipher,
        )
        assert morning.statuses == {"sent": 1}
    (mail,) = mailbox.messages
    (sent,) = outbox(db)
    assert mail["To"] == "debtor@example.invalid"
    assert mail["Message-ID"] == f"<{sent.id}@accord.invalid>"
    assert "协议自 2024-12-20 起生效" in mail.get_content()
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert [(c.outcome, c.rule) for c in contact_log(db)] == [
        ("blocked", "contact.hours"),
        ("sent", ""),
    ]


def test_failed_delivery_retries_with_back_off(db: Db) -> None:
    signed_agreement(db)
    dead = {"email": EmailChannel("127.0.0.1", free_port(), "accord@example.invalid", timeout=2)}
    first = local(DAY, 10)
    report = dispatch_notifications(factory=db.factory, now=first, channels=dead, cipher=db.cipher)
    assert report.statuses == {"retrying": 1}
    (msg,) = outbox(db)
    assert msg.attempts == 1
    assert msg.last_error is not None
    assert msg.last_error.startswith("smtp:")
    assert msg.next_attempt_at is not None
    wait = msg.next_attempt_at.replace(tzinfo=None) - first.astimezone(ZoneInfo("UTC")).replace(
        tzinfo=None
    )
    assert wait == timedelta(minutes=5)
    soon = dispatch_notifications(
        factory=db.factory, now=first + timedelta(minutes=4), channels=dead, cipher=db.cipher
    )
    assert soon.tried == 0
    with smtp_server() as (mailbox, port):
        live = {"email": EmailChannel("127.0.0.1", port, "accord@example.invalid")}
        later = dispatch_notifications(
            factory=db.factory, now=first + timedelta(minutes=5), channels=live, cipher=db.cipher
        )
    assert later.statuses == {"sent": 1}
    assert len(mailbox.messages) == 1
    assert [c.outcome for c in contact_log(db)] == ["failed", "sent"]
    (done,) = outbox(db)
    assert (done.status, done.attempts, done.last_error) == ("sent", 2, None)


def test_hardship_holds_reminders_until_the_flag_clears(db: Db) -> None:
    signed_agreement(db)
    day = date(2025, 1, 12)  # three days before installment 1: the first reminder
    tick_agreements(factory=db.factory, tenant=TENANT, as_of=day, now=local(day, 2))
    declare_hardship(
        factory=db.factory,
        tenant=TENANT,
        agreement_id=AGR,
        reason="job_loss",
        evidence=[("termination_letter", "ab" * 32)],
        on=day,
        now=local(day, 7),
    )
    with smtp_server() as (mailbox, port):
        channels = {"email": EmailChannel("127.0.0.1", port, "accord@example.invalid")}
        first = dispatch_notifications(
            factory=db.factory, now=local(day, 8), channels=channels, cipher=db.cipher
        )
        # the activation notice is a service message: sent; the reminder is held
        assert first.statuses == {"sent": 1, "held": 1}
        assert first.blocked == {"contact.flag.hardship": 1}
        verify_hardship(
            factory=db.factory,
            tenant=TENANT,
            agreement_id=AGR,
            accepted=False,
            verifier="v-1",
            on=day,
            now=local(day, 9),
        )
        released = [m for m in outbox(db) if m.template_id == "reminder.before"]
        assert [m.status for m in released] == ["deferred"]
        second = dispatch_notifications(
            factory=db.factory, now=local(day, 10), channels=channels, cipher=db.cipher
        )
        assert second.statuses == {"sent": 1}
    assert len(mailbox.messages) == 2
    held = [c for c in contact_log(db) if c.outcome == "blocked"]
    assert [(c.rule, c.next_slot) for c in held] == [("contact.flag.hardship", None)]
