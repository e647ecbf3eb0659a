"""The SQL side of the tenant ledgers: a :class:`~accord.ledger.tree.TreeStore` and entry bytes.

**Tree storage.** Leaf hashes (level 0) live in ``events.leaf_hash``; perfect subtrees of level
``NODE_MIN_LEVEL`` (16 leaves) and above live in ``ledger_nodes``, each written once in the
transaction that completes it. Levels 1–3 are not stored: when a plan needs one, it is folded from
its ≤ 8 leaf hashes (one indexed read for all of them). That keeps the node table at about n/8
rows instead of n, while a root or proof still reads O(log n) rows in two queries. Each level-4
row also keeps its 16 leaf hashes (``leaves``): a copy apart from the event rows, which a bundle
carries so that the verifier can name a changed entry even when the event rows were rewritten
(:mod:`accord.ledger.bundle`, ``leaf_hashes.bin``).

**Entry bytes.** The canonical entry (``accord.ledger.entry``) is assembled from the event row's
columns by string concatenation in canonical member order — the payload column already holds
canonical JSON — which is several times faster than canonicalising a dictionary and is
cross-checked against :func:`accord.ledger.entry.make_entry` in the tests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from accord.ledger.errors import EntryError
from accord.ledger.keys import SigningKey
from accord.ledger.merkle import node_hash
from accord.ledger.nodes import NodeId
from accord.store.models import LEDGER_NODES_TABLE, Event

NODE_MIN_LEVEL = 4
_CHUNK = 500
_UNION = 200  # SQLite allows at most 500 terms in a compound SELECT
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _quote(value: str) -> str:
    """JSON string literal as RFC 8785 writes it (fast path: printable ASCII, no escapes)."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return _ENCODE(value)


class SqlTreeStore:
    """A tenant's Merkle tree in SQL, as seen inside one session (see module docstring)."""

    __slots__ = ("_new", "_session", "_size", "_tenant")
    min_level = NODE_MIN_LEVEL

    def __init__(
        self, session: Session, tenant_id: str, size: int, new_leaves: Sequence[bytes] = ()
    ) -> None:
        """``new_leaves``: leaf hashes about to be appended at ``size`` (for the level-4 blocks)."""
        self._session = session
        self._tenant = tenant_id
        self._size = size
        self._new = new_leaves

    def size(self) -> int:
        """Number of leaves (the tenant's next ``seq``)."""
        return self._size

    def get_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        """Hashes of the given perfect subtrees, in order; KeyError for one not (yet) stored."""
        stored: list[NodeId] = []
        seqs: set[int] = set()
        for level, idx in ids:
            if level < 0 or idx < 0 or (idx + 1) << level > self._size:
                raise KeyError((level, idx))
            if level >= NODE_MIN_LEVEL:
                stored.append((level, idx))
            else:
                seqs.update(range(idx << level, (idx + 1) << level))
        leaves = self._leaves(sorted(seqs))
        nodes = self._nodes(stored)
        out: list[bytes] = []
        for level, idx in ids:
            if level >= NODE_MIN_LEVEL:
                out.append(nodes[(level, idx)])
            else:
                span = range(idx << level, (idx + 1) << level)
                out.append(_perfect_root([leaves[s] for s in span]))
        return out

    def put_nodes(self, nodes: Sequence[tuple[NodeId, bytes]], new_size: int) -> None:
        """Insert newly completed nodes of level >= NODE_MIN_LEVEL; record the new size.

        Leaf hashes are written with their event rows by the caller, in the same transaction.
        """
        rows = [
            {
                "tenant_id": self._tenant,
                "level": level,
                "idx": idx,
                "hash": h,
                "leaves": self._block(idx) if level == NODE_MIN_LEVEL else None,
            }
            for (level, idx), h in nodes
            if level >= NODE_MIN_LEVEL
        ]
        if rows:
            self._session.execute(insert(LEDGER_NODES_TABLE), rows)
        self._size = new_size

    def _block(self, idx: int) -> bytes:
        """The 16 leaf hashes under level-4 node ``idx``: this append's, plus stored ones."""
        begin, end = idx << NODE_MIN_LEVEL, (idx + 1) << NODE_MIN_LEVEL
        first = self._size  # the old size: leaves from here on are this append's
        if end - first > len(self._new):
            raise EntryError(f"appending node (4, {idx}) needs the new leaf hashes up to {end}")
        if begin >= first:
            return b"".join(self._new[begin - first : end - first])
        older = self._leaves(list(range(begin, min(end, first))))
        return b"".join(older[s] if s < first else self._new[s - first] for s in range(begin, end))

    def _leaves(self, seqs: list[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        if seqs and seqs[-1] - seqs[0] + 1 == len(seqs):  # one run (an append's right edge)
            rows = self._session.execute(
                text(
                    "SELECT seq, leaf_hash FROM events "
                    "WHERE tenant_id = :t AND seq >= :a AND seq <= :b"
                ),
                {"t": self._tenant, "a": seqs[0], "b": seqs[-1]},
            )
            out.update((int(s), bytes(h)) for s, h in rows)
            seqs = [s for s in seqs if s not in out]
        for k in range(0, len(seqs), _CHUNK):
            part = seqs[k : k + _CHUNK]
            params: dict[str, object] = {"t": self._tenant}
            params.update((f"s{j}", v) for j, v in enumerate(part))
            marks = ", ".join(f":s{j}" for j in range(len(part)))
            sql = f"SELECT seq, leaf_hash FROM events WHERE tenant_id = :t AND seq IN ({marks})"
            rows = self._session.execute(text(sql), params)
            out.update((int(s), bytes(h)) for s, h in rows)
        missing = [s for s in seqs if s not in out]
        if missing:
            raise KeyError((0, missing[0]))
        return out

    def _nodes(self, ids: list[NodeId]) -> dict[NodeId, bytes]:
        # One exact primary-key lookup per node, joined by UNION ALL (a proof needs O(log n)).
        # Both simpler forms lose the index on one database: SQLite scans the tenant's nodes
        # for a row-value IN, and PostgreSQL (before ANALYZE) filters a whole level for
        # ``idx = ANY(...)``. Plain SQL text, because building the same query from expression
        # objects costs milliseconds, more than the lookups themselves.
        out: dict[NodeId, bytes] = {}
        for k in range(0, len(ids), _UNION):
            part = ids[k : k + _UNION]
            params: dict[str, object] = {"t": self._tenant}
            branches = []
            for j, (level, idx) in enumerate(part):
                params[f"l{j}"], params[f"i{j}"] = level, idx
                branches.append(
                    "SELECT level, idx, hash FROM ledger_nodes "
                    f"WHERE tenant_id = :t AND level = :l{j} AND idx = :i{j}"
                )
            rows = self._session.execute(text(" UNION ALL ".join(branches)), params)
            out.update(((int(lv), int(ix)), bytes(h)) for lv, ix, h in rows)
        missing = [i for i in ids if i not in out]
        if missing:
            raise KeyError(missing[0])
        return out


def _perfect_root(hashes: list[bytes]) -> bytes:
    """Root of a perfect subtree from its 2**k leaf hashes."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def format_time(when: datetime) -> str:
    """The entry ``time`` of a stored timestamp: UTC, microseconds only when non-zero.

    Naive datetimes (SQLite hands them back without a zone) are UTC by construction: the
    store only ever writes UTC.
    """
    t = when.astimezone(UTC) if when.tzinfo else when
    frac = f".{t.microsecond:06d}" if t.microsecond else ""
    return t.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"


def to_utc(when: datetime) -> datetime:
    """``when`` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def entry_halves(
    seq: int, tenant: str, type_: str, time: str, actor: str, subject: str, payload_json: str
) -> tuple[str, str]:
    """Canonical entry text before and after the ``sigs`` member (see :func:`join_entry`)."""
    return EntryTemplate(tenant, time, actor).halves(seq, type_, subject, payload_json)


class EntryTemplate:
    """The canonical entry text of a batch whose tenant, time and actor are fixed.

    Those members and each distinct ``type`` are quoted once per template instead of once per
    entry; an append builds thousands of entries from one template (:func:`entry_halves` is the
    one-entry form).
    """

    __slots__ = ("_head", "_tail", "_types")

    def __init__(self, tenant: str, time: str, actor: str) -> None:
        if not (tenant and actor):
            raise EntryError("tenant, type and actor must be non-empty")
        self._head = f'{{"actor":{_quote(actor)},"payload":'
        self._tail = f',"tenant":{_quote(tenant)},"time":{_quote(time)},"type":'
        self._types: dict[str, str] = {}

    def halves(self, seq: int, type_: str, subject: str, payload_json: str) -> tuple[str, str]:
        """Canonical entry text before and after the ``sigs`` member (see :func:`join_entry`)."""
        quoted = self._types.get(type_)
        if quoted is None:
            if not type_:
                raise EntryError("tenant, type and actor must be non-empty")
            quoted = self._types[type_] = f'{_quote(type_)},"v":1}}'
        subjects = f"[{_quote(subject)}]" if subject else "[]"
        return (
            f'{self._head}{payload_json},"seq":{seq}',
            f'"subjects":{subjects}{self._tail}{quoted}',
        )


def signed_bytes(head: str, tail: str) -> bytes:
    """The bytes every entry signature covers (the entry without ``sigs``)."""
    return (head + "," + tail).encode("utf-8")


def join_entry(head: str, sigs_json: str, tail: str) -> bytes:
    """The whole canonical entry (the Merkle leaf data and the bundle line)."""
    return (head + ',"sigs":' + sigs_json + "," + tail).encode("utf-8")


def by_kid(keys: Iterable[SigningKey]) -> list[tuple[str, SigningKey]]:
    """Keys paired with their kids, in kid order (what :func:`sign_halves` takes)."""
    return sorted(((k.kid, k) for k in keys), key=lambda p: p[0])


def sign_halves(head: str, tail: str, keys: Sequence[tuple[str, SigningKey]]) -> str:
    """Canonical ``sigs`` array: each key's Ed25519 signature of the signed bytes, by kid.

    ``keys`` are ``(kid, key)`` pairs sorted by kid (:func:`by_kid`), computed once per batch.
    """
    message = signed_bytes(head, tail)
    return (
        "["
        + ",".join(
            f'{{"kid":"{kid}","sig":"{base64.b64encode(k.sign(message)).decode()}"}}'
            for kid, k in keys
        )
        + "]"
    )


ENTRY_COLUMNS = (
    Event.seq,
    Event.tenant_id,
    Event.type,
    Event.occurred_at,
    Event.author,
    Event.subject,
    Event.payload,
    Event.sigs,
)


def row_entry_bytes(row: Sequence[Any]) -> bytes:
    """Canonical entry bytes rebuilt from a row of :data:`ENTRY_COLUMNS`."""
    seq, tenant, type_, when, author, subject, payload, sigs = row
    head, tail = entry_halves(int(seq), tenant, type_, format_time(when), author, subject, payload)
    return join_entry(head, sigs, tail)
