"""The notification outbox as pure data: messages, their delivery state and back-off.

A :class:`Message` is created once per (agreement event, channel) with a deterministic id, so
re-planning the same events never duplicates a message. Delivery failures retry with
exponential back-off until ``max_attempts``; a block by a contact rule defers the message to the
next lawful slot, or holds it (no slot) until the blocking flag is cleared. Status and the last
error or rule stay visible on the message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class MessageStatus(StrEnum):
    """Delivery status of a message."""

    PENDING = "pending"
    SENT = "sent"
    RETRYING = "retrying"  # a delivery failed; next attempt after back-off
    DEFERRED = "deferred"  # blocked by a contact rule; next attempt at the next lawful slot
    HELD = "held"  # blocked by a flag (dispute, hardship, representation) until it clears
    FAILED = "failed"  # gave up after max attempts
    REJECTED = "rejected"  # never lawful (e.g. third-party recipient)
    CANCELLED = "cancelled"  # superseded (e.g. a reminder for a due date that moved)


DUE_STATUSES = frozenset({MessageStatus.PENDING, MessageStatus.RETRYING, MessageStatus.DEFERRED})


@dataclass(frozen=True, slots=True)
class Message:
    """One outbound message (template + params; rendering happens at delivery)."""

    id: str
    agreement_id: str
    debtor_id: str
    channel: str
    recipient_role: str
    template_id: str
    locale: str
    params: dict[str, Any]
    scheduled_at: datetime
    next_attempt_at: datetime | None
    attempts: int = 0
    status: MessageStatus = MessageStatus.PENDING
    last_error: str | None = None
    blocked_rule: str | None = None
    sent_at: datetime | None = None
    purpose: str = "collection"
    history: tuple[str, ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        """JSON-safe dict (times ISO 8601)."""
        return {
            "id": self.id,
            "agreement_id": self.agreement_id,
            "debtor_id": self.debtor_id,
            "channel": self.channel,
            "recipient_role": self.recipient_role,
            "template_id": self.template_id,
            "locale": self.locale,
            "params": self.params,
            "scheduled_at": self.scheduled_at.isoformat(),
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "attempts": self.attempts,
            "status": self.status.value,
            "last_error": self.last_error,
            "blocked_rule": self.blocked_rule,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "purpose": self.purpose,
        }


def message_id(agreement_id: str, event_seq: int, channel: str) -> str:
    """Deterministic id of the message for one agreement event on one channel."""
    raw = f"{agreement_id}\n{event_seq}\n{channel}".encode()
    return hashlib.sha256(raw).hexdigest()[:24]


def backoff(
    attempts: int, base: timedelta = timedelta(minutes=5), cap: timedelta = timedelta(hours=6)
) -> timedelta:
    """Wait before retry number ``attempts`` (1-based): base × 2^(attempts−1), at most ``cap``."""
    if attempts < 1:
        raise ValueError("attempts counts from 1")
    wait: timedelta = base * (2 ** min(attempts - 1, 30))
    return min(wait, cap)


def is_due(m: Message, now: datetime) -> bool:
    """True when the message should be tried at ``now``."""
    return m.status in DUE_STATUSES and m.next_attempt_at is not None and m.next_attempt_at <= now


def mark_sent(m: Message, at: datetime) -> Message:
    """Delivered at ``at``."""
    return replace(
        m,
        status=MessageStatus.SENT,
        attempts=m.attempts + 1,
        sent_at=at,
        next_attempt_at=None,
        last_error=None,
        blocked_rule=None,
        history=(*m.history, f"{at.isoformat()} sent"),
    )


def mark_failed(m: Message, at: datetime, error: str, max_attempts: int = 5) -> Message:
    """Delivery failed at ``at``: retry after :func:`backoff`, or give up after ``max_attempts``."""
    n = m.attempts + 1
    done = n >= max_attempts
    return replace(
        m,
        attempts=n,
        status=MessageStatus.FAILED if done else MessageStatus.RETRYING,
        next_attempt_at=None if done else at + backoff(n),
        last_error=error,
        history=(*m.history, f"{at.isoformat()} failed: {error}"),
    )


def mark_blocked(
    m: Message, at: datetime, rule: str, next_slot: datetime | None, permanent: bool
) -> Message:
    """Blocked by ``rule`` at ``at``: deferred to ``next_slot``, held, or rejected."""
    status = (
        MessageStatus.REJECTED
        if permanent
        else MessageStatus.HELD
        if next_slot is None
        else MessageStatus.DEFERRED
    )
    return replace(
        m,
        status=status,
        next_attempt_at=next_slot,
        blocked_rule=rule,
        history=(*m.history, f"{at.isoformat()} blocked: {rule}"),
    )


def release(m: Message, at: datetime) -> Message:
    """A held message becomes due again at ``at`` (its blocking flag was cleared)."""
    if m.status is not MessageStatus.HELD:
        return m
    return replace(m, status=MessageStatus.DEFERRED, next_attempt_at=at)


def cancel(m: Message, at: datetime, why: str) -> Message:
    """Withdraw a message that was not delivered (superseded by a schedule change)."""
    if m.status in (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.REJECTED):
        return m
    return replace(
        m,
        status=MessageStatus.CANCELLED,
        next_attempt_at=None,
        history=(*m.history, f"{at.isoformat()} cancelled: {why}"),
    )
