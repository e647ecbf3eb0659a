"""Commands that drive an agreement and the events it records.

A *command* is an input fact (a signature, a payment, a hardship declaration, a verification,
an income change, a cancellation, a daily tick). Applying one yields a batch of *events*: first
the command itself (so the log holds every input), then each transition it caused, naming the
rule that fired and its reason (message id + params, see :mod:`accord.agreements.reasons`).
Every event carries the hash of the state right after it, so replay can check each step.
Payloads hold JSON-safe values only (no floats), ready for the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from accord.agreements.errors import InvalidCommand

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True, eq=True)
class Event:
    """One recorded event of an agreement (``seq`` counts from 0 within the agreement)."""

    seq: int
    type: str
    on: date
    payload: JsonDict
    rule: str
    reason_id: str
    reason_params: JsonDict
    state_hash: str

    def to_record(self) -> JsonDict:
        """JSON-safe dict for the ledger (``on`` as an ISO date)."""
        return {
            "seq": self.seq,
            "type": self.type,
            "on": self.on.isoformat(),
            "payload": self.payload,
            "rule": self.rule,
            "reason_id": self.reason_id,
            "reason_params": self.reason_params,
            "state_hash": self.state_hash,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Event:
        """Inverse of :meth:`to_record`; raises :class:`InvalidCommand` on a malformed record."""
        try:
            return cls(
                seq=int(record["seq"]),
                type=str(record["type"]),
                on=date.fromisoformat(record["on"]),
                payload=dict(record["payload"]),
                rule=str(record["rule"]),
                reason_id=str(record["reason_id"]),
                reason_params=dict(record["reason_params"]),
                state_hash=str(record["state_hash"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise InvalidCommand(f"malformed event record: {e}") from None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A piece of evidence: its kind (``termination_letter``) and the SHA-256 of the file."""

    kind: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Command:
    """Base of all commands: each has an effective date ``on``."""

    TYPE: ClassVar[str] = ""
    on: date

    def payload(self) -> JsonDict:
        """The command's fields as a JSON-safe payload (without ``on``)."""
        return {}


@dataclass(frozen=True, slots=True)
class Create(Command):
    """Open the agreement from its terms (pending signature); binds the terms hash."""

    TYPE: ClassVar[str] = "agreement.created"
    terms_hash: str = ""

    def payload(self) -> JsonDict:
        return {"terms_hash": self.terms_hash}


@dataclass(frozen=True, slots=True)
class Sign(Command):
    """A party's Ed25519 signature (base64) over the agreement message."""

    TYPE: ClassVar[str] = "agreement.signed"
    role: str = ""
    signature: str = ""

    def payload(self) -> JsonDict:
        return {"role": self.role, "signature": self.signature}


@dataclass(frozen=True, slots=True)
class Pay(Command):
    """Money received (``purpose`` ``installment`` or ``payoff`` for an early payoff)."""

    TYPE: ClassVar[str] = "agreement.payment_received"
    payment_id: str = ""
    amount_minor: int = 0
    purpose: str = "installment"

    def payload(self) -> JsonDict:
        return {
            "payment_id": self.payment_id,
            "amount_minor": self.amount_minor,
            "purpose": self.purpose,
        }


@dataclass(frozen=True, slots=True)
class DeclareHardship(Command):
    """The debtor declares hardship for ``reason`` with evidence."""

    TYPE: ClassVar[str] = "agreement.hardship_declared"
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()

    def payload(self) -> JsonDict:
        return {
            "reason": self.reason,
            "evidence": [{"kind": e.kind, "sha256": e.sha256} for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class VerifyHardship(Command):
    """A verifier accepts or declines the pending hardship declaration."""

    TYPE: ClassVar[str] = "agreement.hardship_verified"
    accepted: bool = False
    verifier: str = ""

    def payload(self) -> JsonDict:
        return {"accepted": self.accepted, "verifier": self.verifier}


@dataclass(frozen=True, slots=True)
class VerifyIncomeChange(Command):
    """A verified change of the debtor's monthly income (minor units)."""

    TYPE: ClassVar[str] = "agreement.income_change_verified"
    previous_minor: int = 0
    current_minor: int = 0
    evidence_sha256: str = ""

    def payload(self) -> JsonDict:
        return {
            "previous_minor": self.previous_minor,
            "current_minor": self.current_minor,
            "evidence_sha256": self.evidence_sha256,
        }


@dataclass(frozen=True, slots=True)
class Cancel(Command):
    """Withdraw an agreement that is not yet signed by both parties."""

    TYPE: ClassVar[str] = "agreement.cancelled"
    by: str = ""

    def payload(self) -> JsonDict:
        return {"by": self.by}


@dataclass(frozen=True, slots=True)
class Tick(Command):
    """The daily tick: age installments, send reminders, detect breach as of ``on``."""

    TYPE: ClassVar[str] = "agreement.ticked"


COMMANDS: dict[str, type[Command]] = {
    c.TYPE: c
    for c in (Create, Sign, Pay, DeclareHardship, VerifyHardship, VerifyIncomeChange, Cancel, Tick)
}


def command_of(event: Event) -> Command:
    """The command recorded by an input event; :class:`InvalidCommand` for derived events."""
    kind = COMMANDS.get(event.type)
    if kind is None:
        raise InvalidCommand(f"event {event.seq} ({event.type}) is not an input event")
    p = dict(event.payload)
    try:
        if kind is DeclareHardship:
            ev = tuple(Evidence(str(e["kind"]), str(e["sha256"])) for e in p.pop("evidence"))
            return DeclareHardship(on=event.on, reason=str(p.pop("reason")), evidence=ev)
        cmd = kind(event.on, **p)
    except (KeyError, TypeError) as e:
        raise InvalidCommand(f"event {event.seq}: bad payload for {event.type}: {e}") from None
    if cmd.payload() != event.payload:
        raise InvalidCommand(f"event {event.seq}: payload of {event.type} is not canonical")
    return cmd


__all__ = [
    "COMMANDS",
    "Cancel",
    "Command",
    "Create",
    "DeclareHardship",
    "Event",
    "Evidence",
    "JsonDict",
    "Pay",
    "Sign",
    "Tick",
    "VerifyHardship",
    "VerifyIncomeChange",
    "command_of",
]
