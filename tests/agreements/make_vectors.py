"""Regenerate ``data/replay_vectors.json`` (run: ``python -m tests.agreements.make_vectors``).

The vector is the log of ``random_history(seed=3, days=200)`` with its final state hash, plus
three corrupted copies (a payment amount raised, a reminder removed, a state hash edited).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from accord.agreements import state_hash
from tests.agreements.helpers import random_history


def main() -> None:
    contract, state, log, _ = random_history(seed=3, days=200)
    events = [e.to_record() for e in log]
    pay = next(i for i, e in enumerate(events) if e["type"] == "agreement.payment_received")
    raised = copy.deepcopy(events)
    raised[pay]["payload"]["amount_minor"] += 1
    remind = next(i for i, e in enumerate(events) if e["type"] == "agreement.reminder_due")
    dropped = events[:remind] + events[remind + 1 :]
    edited = copy.deepcopy(events)
    edited[-1]["state_hash"] = "0" * 64
    data = {
        "provenance": "tests/agreements/make_vectors.py (random_history seed=3, days=200)",
        "terms": contract.terms.model_dump(mode="json", by_alias=True),
        "events": events,
        "state_hash": state_hash(state),
        "corrupted": [
            {"what": "payment amount raised by one minor unit", "events": raised},
            {"what": "a reminder event removed", "events": dropped},
            {"what": "last state hash edited", "events": edited},
        ],
    }
    path = Path(__file__).parent / "data" / "replay_vectors.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
