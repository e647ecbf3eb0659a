"""The append path of a log, composed from the pure pieces, for a store layer to call.

A store implements :class:`~accord.ledger.tree.TreeStore` (and keeps the entry bytes itself);
inside its transaction it calls :func:`append_entries`, then, when it wants a new tree head,
:func:`checkpoint_store`. Both touch O(log n) tree nodes per call (plus the new leaves).
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.ledger.checkpoint import Checkpoint, next_checkpoint
from accord.ledger.entry import Entry, validate_entry
from accord.ledger.errors import PreconditionError
from accord.ledger.keys import SigningKey
from accord.ledger.merkle import leaf_hash
from accord.ledger.tree import AppendResult, TreeStore, append_leaves, consistency_proof, root_at


def append_entries(store: TreeStore, entries: Sequence[Entry]) -> AppendResult:
    """Append signed entries whose ``seq`` continue the log exactly (gap-free, in order).

    Precondition (checked first): ``entries[i].seq == store.size() + i`` and each entry is valid.
    Returns the new size, root and written nodes; the caller stores ``entry.leaf_data()``.
    """
    start = store.size()
    for i, entry in enumerate(entries):
        if entry.seq != start + i:
            raise PreconditionError(f"entry seq {entry.seq} where {start + i} was expected")
        validate_entry(entry)
    return append_leaves(store, [leaf_hash(e.leaf_data()) for e in entries])


def checkpoint_store(
    store: TreeStore, prev: Checkpoint, log_key: SigningKey
) -> tuple[Checkpoint, str]:
    """Sign a checkpoint at the store's current size, proven consistent with ``prev``.

    The consistency proof is computed from the store and checked by :func:`next_checkpoint`
    before signing, so a store whose nodes were altered cannot obtain a forked checkpoint.
    """
    size = store.size()
    root = root_at(store, size)
    note = next_checkpoint(prev, size, root, consistency_proof(store, prev.size, size), log_key)
    return Checkpoint(prev.origin, size, root), note
