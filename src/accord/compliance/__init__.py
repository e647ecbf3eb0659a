"""Compliance engine: lawful contact rules from the jurisdiction packs, applied to every
outbound contact, and the pure notification outbox model (messages, back-off, status).

Owns :mod:`.contact` (hours, frequency caps, quiet days, permitted recipients, opt-out notice,
blocking flags, retention), :mod:`.outbox` and the reason catalogue :mod:`.reasons`.
Pure: may import ``accord.core`` and ``accord.ledger``; never the store, services or network.
"""

from accord.compliance.contact import (
    Attempt,
    ContactPolicy,
    ContactRecord,
    Decision,
    Outcome,
    check,
    next_lawful_slot,
    retained,
)
from accord.compliance.outbox import (
    Message,
    MessageStatus,
    backoff,
    cancel,
    is_due,
    mark_blocked,
    mark_failed,
    mark_sent,
    message_id,
    release,
)

__all__ = [
    "Attempt",
    "ContactPolicy",
    "ContactRecord",
    "Decision",
    "Message",
    "MessageStatus",
    "Outcome",
    "backoff",
    "cancel",
    "check",
    "is_due",
    "mark_blocked",
    "mark_failed",
    "mark_sent",
    "message_id",
    "next_lawful_slot",
    "release",
    "retained",
]
