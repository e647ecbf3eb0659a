"""The persisted tree: appends and proofs touch O(log n) nodes; never a rebuild."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from accord.ledger.errors import PreconditionError
from accord.ledger.merkle import leaf_hash, tree_hash
from accord.ledger.nodes import NodeId
from accord.ledger.tree import (
    MemoryTreeStore,
    append_leaves,
    consistency_proof,
    inclusion_proof,
    root_at,
)


class CountingStore(MemoryTreeStore):
    """Memory store that counts node reads and writes, to check the O(log n) claims."""

    __slots__ = ("reads", "writes")

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.writes = 0

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        self.reads += len(ids)
        return super().get_nodes(ids)

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]], new_size: int) -> None:
        self.writes += len(nodes)
        super().put_nodes(nodes, new_size)


def test_one_leaf_at_a_time_touches_logarithmically_many_nodes() -> None:
    store = CountingStore()
    leaves = [i.to_bytes(4, "big") for i in range(1500)]
    for i, data in enumerate(leaves):
        store.reads = store.writes = 0
        result = append_leaves(store, [leaf_hash(data)])
        assert store.reads == i.bit_count()  # the right edge of the old tree
        assert store.writes == 1 + (i ^ (i + 1)).bit_length() - 1  # leaf + completed parents
        assert result.size == i + 1
    assert result.root == tree_hash(leaves)


def test_batch_append_equals_one_by_one() -> None:
    leaves = [bytes([i]) for i in range(100)]
    a = MemoryTreeStore()
    for chunk in (leaves[:1], leaves[1:37], leaves[37:38], leaves[38:]):
        append_leaves(a, [leaf_hash(d) for d in chunk])
    b = MemoryTreeStore.from_leaves(leaves)
    for n in range(101):
        assert root_at(a, n) == root_at(b, n) == tree_hash(leaves[:n])


def test_proofs_read_few_nodes() -> None:
    store = CountingStore()
    n = 1 << 17
    # Synthetic leaf hashes: cheap to make, and the claim is about node reads.
    append_leaves(store, [i.to_bytes(32, "big") for i in range(n)])
    for index in (0, 12345, n - 1):
        store.reads = 0
        proof = inclusion_proof(store, index, n)
        assert len(proof) <= 20
        assert store.reads <= 2 * 20
    store.reads = 0
    assert len(consistency_proof(store, 99_999, n)) <= 20
    assert store.reads <= 2 * 20


def test_store_refuses_sizes_beyond_what_it_holds() -> None:
    store = MemoryTreeStore.from_leaves([b"a", b"b"])
    with pytest.raises(PreconditionError):
        root_at(store, 3)
    with pytest.raises(PreconditionError):
        inclusion_proof(store, 0, 3)
    with pytest.raises(KeyError):
        store.get_nodes([(1, 1)])


def test_bulk_append_restores_the_garbage_collector() -> None:
    import gc

    assert gc.isenabled()
    append_leaves(MemoryTreeStore(), [bytes(32)] * 10_001)
    assert gc.isenabled()
