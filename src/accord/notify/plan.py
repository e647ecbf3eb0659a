"""Turn agreement events into outbox messages (one per event and channel, deterministic ids).

Reminders become ``reminder.before`` / ``reminder.due`` / ``reminder.overdue`` collection
messages; activation, pause, term adjustment, breach and completion become
``agreement.notice`` service messages whose text is the event's own reason, so what the debtor
reads is what the ledger records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from accord.agreements.events import Event
from accord.agreements.reasons import explain
from accord.agreements.terms import AgreementTerms
from accord.compliance.outbox import Message, MessageStatus, cancel, message_id
from accord.core.money import Money

NOTICES = frozenset(
    {
        "agreement.activated",
        "agreement.paused",
        "agreement.terms_adjusted",
        "agreement.breached",
        "agreement.completed",
        "agreement.resumed",
    }
)


def _reminder_template(offset: int) -> str:
    return (
        "reminder.before" if offset < 0 else "reminder.due" if offset == 0 else "reminder.overdue"
    )


def plan_messages(terms: AgreementTerms, events: Iterable[Event], at: datetime) -> list[Message]:
    """Messages for ``events`` on every channel of the reminder plan, scheduled at ``at``."""
    plan, locale = terms.reminders, terms.reminders.locale
    common = {
        "agreement_id": terms.agreement_id,
        "how_to_pay": terms.notices.how_to_pay[locale],
        "help": terms.notices.help_contact[locale],
    }
    out = []
    for e in events:
        if e.type == "agreement.reminder_due":
            template, purpose = _reminder_template(int(e.payload["offset"])), "collection"
            due = date.fromisoformat(e.payload["due"])
            params = {
                **common,
                "seq": e.payload["seq"],
                "due": due.isoformat(),
                "amount": Money(e.payload["amount_minor"], terms.currency).format(),
            }
        elif e.type in NOTICES:
            template, purpose = "agreement.notice", "service"
            params = {**common, "text": explain(e.reason_id, e.reason_params, locale)}
        else:
            continue
        for channel in plan.channels:
            out.append(
                Message(
                    id=message_id(terms.agreement_id, e.seq, channel.value),
                    agreement_id=terms.agreement_id,
                    debtor_id=terms.parties.debtor_id,
                    channel=channel.value,
                    recipient_role="debtor",
                    template_id=template,
                    locale=locale,
                    params=params,
                    scheduled_at=at,
                    next_attempt_at=at,
                    purpose=purpose,
                )
            )
    return out


def supersede(messages: Iterable[Message], agreement_id: str, at: datetime) -> list[Message]:
    """Cancel undelivered collection messages of ``agreement_id`` (its schedule changed)."""
    live = {
        MessageStatus.PENDING,
        MessageStatus.RETRYING,
        MessageStatus.DEFERRED,
        MessageStatus.HELD,
    }
    return [
        cancel(m, at, "schedule changed")
        if m.agreement_id == agreement_id and m.purpose == "collection" and m.status in live
        else m
        for m in messages
    ]
