"""Verifying RFC 9162 inclusion and consistency proofs (§2.1.3.2 and §2.1.4.2).

The functions return ``None`` on success and raise on failure: :class:`RootMismatch` when the
recomputed root differs (both roots in hex), :class:`ProofError` when the proof has the wrong
shape for the sizes, :class:`ProofInputError` (also a ``ValueError``) for broken preconditions.
Every failure is a :class:`VerificationError`, so a caller can catch that one class.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.ledger.errors import PreconditionError, ProofError, RootMismatch
from accord.ledger.merkle import EMPTY_ROOT, HASH_SIZE, node_hash


class ProofInputError(ProofError, PreconditionError):
    """A verifier was called with impossible sizes, indexes or hash lengths."""


def _check_hashes(proof: Sequence[bytes], *named: tuple[str, bytes]) -> None:
    for name, h in named:
        if len(h) != HASH_SIZE:
            raise ProofInputError(f"{name} must be {HASH_SIZE} bytes, got {len(h)}")
    for i, h in enumerate(proof):
        if len(h) != HASH_SIZE:
            raise ProofInputError(f"proof[{i}] must be {HASH_SIZE} bytes, got {len(h)}")


def root_from_inclusion_proof(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """Recompute the root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1-5).

    Preconditions (checked first): ``0 <= index < size``; the leaf hash and every proof element
    are 32 bytes. Raises :class:`ProofError` if the proof is too short or too long for the sizes.
    """
    if not 0 <= index < size:
        raise ProofInputError(f"leaf index {index} outside tree of size {size}")
    _check_hashes(proof, ("leaf hash", leaf_hash))
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof too long for index {index} in size {size}")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                # fn is the last node of its level with no right sibling: climb until it is a
                # right child (or the root), as the RFC prescribes.
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof too short for index {index} in size {size}")
    return r


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    Preconditions as :func:`root_from_inclusion_proof`, plus ``root`` is 32 bytes. Raises
    :class:`RootMismatch` naming the expected and computed roots when the proof does not lead there.
    """
    _check_hashes((), ("root", root))
    computed = root_from_inclusion_proof(leaf_hash, index, size, proof)
    if computed != root:
        raise RootMismatch(root, computed)


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree ``(size1, root1)`` is a prefix of the tree ``(size2, root2)``.

    Preconditions (checked first): ``0 <= size1 <= size2``; roots and proof elements are 32 bytes.
    Edge cases, stricter than RFC 9162 which leaves them to the caller: if ``size1 == size2`` the
    proof must be empty and the roots equal; if ``size1 == 0`` the proof must be empty and
    ``root1`` must be the empty-tree hash. Otherwise runs RFC 9162 §2.1.4.2.
    """
    if not 0 <= size1 <= size2:
        raise ProofInputError(f"need 0 <= size1 <= size2, got {size1}, {size2}")
    _check_hashes(proof, ("root1", root1), ("root2", root2))
    if size1 == size2 or size1 == 0:
        if proof:
            raise ProofError(f"consistency proof for sizes {size1}, {size2} must be empty")
        expected = root2 if size1 == size2 else EMPTY_ROOT
        if root1 != expected:
            raise RootMismatch(expected, root1, "old root")
        return
    if not proof:
        raise ProofError(f"empty consistency proof for sizes {size1} < {size2}")
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        # The old tree is a perfect subtree of the new one: its root is the proof's seed.
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof too long for sizes {size1}, {size2}")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof too short for sizes {size1}, {size2}")
    if fr != root1:
        raise RootMismatch(root1, fr, "old root")
    if sr != root2:
        raise RootMismatch(root2, sr, "new root")
