"""Deliver due outbox messages inside the contact rules; log every attempt, blocked or not.

:func:`dispatch_notifications` claims the messages due at ``now`` (PostgreSQL: ``FOR UPDATE
SKIP LOCKED``), runs :func:`accord.notify.dispatch.dispatch` on them per tenant and pack — the
lawful-contact check first (:func:`accord.compliance.check`, with the debtor's contact history
from the contact log and a ``hardship`` flag while a hardship is pending or the agreement is
paused), then the channel — and writes back each message's status, attempts, next attempt
(back-off) and last error, and one contact-log row per attempt, blocked attempts with their
rule. Delivery is at least once: a crash after sending and before the commit sends again on
the next run (the email ``Message-ID`` lets the receiver drop the duplicate).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from accord.compliance.contact import ContactPolicy
from accord.compliance.outbox import Message
from accord.core.packs import load_pack
from accord.notify.channels import Channel, EmailChannel, InAppChannel, SmsChannel, WebhookChannel
from accord.notify.dispatch import dispatch
from accord.store.agreements import add_contacts, contact_history, due_messages, save_message
from accord.store.config import Settings
from accord.store.crypto import FieldCipher
from accord.store.db import transaction
from accord.store.models import AgreementRow


@dataclass(frozen=True, slots=True)
class DispatchReport:
    """One dispatcher run: messages tried and their outcome, contact-log rows written."""

    now: datetime
    tried: int
    statuses: dict[str, int]
    blocked: dict[str, int]
    contacts_logged: int


def channels_from_settings(settings: Settings) -> dict[str, Channel]:
    """Delivery channels configured in settings (in-app always; others when configured)."""
    channels: dict[str, Channel] = {"in_app": InAppChannel()}
    if settings.smtp_host:
        channels["email"] = EmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            starttls=settings.smtp_starttls,
        )
    if settings.sms_url:
        channels["sms"] = SmsChannel(settings.sms_url)
    if settings.webhook_url:
        secret = settings.webhook_secret.encode() if settings.webhook_secret else None
        channels["webhook"] = WebhookChannel(secret)
    return channels


@lru_cache(maxsize=16)
def _policy(pack: str) -> ContactPolicy:
    return ContactPolicy.from_pack(load_pack(pack))


def _contacts(row: AgreementRow, cipher: FieldCipher | None) -> dict[str, str]:
    if row.contacts_enc is None or cipher is None:
        return {}
    text = cipher.decrypt(row.contacts_enc, context=f"agreement:{row.tenant_id}")
    return dict(json.loads(text)) if text else {}


def dispatch_notifications(
    *,
    factory: sessionmaker[Session],
    now: datetime,
    channels: Mapping[str, Channel],
    cipher: FieldCipher | None = None,
    tenant: str | None = None,
    webhook_url: str | None = None,
    max_attempts: int = 5,
    limit: int = 500,
) -> DispatchReport:
    """Try every outbox message due at ``now`` (aware datetime); see the module docstring.

    Addresses come from the agreement's encrypted contacts (``email``, ``sms``, ``webhook``;
    the in-app address is the debtor id; ``webhook_url`` is the default webhook address).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    statuses: Counter[str] = Counter()
    blocked: Counter[str] = Counter()
    tried = logged = 0
    with transaction(factory) as session:
        groups: dict[tuple[str, str], list[tuple[AgreementRow, Message]]] = defaultdict(list)
        for t, row, m in due_messages(session, now, tenant_id=tenant, limit=limit):
            groups[(t, json.loads(row.terms)["pack"])].append((row, m))
        for (t, pack), items in sorted(groups.items()):
            policy = _policy(pack)
            by_message = {m.id: row for row, m in items}
            tz: dict[str, ZoneInfo] = {}
            flags: dict[str, set[str]] = defaultdict(set)
            for row, m in items:
                tz.setdefault(m.debtor_id, ZoneInfo(json.loads(row.terms)["timezone"]))
                state = json.loads(row.state)
                if state["hardship_pending"] or row.status == "paused":
                    flags[m.debtor_id].add("hardship")
            days = max(policy.window_days, policy.quiet_days or 0) + 2
            history = contact_history(session, t, tz, since=now - timedelta(days=days))

            def address(m: Message, by: dict[str, AgreementRow] = by_message) -> str | None:
                if m.channel == "in_app":
                    return m.debtor_id
                found = _contacts(by[m.id], cipher).get(m.channel)
                return found or (webhook_url if m.channel == "webhook" else None)

            result = dispatch(
                [m for _, m in items],
                now=now,
                policy=policy,
                history=history,
                channels=channels,
                address_for=address,
                tz_for=lambda d, z=tz: z[d],  # type: ignore[misc]
                flags_for=lambda d, f=flags: frozenset(f.get(d, ())),  # type: ignore[misc]
                max_attempts=max_attempts,
            )
            for before, after in zip((m for _, m in items), result.messages, strict=True):
                tried += 1
                statuses[after.status.value] += 1
                if after != before:
                    save_message(session, t, after)
            for r in result.records:
                if r.rule:
                    blocked[r.rule] += 1
            add_contacts(session, t, result.records)
            logged += len(result.records)
    return DispatchReport(now, tried, dict(statuses), dict(blocked), logged)
