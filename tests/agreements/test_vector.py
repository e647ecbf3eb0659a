"""The vectorised tick agrees with the scalar executor on random agreement histories."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest

from accord.agreements import tick
from accord.agreements.vector import CODES, day, tick_arrays, to_arrays
from tests.agreements.helpers import random_history

KINDS = {
    "agreement.resumed": "resumed",
    "agreement.installment_missed": "missed",
    "agreement.grace_started": "reclassified",
    "agreement.arrears_started": "reclassified",
    "agreement.cured": "reclassified",
    "agreement.partially_cured": "reclassified",
    "agreement.breached": "breached",
    "agreement.reminder_due": "reminders",
}


@pytest.mark.parametrize("batch", range(3))
def test_vector_tick_matches_scalar_tick(batch: int) -> None:
    items, ahead = [], []
    for seed in range(batch * 40, batch * 40 + 40):
        contract, state, _log, today = random_history(seed)
        items.append((contract, state))
        ahead.append(today + timedelta(days=seed % 40))
    # one as_of per batch keeps the vector call honest: rows share the tick date
    as_of = max(ahead)
    arrays, counts = tick_arrays(to_arrays(items), day(as_of))
    expected = []
    for contract, state in items:
        step = tick(contract, state, as_of)
        expected.append((contract, step.state))
        kinds = Counter(KINDS[e.type] for e in step.events if e.type in KINDS)
        row = len(expected) - 1
        for kind in ("resumed", "missed", "reclassified", "breached", "reminders"):
            assert getattr(counts, kind)[row] == kinds[kind], (row, kind)
        assert (counts.total()[row] > 0) == bool(step.events)
    want = to_arrays(expected)
    for name in ("status", "missed", "reminded", "missed_count", "pause_until", "due"):
        np.testing.assert_array_equal(getattr(arrays, name), getattr(want, name), err_msg=name)


def test_vector_tick_is_idempotent() -> None:
    items = [random_history(seed)[:2] for seed in range(200, 230)]
    a = to_arrays(items)
    as_of = day(date(2026, 6, 1))
    once, _ = tick_arrays(a, as_of)
    twice, counts = tick_arrays(once, as_of)
    assert int(counts.total().sum()) == 0
    for name in ("status", "missed", "reminded", "missed_count"):
        np.testing.assert_array_equal(getattr(once, name), getattr(twice, name))
    assert set(np.unique(once.status)) <= set(CODES.values())
