"""RFC 9162 §2.1 Merkle tree hashing with SHA-256.

``leaf_hash(d) = SHA-256(0x00 || d)``, ``node_hash(l, r) = SHA-256(0x01 || l || r)`` and the hash of
the empty tree is ``SHA-256("")``. For ``n > 1`` leaves, ``MTH(D[n]) = node_hash(MTH(D[0:k]),
MTH(D[k:n]))`` where ``k`` is the largest power of two smaller than ``n``. Equivalently the root is
the right-to-left fold of the *compact range* of the tree: the perfect subtrees given by the set
bits of ``n``, largest (leftmost) first. That identity is what lets an appender keep O(log n) state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256

from accord.ledger.errors import PreconditionError

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash ``SHA-256(0x00 || data)`` of raw leaf data."""
    return sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash ``SHA-256(0x01 || left || right)``."""
    return sha256(_NODE_PREFIX + left + right).digest()


def fold_range(hashes: Sequence[bytes]) -> bytes:
    """Fold a compact range (perfect subtree hashes, left to right, strictly shrinking) to its root.

    The fold runs right to left: ``h = hashes[-1]``, then ``h = node_hash(hashes[i], h)``. An empty
    sequence yields the empty-tree hash.
    """
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


class CompactRange:
    """The right edge of a growing tree: one perfect-subtree hash per set bit of ``size``.

    ``append(h)`` adds a leaf hash in amortised O(1) and returns the perfect subtrees it completed
    as ``(level, index, hash)`` triples (the leaf itself first), so a store can persist every full
    subtree hash exactly once. ``root()`` costs O(log n). Memory is O(log n) whatever the size.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The perfect subtree hashes of the range, left (largest) to right (smallest)."""
        return tuple(self._hashes)

    @classmethod
    def from_hashes(cls, size: int, hashes: Sequence[bytes]) -> CompactRange:
        """Rebuild a range for ``size`` leaves from its subtree hashes (one per set bit of size)."""
        if size < 0 or len(hashes) != size.bit_count():
            raise PreconditionError(f"size {size} needs {max(size, 0).bit_count()} hashes")
        rng = cls()
        rng._size = size
        rng._hashes = list(hashes)
        return rng

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf hash; return the completed subtrees ``(level, index, hash)``."""
        index = self._size
        rows = self.extend((leaf,))
        return [(level, (index >> level), row[0]) for level, row in enumerate(rows)]

    def extend(self, leaves: Iterable[bytes]) -> list[list[bytes]]:
        """Append many leaf hashes; return the completed subtree hashes grouped by level.

        Row ``l`` of the result holds the new level-``l`` nodes in index order; the first of them
        has index ``old_size >> l`` (new nodes of a level are always consecutive). This is the
        hot loop of appends and of bundle verification, hence the inlined hashing.
        """
        stack = self._hashes
        size = self._size
        rows: list[list[bytes]] = [[]]
        for acc in leaves:
            rows[0].append(acc)
            index = size
            level = 0
            # Each trailing 1-bit of the old size is a left sibling waiting for its right partner.
            while index & 1:
                acc = sha256(_NODE_PREFIX + stack.pop() + acc).digest()
                index >>= 1
                level += 1
                if level == len(rows):
                    rows.append([])
                rows[level].append(acc)
            stack.append(acc)
            size += 1
        self._size = size
        return rows

    def push(self, leaf: bytes) -> None:
        """Append one leaf hash without reporting the completed subtrees (verifier fast path)."""
        acc = leaf
        index = self._size
        stack = self._hashes
        while index & 1:
            acc = sha256(_NODE_PREFIX + stack.pop() + acc).digest()
            index >>= 1
        stack.append(acc)
        self._size += 1

    def root(self) -> bytes:
        """Root hash of the tree of ``size`` leaves (the empty-tree hash when size is 0)."""
        return fold_range(self._hashes)


def root_from_leaf_hashes(hashes: Iterable[bytes]) -> bytes:
    """Return the Merkle root of a sequence of *leaf hashes* in one linear pass, O(log n) memory."""
    rng = CompactRange()
    for h in hashes:
        rng.push(h)
    return rng.root()


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """Return the RFC 9162 Merkle Tree Hash of raw leaf *data* (not hashes); empty → SHA-256("")."""
    return root_from_leaf_hashes(leaf_hash(d) for d in leaves)
