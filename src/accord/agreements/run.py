"""Internal working copy used while one command is applied (not part of the public API).

:class:`Run` holds the compiled contract, the state being built and the events emitted so far;
:meth:`Run.emit` stamps each event with the hash of the state right after it, and
:meth:`Run.move` refuses moves that :data:`~accord.agreements.state.TRANSITIONS` does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from accord.agreements.errors import InvalidTransition
from accord.agreements.events import Event, JsonDict
from accord.agreements.state import (
    TRANSITIONS,
    AgreementState,
    InstallmentState,
    Status,
    state_hash,
)
from accord.agreements.terms import AgreementTerms, HardshipRule, terms_hash


@dataclass(frozen=True, slots=True)
class Contract:
    """Terms compiled for execution: the terms, their hash and derived lookups."""

    terms: AgreementTerms
    terms_hash: str
    offsets: tuple[int, ...]
    hardship: dict[str, HardshipRule]


def compile_terms(terms: AgreementTerms) -> Contract:
    """Compile validated terms into a :class:`Contract` the executor runs."""
    return Contract(
        terms=terms,
        terms_hash=terms_hash(terms),
        offsets=tuple(terms.reminders.offsets_days),
        hardship={r.reason: r for r in terms.hardship.rules},
    )


class Run:
    """Mutable working copy of one agreement while a command is applied."""

    __slots__ = ("c", "events", "inst", "on", "s")

    def __init__(self, contract: Contract, state: AgreementState, on: date) -> None:
        self.c = contract
        self.s = state
        self.inst: list[InstallmentState] = list(state.installments)
        self.on = on
        self.events: list[Event] = []

    @property
    def status(self) -> Status:
        """Current status of the working copy."""
        return self.s.status

    def set(self, **changes: Any) -> None:
        """Change scalar fields of the working state."""
        self.s = replace(self.s, **changes)

    def snapshot(self) -> AgreementState:
        """The working state frozen, installments included."""
        return replace(self.s, installments=tuple(self.inst))

    def emit(
        self, kind: str, payload: JsonDict, rule: str, reason_id: str, params: JsonDict
    ) -> None:
        """Append an event stamped with the hash of the state after it."""
        last = self.s.last_on
        self.set(
            event_count=self.s.event_count + 1, last_on=max(last, self.on) if last else self.on
        )
        snap = self.snapshot()
        if any(k.endswith("_minor") for k in params):
            params = {**params, "currency": self.s.currency}
        seq = snap.event_count - 1
        event = Event(seq, kind, self.on, payload, rule, reason_id, params, state_hash(snap))
        self.events.append(event)

    def move(
        self, to: Status, kind: str, payload: JsonDict, rule: str, reason_id: str, params: JsonDict
    ) -> None:
        """Change status to ``to`` (if allowed) and emit the transition event."""
        if to not in TRANSITIONS[self.s.status]:
            raise InvalidTransition(f"{self.s.status} → {to} is not allowed ({kind})")
        before = self.s.status
        self.set(status=to)
        self.emit(kind, {"from": before.value, "to": to.value, **payload}, rule, reason_id, params)
