"""Known answers for RFC 9162 hashing, the compact range and node plans; naive cross-checks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.ledger.errors import PreconditionError
from accord.ledger.merkle import EMPTY_ROOT, CompactRange, fold_range, leaf_hash, tree_hash
from accord.ledger.nodes import (
    NodeId,
    ProofPlan,
    consistency_plan,
    inclusion_plan,
    range_nodes,
    root_plan,
)
from accord.ledger.tree import MemoryTreeStore

from .conftest import load_vectors
from .naive import mth

REF = load_vectors("rfc6962_reference.json")


def test_empty_tree_is_sha256_of_nothing() -> None:
    assert tree_hash([]) == EMPTY_ROOT
    assert EMPTY_ROOT.hex() == REF["roots"][0]


@pytest.mark.parametrize("size", range(9))
def test_roots_match_published_reference(size: int, ref_leaves: list[bytes]) -> None:
    assert tree_hash(ref_leaves[:size]).hex() == REF["roots"][size]


def test_every_stored_node_matches_published_node_hashes(ref_leaves: list[bytes]) -> None:
    store = MemoryTreeStore.from_leaves(ref_leaves)
    for level, row in enumerate(REF["node_hashes"]):
        ids = [(level, i) for i in range(len(row))]
        assert [h.hex() for h in store.get_nodes(ids)] == row


def test_compact_range_reports_each_completed_subtree_once(ref_leaves: list[bytes]) -> None:
    rng = CompactRange()
    seen: dict[tuple[int, int], str] = {}
    for data in ref_leaves:
        for level, index, h in rng.append(leaf_hash(data)):
            assert (level, index) not in seen
            seen[(level, index)] = h.hex()
    expected = {(lv, i): h for lv, row in enumerate(REF["node_hashes"]) for i, h in enumerate(row)}
    assert seen == expected


def _go_plan(entry: dict[str, Any]) -> ProofPlan:
    """Convert the Go test's (ids, rehash[begin,end)) form into our plan of folded elements."""
    ids: list[NodeId] = [(lv, ix) for lv, ix in entry["ids"]]
    begin, end = entry.get("rehash", (len(ids), len(ids)))
    # Go lists a rehashed range smallest subtree first; our element lists it largest first.
    folded = tuple(reversed(ids[begin:end]))
    return (
        tuple((n,) for n in ids[:begin])
        + ((folded,) if folded else ())
        + tuple((n,) for n in ids[end:])
    )


@pytest.mark.parametrize("entry", REF["inclusion_plans"], ids=lambda e: f"{e['index']}@{e['size']}")
def test_inclusion_plan_matches_transparency_dev(entry: dict[str, Any]) -> None:
    assert inclusion_plan(entry["index"], entry["size"]) == _go_plan(entry)


@pytest.mark.parametrize(
    "entry", REF["consistency_plans"], ids=lambda e: f"{e['size1']}-{e['size2']}"
)
def test_consistency_plan_matches_transparency_dev(entry: dict[str, Any]) -> None:
    assert consistency_plan(entry["size1"], entry["size2"]) == _go_plan(entry)


@pytest.mark.parametrize("bad", REF["inclusion_plan_errors"])
def test_inclusion_plan_rejects_impossible_positions(bad: dict[str, int]) -> None:
    with pytest.raises(PreconditionError):
        inclusion_plan(bad["index"], bad["size"])


@pytest.mark.parametrize("bad", REF["consistency_plan_errors"])
def test_consistency_plan_rejects_shrinking_trees(bad: dict[str, int]) -> None:
    with pytest.raises(PreconditionError):
        consistency_plan(bad["size1"], bad["size2"])


def test_range_nodes_rejects_unaligned_ranges() -> None:
    with pytest.raises(PreconditionError):
        range_nodes(1, 3)
    with pytest.raises(PreconditionError):
        range_nodes(4, 4)
    assert range_nodes(8, 15) == ((2, 2), (1, 6), (0, 14))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=12), max_size=70))
def test_tree_hash_agrees_with_naive_recursion(leaves: list[bytes]) -> None:
    assert tree_hash(leaves) == mth(leaves)


def test_root_plan_is_logarithmic_at_a_million() -> None:
    n = 1_000_000
    assert len(root_plan(n)) == n.bit_count()
    for index in (0, 1, n // 2, n - 2, n - 1):
        plan = inclusion_plan(index, n)
        assert len(plan) <= 20
    assert len(consistency_plan(n // 3, n)) <= 2 * 20


def test_fold_range_of_single_hash_is_that_hash() -> None:
    h = leaf_hash(b"x")
    assert fold_range([h]) == h
    assert fold_range([]) == EMPTY_ROOT
