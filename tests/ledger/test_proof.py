"""RFC 9162 proof generation and verification: known answers, corrupted vectors, properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.ledger.errors import ProofError, RootMismatch, VerificationError
from accord.ledger.merkle import EMPTY_ROOT, leaf_hash, tree_hash
from accord.ledger.proof import root_from_inclusion_proof, verify_consistency, verify_inclusion
from accord.ledger.tree import MemoryTreeStore, consistency_proof, inclusion_proof, root_at

from .conftest import load_vectors
from .naive import path, proof

REF = load_vectors("rfc6962_reference.json")
CORRUPT = load_vectors("corrupted_proofs.json")
LEAVES = [bytes.fromhex(x) for x in REF["leaves"]]
ROOTS = [bytes.fromhex(x) for x in REF["roots"]]


def _hx(items: list[str]) -> list[bytes]:
    return [bytes.fromhex(x) for x in items]


@pytest.mark.parametrize("v", REF["inclusion"], ids=lambda v: f"{v['index']}@{v['size']}")
def test_published_inclusion_proofs(v: dict[str, Any]) -> None:
    store = MemoryTreeStore.from_leaves(LEAVES)
    expected = _hx(v["proof"])
    assert inclusion_proof(store, v["index"], v["size"]) == expected
    verify_inclusion(
        leaf_hash(LEAVES[v["index"]]), v["index"], v["size"], expected, ROOTS[v["size"]]
    )


@pytest.mark.parametrize("v", REF["consistency"], ids=lambda v: f"{v['size1']}-{v['size2']}")
def test_published_consistency_proofs(v: dict[str, Any]) -> None:
    store = MemoryTreeStore.from_leaves(LEAVES)
    expected = _hx(v["proof"])
    assert consistency_proof(store, v["size1"], v["size2"]) == expected
    verify_consistency(v["size1"], v["size2"], expected, ROOTS[v["size1"]], ROOTS[v["size2"]])


@pytest.mark.parametrize(
    "p", CORRUPT["inclusion"], ids=lambda p: f"{p['index']}@{p['size']}:{p['desc']}"
)
def test_corrupted_inclusion_vectors_fail(p: dict[str, Any]) -> None:
    with pytest.raises(VerificationError):
        verify_inclusion(
            bytes.fromhex(p["leaf_hash"]),
            p["index"],
            p["size"],
            _hx(p["proof"]),
            bytes.fromhex(p["root"]),
        )


@pytest.mark.parametrize(
    "p", CORRUPT["consistency"], ids=lambda p: f"{p['size1']}-{p['size2']}:{p['desc']}"
)
def test_corrupted_consistency_vectors_fail(p: dict[str, Any]) -> None:
    with pytest.raises(VerificationError):
        verify_consistency(
            p["size1"],
            p["size2"],
            _hx(p["proof"]),
            bytes.fromhex(p["root1"]),
            bytes.fromhex(p["root2"]),
        )


def _bit_flips(hashes: list[bytes]) -> list[list[bytes]]:
    out = []
    for k, h in enumerate(hashes):
        for bit in range(len(h) * 8):
            b = bytearray(h)
            b[bit // 8] ^= 1 << (bit % 8)
            out.append([*hashes[:k], bytes(b), *hashes[k + 1 :]])
    return out


def test_every_single_bit_flip_of_every_inclusion_proof_fails() -> None:
    for v in REF["inclusion"]:
        lh = leaf_hash(LEAVES[v["index"]])
        for bad in _bit_flips(_hx(v["proof"])):
            with pytest.raises(RootMismatch):
                verify_inclusion(lh, v["index"], v["size"], bad, ROOTS[v["size"]])


def test_every_single_bit_flip_of_every_consistency_proof_fails() -> None:
    for v in REF["consistency"]:
        for bad in _bit_flips(_hx(v["proof"])):
            with pytest.raises(RootMismatch):
                verify_consistency(
                    v["size1"], v["size2"], bad, ROOTS[v["size1"]], ROOTS[v["size2"]]
                )


def test_root_mismatch_names_both_roots_in_hex() -> None:
    lh = leaf_hash(LEAVES[0])
    with pytest.raises(RootMismatch) as info:
        verify_inclusion(lh, 0, 1, [], EMPTY_ROOT)
    assert info.value.expected == EMPTY_ROOT
    assert info.value.computed == lh
    assert EMPTY_ROOT.hex() in str(info.value)
    assert lh.hex() in str(info.value)


def test_consistency_edge_cases_are_strict() -> None:
    r = ROOTS[3]
    verify_consistency(3, 3, [], r, r)
    verify_consistency(0, 3, [], EMPTY_ROOT, r)
    with pytest.raises(RootMismatch):
        verify_consistency(3, 3, [], r, ROOTS[4])
    with pytest.raises(RootMismatch):
        verify_consistency(0, 3, [], r, r)
    with pytest.raises(ProofError):
        verify_consistency(3, 3, [EMPTY_ROOT], r, r)
    with pytest.raises(ProofError):
        verify_consistency(4, 3, [], r, r)


def test_inclusion_proof_of_wrong_length_is_a_proof_error() -> None:
    lh = leaf_hash(LEAVES[1])
    good = _hx(REF["inclusion"][1]["proof"])
    with pytest.raises(ProofError):
        root_from_inclusion_proof(lh, 0, 8, good[:-1])
    with pytest.raises(ProofError):
        root_from_inclusion_proof(lh, 0, 8, [*good, good[0]])


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_leaf_proves_and_matches_naive(size: int, data: st.DataObject) -> None:
    leaves = [i.to_bytes(4, "big") for i in range(size)]
    store = MemoryTreeStore.from_leaves(leaves)
    root = root_at(store, size)
    assert root == tree_hash(leaves)
    for index in range(size):
        p = inclusion_proof(store, index, size)
        verify_inclusion(leaf_hash(leaves[index]), index, size, p, root)
    sample = data.draw(st.integers(min_value=0, max_value=size - 1))
    assert inclusion_proof(store, sample, size) == path(sample, leaves)


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=1, max_value=64))
def test_every_pair_of_sizes_is_consistent_and_matches_naive(size2: int) -> None:
    leaves = [i.to_bytes(2, "big") for i in range(size2)]
    store = MemoryTreeStore.from_leaves(leaves)
    roots = [root_at(store, n) for n in range(size2 + 1)]
    for n in range(size2 + 1):
        for m in range(n + 1):
            p = consistency_proof(store, m, n)
            verify_consistency(m, n, p, roots[m], roots[n])
            if n == size2:
                assert p == proof(m, leaves[:n])


def test_all_pairs_up_to_a_few_hundred_are_consistent() -> None:
    size = 300
    store = MemoryTreeStore.from_leaves([i.to_bytes(2, "big") for i in range(size)])
    roots = [root_at(store, n) for n in range(size + 1)]
    for n in range(1, size + 1, 7):
        for m in range(n + 1):
            verify_consistency(m, n, consistency_proof(store, m, n), roots[m], roots[n])


def test_proof_from_a_different_tree_fails() -> None:
    a = MemoryTreeStore.from_leaves(LEAVES)
    b = MemoryTreeStore.from_leaves([*LEAVES[:5], b"forged", *LEAVES[6:]])
    with pytest.raises(RootMismatch):
        verify_consistency(4, 8, consistency_proof(b, 4, 8), root_at(a, 4), root_at(a, 8))
    with pytest.raises(RootMismatch):
        verify_inclusion(leaf_hash(b"forged"), 5, 8, inclusion_proof(b, 5, 8), root_at(a, 8))
