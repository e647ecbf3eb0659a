"""Planning which tree nodes a root or proof needs, separate from fetching them.

A node is identified by a ``NodeId`` tuple ``(level, index)``: the perfect subtree of ``2**level``
leaves starting at leaf ``index * 2**level``. Only *perfect* subtrees are ever stored; such a node
never changes once the tree has grown past its last leaf, so a store can write it once (like the
tiles of transparency-dev). A value that is not a perfect subtree (e.g. the hash of the last seven
leaves of a tree of size 15) is an *ephemeral* node: a plan lists it as the compact range of perfect
subtrees that covers it, which the fetcher folds with :func:`accord.ledger.merkle.fold_range`.

Every plan has O(log n) elements and O(log² n) node ids at most; in practice ~log n reads.
"""

from __future__ import annotations

from accord.ledger.errors import PreconditionError

# (level, index): the perfect subtree of 2**level leaves starting at leaf index << level.
# A plain tuple rather than a NamedTuple: appends create one per stored node, millions of them.
NodeId = tuple[int, int]


# One proof hash = the fold of a compact range of perfect subtrees (a single id when perfect).
ProofElement = tuple[NodeId, ...]
ProofPlan = tuple[ProofElement, ...]


def _split(length: int) -> int:
    """Largest power of two strictly smaller than ``length`` (``length >= 2``)."""
    return 1 << ((length - 1).bit_length() - 1)


def range_nodes(begin: int, end: int) -> ProofElement:
    """Perfect subtrees covering leaves ``[begin, end)``, largest first.

    Precondition: ``0 <= begin < end`` and ``begin`` is a multiple of the smallest power of two
    that is ``>= end - begin`` (true of every range that RFC 9162's recursive split produces, and
    of ``[0, n)``). Then the subtree sizes are the set bits of ``end - begin``, high to low.
    """
    length = end - begin
    if begin < 0 or length <= 0:
        raise PreconditionError(f"empty or negative range [{begin}, {end})")
    if begin % (1 << (length - 1).bit_length()) != 0:
        raise PreconditionError(f"range [{begin}, {end}) is not aligned for a Merkle split")
    out: list[NodeId] = []
    pos = begin
    for level in range(length.bit_length() - 1, -1, -1):
        if length >> level & 1:
            out.append((level, pos >> level))
            pos += 1 << level
    return tuple(out)


def root_plan(size: int) -> ProofElement:
    """Nodes whose fold is the root of the tree of ``size`` leaves (empty for size 0)."""
    if size < 0:
        raise PreconditionError(f"negative tree size {size}")
    return range_nodes(0, size) if size else ()


def inclusion_plan(index: int, size: int) -> ProofPlan:
    """Plan of the RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[size]), leaf side first.

    Precondition: ``0 <= index < size``. Each element is the sibling subtree at one level of the
    recursive split, listed bottom-up as the verifier consumes them.
    """
    if not 0 <= index < size:
        raise PreconditionError(f"leaf index {index} outside tree of size {size}")
    top_down: list[ProofElement] = []
    begin, end = 0, size
    while end - begin > 1:
        k = _split(end - begin)
        if index < begin + k:
            top_down.append(range_nodes(begin + k, end))
            end = begin + k
        else:
            top_down.append(range_nodes(begin, begin + k))
            begin += k
    return tuple(reversed(top_down))


def consistency_plan(size1: int, size2: int) -> ProofPlan:
    """Plan of the RFC 9162 §2.1.4.1 consistency proof PROOF(size1, D[size2]), bottom-up.

    Precondition: ``0 <= size1 <= size2``. The proof is empty when ``size1`` is 0 or equals
    ``size2`` (nothing to prove); otherwise it is SUBPROOF(size1, D[size2], true).
    """
    if not 0 <= size1 <= size2:
        raise PreconditionError(f"need 0 <= size1 <= size2, got {size1}, {size2}")
    if size1 == 0 or size1 == size2:
        return ()
    top_down: list[ProofElement] = []
    begin, end, m, whole = 0, size2, size1, True
    while True:
        if m == end - begin:
            # SUBPROOF(m, D[m], b): nothing if this is the original old tree, else its hash.
            if not whole:
                top_down.append(range_nodes(begin, end))
            break
        k = _split(end - begin)
        if m <= k:
            top_down.append(range_nodes(begin + k, end))
            end = begin + k
        else:
            top_down.append(range_nodes(begin, begin + k))
            begin += k
            m -= k
            whole = False
    return tuple(reversed(top_down))
