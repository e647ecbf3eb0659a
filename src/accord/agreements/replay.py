"""Replay: recompute an agreement's state from its terms and recorded events alone.

Replay re-applies every input event (the command it records) with the executor and checks that
the events it produces are exactly the recorded ones, field by field, state hashes included.
Any edit of the log therefore fails: a changed input changes what follows
(:class:`~accord.agreements.errors.ReplayMismatch`), a changed derived event no longer matches,
a forged signature fails to verify, and an impossible order is an
:class:`~accord.agreements.errors.InvalidTransition`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from accord.agreements.errors import InvalidCommand, InvalidTransition, ReplayMismatch
from accord.agreements.events import Create, Event, command_of
from accord.agreements.executor import apply, start
from accord.agreements.run import compile_terms
from accord.agreements.state import AgreementState, state_hash
from accord.agreements.terms import AgreementTerms


def replay(terms: AgreementTerms, events: Sequence[Event | Mapping[str, Any]]) -> AgreementState:
    """The state after ``events`` (Event objects or their records); raises on any mismatch."""
    log = [e if isinstance(e, Event) else Event.from_record(e) for e in events]
    if not log:
        raise InvalidCommand("an agreement log starts with agreement.created; this one is empty")
    contract = compile_terms(terms)
    first = command_of(log[0])
    if not isinstance(first, Create):
        raise InvalidTransition(f"the first event is {log[0].type}, not agreement.created")
    if first.terms_hash != contract.terms_hash:
        raise ReplayMismatch(0, contract.terms_hash, first.terms_hash)
    step = start(contract, first.on)
    _compare(log, 0, step.events)
    state, i = step.state, len(step.events)
    while i < len(log):
        command = command_of(log[i])
        if isinstance(command, Create):
            raise InvalidTransition(f"event {i}: a second agreement.created")
        step = apply(contract, state, command)
        if not step.events:
            raise ReplayMismatch(i, "no effect", log[i].to_record())
        _compare(log, i, step.events)
        state, i = step.state, i + len(step.events)
    return state


def verify_log(
    terms: AgreementTerms, events: Sequence[Event | Mapping[str, Any]], expected_hash: str
) -> AgreementState:
    """Replay and check the final state hash against ``expected_hash`` (e.g. a projection's)."""
    state = replay(terms, events)
    got = state_hash(state)
    if got != expected_hash:
        raise ReplayMismatch(len(events), expected_hash, got)
    return state


def _compare(log: list[Event], at: int, produced: Sequence[Event]) -> None:
    for j, event in enumerate(produced):
        k = at + j
        want = event.to_record()
        if k >= len(log):
            raise ReplayMismatch(k, want, None)
        if log[k].to_record() != want:
            raise ReplayMismatch(k, want, log[k].to_record())
