"""The composed append path: gap-free appends and checkpoints that refuse to fork."""

from __future__ import annotations

import pytest

from accord.ledger.checkpoint import Checkpoint, verify_checkpoint
from accord.ledger.errors import InconsistentTrees, PreconditionError
from accord.ledger.log import append_entries, checkpoint_store
from accord.ledger.merkle import EMPTY_ROOT, tree_hash
from accord.ledger.tree import MemoryTreeStore

from .scenario import ORIGIN, build_ledger

LEDGER = build_ledger(12)


def test_append_then_checkpoint_in_steps() -> None:
    store = MemoryTreeStore()
    cp = Checkpoint(ORIGIN, 0, EMPTY_ROOT)
    for lo, hi in ((0, 5), (5, 6), (6, 12)):
        result = append_entries(store, LEDGER.entries[lo:hi])
        assert result.root == tree_hash([e.leaf_data() for e in LEDGER.entries[:hi]])
        cp, note = checkpoint_store(store, cp, LEDGER.log)
        assert verify_checkpoint(note, LEDGER.log.public, ORIGIN) == cp
        assert cp.size == hi


def test_append_refuses_gaps_and_reordering() -> None:
    store = MemoryTreeStore()
    with pytest.raises(PreconditionError):
        append_entries(store, LEDGER.entries[1:3])
    append_entries(store, LEDGER.entries[:2])
    with pytest.raises(PreconditionError):
        append_entries(store, [LEDGER.entries[3], LEDGER.entries[2]])
    assert store.size() == 2


def test_checkpoint_refuses_a_rewritten_history() -> None:
    honest = MemoryTreeStore()
    append_entries(honest, LEDGER.entries[:6])
    cp, _ = checkpoint_store(honest, Checkpoint(ORIGIN, 0, EMPTY_ROOT), LEDGER.log)
    rewritten = MemoryTreeStore.from_leaves([b"rewritten"] * 6)
    append_entries(rewritten, LEDGER.entries[6:8])
    with pytest.raises(InconsistentTrees):
        checkpoint_store(rewritten, cp, LEDGER.log)
