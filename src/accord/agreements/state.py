"""Agreement state: an immutable record, its canonical JSON and its SHA-256 state hash.

The state machine's statuses and the transitions it allows are declared here as data
(:data:`TRANSITIONS`); the executor refuses any other move with
:class:`~accord.agreements.errors.InvalidTransition`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import rfc8785


class Status(StrEnum):
    """Lifecycle statuses of an agreement."""

    PENDING_SIGNATURE = "pending_signature"
    ACTIVE = "active"
    GRACE = "grace"
    IN_ARREARS = "in_arrears"
    PAUSED = "paused"
    BREACHED = "breached"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


S = Status
#: Allowed moves. active ⇄ grace ⇄ in_arrears → breached; active/grace/in_arrears → paused →
#: active; anything live → completed; pending_signature → active | cancelled.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.PENDING_SIGNATURE: frozenset({S.ACTIVE, S.CANCELLED}),
    S.ACTIVE: frozenset({S.GRACE, S.IN_ARREARS, S.PAUSED, S.BREACHED, S.COMPLETED}),
    S.GRACE: frozenset({S.ACTIVE, S.IN_ARREARS, S.PAUSED, S.BREACHED, S.COMPLETED}),
    S.IN_ARREARS: frozenset({S.ACTIVE, S.GRACE, S.PAUSED, S.BREACHED, S.COMPLETED}),
    S.PAUSED: frozenset({S.ACTIVE, S.COMPLETED}),
    S.BREACHED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}
#: Statuses in which the schedule runs (payments apply, ticks age installments).
LIVE = frozenset({S.ACTIVE, S.GRACE, S.IN_ARREARS, S.PAUSED})


@dataclass(frozen=True, slots=True)
class InstallmentState:
    """One installment as executed: its (possibly shifted) due date, amount and progress.

    ``reminded`` is the index into the reminder offsets of the latest reminder sent for the
    current due date (-1: none). ``missed`` is set once the installment was unpaid after grace;
    ``late`` once it was paid after its due date.
    """

    seq: int
    due: date
    amount: int
    paid: int = 0
    missed: bool = False
    late: bool = False
    reminded: int = -1

    @property
    def remaining(self) -> int:
        """Minor units still owed on this installment."""
        return self.amount - self.paid


@dataclass(frozen=True, slots=True)
class AgreementState:
    """Everything the executor knows about one agreement; a pure function of its events."""

    agreement_id: str
    terms_hash: str
    currency: str
    status: Status
    installments: tuple[InstallmentState, ...]
    signed_by: tuple[str, ...] = ()
    missed_count: int = 0
    late_count: int = 0
    pauses_used: int = 0
    pause_days_used: int = 0
    pause_until: date | None = None
    hardship_pending: str | None = None
    adjustments: int = 0
    payment_ids: tuple[str, ...] = ()
    paid_total: int = 0
    unapplied: int = 0
    discount: int = 0
    outcome: str | None = None
    consequence: str | None = None
    last_on: date | None = None
    event_count: int = 0

    @property
    def remaining(self) -> int:
        """Minor units still owed under the agreement."""
        return sum(i.remaining for i in self.installments)

    def oldest_unpaid(self) -> InstallmentState | None:
        """The earliest installment not fully paid (None when everything is paid)."""
        for i in self.installments:
            if i.remaining > 0:
                return i
        return None


def state_document(state: AgreementState) -> dict[str, Any]:
    """The state as JSON-safe values (ints, strings, bools, lists, dicts, null)."""
    return {
        "agreement_id": state.agreement_id,
        "terms_hash": state.terms_hash,
        "currency": state.currency,
        "status": state.status.value,
        "installments": [
            [i.seq, i.due.isoformat(), i.amount, i.paid, i.missed, i.late, i.reminded]
            for i in state.installments
        ],
        "signed_by": list(state.signed_by),
        "missed_count": state.missed_count,
        "late_count": state.late_count,
        "pauses_used": state.pauses_used,
        "pause_days_used": state.pause_days_used,
        "pause_until": state.pause_until.isoformat() if state.pause_until else None,
        "hardship_pending": state.hardship_pending,
        "adjustments": state.adjustments,
        "payment_ids": list(state.payment_ids),
        "paid_total": state.paid_total,
        "unapplied": state.unapplied,
        "discount": state.discount,
        "outcome": state.outcome,
        "consequence": state.consequence,
        "last_on": state.last_on.isoformat() if state.last_on else None,
        "event_count": state.event_count,
    }


def state_hash(state: AgreementState) -> str:
    """Hex SHA-256 of the RFC 8785 canonical JSON of :func:`state_document`."""
    return hashlib.sha256(rfc8785.dumps(state_document(state))).hexdigest()


def state_from_document(doc: dict[str, Any]) -> AgreementState:
    """Inverse of :func:`state_document` (a stored projection back to a state record)."""
    return AgreementState(
        agreement_id=doc["agreement_id"],
        terms_hash=doc["terms_hash"],
        currency=doc["currency"],
        status=Status(doc["status"]),
        installments=tuple(
            InstallmentState(seq, date.fromisoformat(due), amount, paid, missed, late, reminded)
            for seq, due, amount, paid, missed, late, reminded in doc["installments"]
        ),
        signed_by=tuple(doc["signed_by"]),
        missed_count=doc["missed_count"],
        late_count=doc["late_count"],
        pauses_used=doc["pauses_used"],
        pause_days_used=doc["pause_days_used"],
        pause_until=date.fromisoformat(doc["pause_until"]) if doc["pause_until"] else None,
        hardship_pending=doc["hardship_pending"],
        adjustments=doc["adjustments"],
        payment_ids=tuple(doc["payment_ids"]),
        paid_total=doc["paid_total"],
        unapplied=doc["unapplied"],
        discount=doc["discount"],
        outcome=doc["outcome"],
        consequence=doc["consequence"],
        last_on=date.fromisoformat(doc["last_on"]) if doc["last_on"] else None,
        event_count=doc["event_count"],
    )
