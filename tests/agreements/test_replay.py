"""Replay: the state is a pure function of the log; any edit of any event is detected."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.agreements import AgreementError, replay, state_hash, tick, verify_log
from accord.agreements.state import state_document
from tests.agreements.helpers import random_history

VECTORS = Path(__file__).parent / "data" / "replay_vectors.json"


def _story(seed: int = 21) -> tuple[Any, Any, list[dict[str, Any]]]:
    # seed 21: reminders, missed, arrears, cure, hardship (rejected and verified), breach;
    # seed 11: pause and resume, declined hardship, income step, early completion paths
    contract, state, log, _ = random_history(seed=seed, days=300)
    return contract, state, [e.to_record() for e in log]


def _mutations(record: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in ("seq", "type", "on", "rule", "reason_id", "state_hash"):
        r = copy.deepcopy(record)
        r[key] = (
            (r[key] + 1)
            if isinstance(r[key], int)
            else ("2030-01-01" if key == "on" else r[key] + "x")
        )
        out.append(r)
    r = copy.deepcopy(record)
    r["payload"]["tampered"] = True
    out.append(r)
    if record["reason_params"]:
        r = copy.deepcopy(record)
        k = sorted(r["reason_params"])[0]
        r["reason_params"][k] = "edited"
        out.append(r)
    return out


@pytest.mark.parametrize("seed", [11, 21])
def test_replay_reproduces_the_state_hash(seed: int) -> None:
    contract, state, records = _story(seed)
    again = verify_log(contract.terms, records, state_hash(state))
    assert state_document(again) == state_document(state)
    assert len(records) >= 48


@pytest.mark.parametrize("seed", [11, 21])
def test_every_edit_of_every_event_fails_replay(seed: int) -> None:
    contract, _, records = _story(seed)
    for i, record in enumerate(records):
        for bad in _mutations(record):
            log = [*records[:i], bad, *records[i + 1 :]]
            with pytest.raises(AgreementError):
                replay(contract.terms, log)


def test_dropping_reordering_or_truncating_events_fails_or_changes_the_hash() -> None:
    contract, state, records = _story()
    for i in range(1, len(records)):
        with pytest.raises(AgreementError):
            replay(contract.terms, records[:i] + records[i + 1 :])
    swapped = [*records[:5], records[6], records[5], *records[7:]]
    with pytest.raises(AgreementError):
        replay(contract.terms, swapped)
    with pytest.raises(AgreementError):
        verify_log(contract.terms, records[:-1], state_hash(state))


def test_other_terms_do_not_replay_this_log() -> None:
    contract, _, records = _story()
    other = contract.terms.model_copy(update={"grace_days": contract.terms.grace_days + 1})
    with pytest.raises(AgreementError):
        replay(other, records)


def test_committed_vectors_replay_and_their_corruptions_fail() -> None:
    """Known answers: a log and state hash committed as JSON, and corrupted copies."""
    data = json.loads(VECTORS.read_text("utf-8"))
    from accord.agreements.terms import parse_terms

    terms = parse_terms(data["terms"])
    assert state_hash(replay(terms, data["events"])) == data["state_hash"]
    for case in data["corrupted"]:
        with pytest.raises(AgreementError):
            replay(terms, case["events"])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), days=st.integers(0, 400), later=st.integers(0, 60))
def test_ticks_are_idempotent(seed: int, days: int, later: int) -> None:
    contract, state, _, today = random_history(seed, days)
    as_of = today + timedelta(days=later)
    once = tick(contract, state, as_of)
    twice = tick(contract, once.state, as_of)
    assert twice.events == ()
    assert twice.state == once.state
    # and a tick for an earlier day after a later one changes nothing either
    assert tick(contract, once.state, today).events == ()
