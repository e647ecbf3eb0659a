"""A Merkle tree persisted as perfect-subtree hashes, with O(log n) appends, roots and proofs.

:class:`TreeStore` is what a database layer implements: a batch read of node hashes by
:class:`~accord.ledger.nodes.NodeId`, a batch write of newly completed nodes together with the new
size, and the current size. :class:`MemoryTreeStore` is the in-memory implementation used by tests
and by tools. The functions here never rebuild the tree: an append reads the O(log n) right-edge
nodes and writes the nodes it completes; a root or proof reads only the nodes its plan lists.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from accord.ledger.errors import PreconditionError
from accord.ledger.merkle import CompactRange, fold_range, leaf_hash
from accord.ledger.nodes import NodeId, ProofPlan, consistency_plan, inclusion_plan, root_plan


class TreeStore(Protocol):
    """Storage of perfect-subtree hashes; implemented in memory here, in SQL by accord.store.

    ``min_level``: the lowest level the store keeps; appends hand it only nodes of that level
    and above (a store that folds low levels from leaf hashes skips them).
    """

    min_level: int

    def size(self) -> int:
        """Number of leaves in the stored tree."""
        ...

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        """Hashes of the given complete nodes, in order; raises KeyError for a missing node."""
        ...

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]], new_size: int) -> None:
        """Persist newly completed nodes and the new size (atomically, in a SQL store)."""
        ...


class MemoryTreeStore:
    """In-memory :class:`TreeStore`: one Python list of hashes per level."""

    __slots__ = ("_levels", "_size")
    min_level = 0

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = []
        self._size = 0

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes]) -> MemoryTreeStore:
        """Build a store holding the tree of the given raw leaf data."""
        store = cls()
        append_leaves(store, [leaf_hash(d) for d in leaves])
        return store

    def size(self) -> int:
        """Number of leaves in the stored tree."""
        return self._size

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        """Hashes of the given complete nodes, in order; raises KeyError for a missing node."""
        out = []
        for level, index in ids:
            try:
                if level < 0 or index < 0:
                    raise IndexError
                out.append(self._levels[level][index])
            except IndexError:
                raise KeyError((level, index)) from None
        return out

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]], new_size: int) -> None:
        """Store newly completed nodes (which arrive in index order per level) and the size."""
        for (level, index), h in nodes:
            while len(self._levels) <= level:
                self._levels.append([])
            row = self._levels[level]
            if index != len(row):
                raise PreconditionError(f"node {(level, index)} written out of order")
            row.append(h)
        self._size = new_size


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Outcome of an append: new size, new root and the nodes that were written."""

    size: int
    root: bytes
    nodes: tuple[tuple[NodeId, bytes], ...]


def compact_range(store: TreeStore, size: int | None = None) -> CompactRange:
    """Load the right edge of the tree of ``size`` leaves (default: the store's size)."""
    n = store.size() if size is None else size
    _check_size(store, n)
    ids = root_plan(n)
    return CompactRange.from_hashes(n, store.get_nodes(ids))


def append_leaves(store: TreeStore, leaf_hashes: Sequence[bytes]) -> AppendResult:
    """Append leaf hashes: read the O(log n) right edge once, write every completed node once.

    Nodes of ``store.min_level`` and above are handed to ``put_nodes`` level by level, each
    level in index order.
    """
    rng = compact_range(store)
    old_size = rng.size
    with _gc_paused(len(leaf_hashes) > _BULK):
        rows = rng.extend(leaf_hashes)
        written = tuple(
            ((level, (old_size >> level) + j), h)
            for level, row in enumerate(rows)
            if level >= store.min_level
            for j, h in enumerate(row)
        )
        store.put_nodes(written, rng.size)
    return AppendResult(rng.size, rng.root(), written)


_BULK = 10_000


@contextmanager
def _gc_paused(pause: bool) -> Iterator[None]:
    """Pause the cyclic GC during bulk appends.

    Millions of small acyclic tuples would otherwise trigger repeated full collections that
    cost several times the hashing itself; the previous GC state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause and was_enabled:
            gc.enable()


def _check_size(store: TreeStore, size: int) -> None:
    if not 0 <= size <= store.size():
        raise PreconditionError(f"tree size {size} outside stored size {store.size()}")


def fetch_plan(store: TreeStore, plan: ProofPlan) -> list[bytes]:
    """Fetch every node of a plan in one batch read and fold each element to one proof hash."""
    flat = [node for element in plan for node in element]
    hashes = store.get_nodes(flat)
    out: list[bytes] = []
    pos = 0
    for element in plan:
        out.append(fold_range(hashes[pos : pos + len(element)]))
        pos += len(element)
    return out


def root_at(store: TreeStore, size: int) -> bytes:
    """Root hash of the first ``size`` leaves; precondition ``0 <= size <= store.size()``."""
    _check_size(store, size)
    return fold_range(store.get_nodes(root_plan(size)))


def inclusion_proof(store: TreeStore, index: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

    Preconditions: ``0 <= index < size <= store.size()``.
    """
    _check_size(store, size)
    return fetch_plan(store, inclusion_plan(index, size))


def consistency_proof(store: TreeStore, size1: int, size2: int) -> list[bytes]:
    """RFC 9162 consistency proof from the tree of ``size1`` leaves to that of ``size2``.

    Preconditions: ``0 <= size1 <= size2 <= store.size()``.
    """
    _check_size(store, size2)
    return fetch_plan(store, consistency_plan(size1, size2))
