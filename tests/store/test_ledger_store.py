"""The SQL ledger: entries equal the pure library's, the tree equals the in-memory tree, the
outbox is transactional, proofs read O(log n) rows, keys rest encrypted, acceptances verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select, update

from accord.ledger.agreement import verify_acceptance
from accord.ledger.canonical import canonicalize
from accord.ledger.entry import make_entry, parse_entry, sign_entry, verify_entry_signatures
from accord.ledger.errors import (
    CanonicalizationError,
    EntryError,
    InconsistentTrees,
    KeyCustodyError,
)
from accord.ledger.keys import WrappedKey, unwrap_private_key
from accord.ledger.merkle import leaf_hash
from accord.ledger.privacy import opens
from accord.ledger.receipt import verify_receipt
from accord.ledger.tree import MemoryTreeStore, consistency_proof, inclusion_proof, root_at
from accord.ledger.trust import TrustedKeys
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events, payload_json
from accord.store.ledger_keys import creditor_party, log_key, public_keys, signing_key
from accord.store.ledger_log import (
    accept_agreement,
    commit_personal,
    make_checkpoint,
    receipt_for,
    salt_of,
    tree_size,
)
from accord.store.ledger_store import (
    ENTRY_COLUMNS,
    EntryTemplate,
    SqlTreeStore,
    entry_halves,
    row_entry_bytes,
    signed_bytes,
)
from accord.store.models import Event, EventHead, LedgerKey, LedgerNode
from tests.conftest import Db
from tests.store.ledger_helpers import append, export_and_verify, new_tenant
from tests.store.ledger_helpers import event as ev


def _rows(db: Db, tenant: str) -> list[Any]:
    with db.factory() as s:
        return list(
            s.execute(select(*ENTRY_COLUMNS).where(Event.tenant_id == tenant).order_by(Event.seq))
        )


def test_store_entries_equal_pure_library_entries(db: Db) -> None:
    tenant = new_tenant(db, "租户-1")
    when = datetime(2026, 3, 1, 8, 0, 9, 120, tzinfo=UTC)
    payload = {"名字": '值\u0001"\\', "n": -(2**53 - 1), "z": [True, None, {"b": 1, "a": 2}]}
    with transaction(db.factory) as s:
        append_events(s, tenant, [NewEvent("x.y", "staff:9", "account:7", payload)], at=when)
        key = signing_key(s, tenant, creditor_party(tenant))
    (row,) = _rows(db, tenant)
    expected = sign_entry(
        make_entry(
            seq=0,
            tenant=tenant,
            type="x.y",
            time="2026-03-01T08:00:09.000120Z",
            actor=creditor_party(tenant),
            subjects=["account:7"],
            payload=payload,
        ),
        key,
    )
    data = row_entry_bytes(row)
    assert data == expected.leaf_data()
    verify_entry_signatures(parse_entry(data), {key.kid: key.public})
    with db.factory() as s:
        stored = s.scalar(select(Event.leaf_hash).where(Event.seq == 0))
    assert stored == leaf_hash(data)


def test_sql_tree_matches_memory_tree(db: Db) -> None:
    tenant = new_tenant(db)
    n = append(db, tenant, [1, 2, 13, 1, 16, 17, 30, 1, 20])
    data = [row_entry_bytes(r) for r in _rows(db, tenant)]
    mem = MemoryTreeStore.from_leaves(data)
    with db.factory() as s:
        sql = SqlTreeStore(s, tenant, tree_size(s, tenant))
        assert sql.size() == mem.size() == n
        for size in (1, 2, 15, 16, 17, 64, n - 1, n):
            assert root_at(sql, size) == root_at(mem, size)
        for index, size in ((0, n), (15, 16), (16, 17), (n - 1, n), (37, 90)):
            assert inclusion_proof(sql, index, size) == inclusion_proof(mem, index, size)
        for a, b in ((0, n), (1, n), (16, 48), (17, 99), (n, n)):
            assert consistency_proof(sql, a, b) == consistency_proof(mem, a, b)
        nodes = s.scalar(select(func.count()).select_from(LedgerNode))
    # only perfect subtrees of 16 leaves or more are stored: n//16 + n//32 + ...
    assert nodes == sum(n >> level for level in range(4, n.bit_length()))


def test_rollback_leaves_no_entry_no_node_no_gap(db: Db) -> None:
    tenant = new_tenant(db)
    append(db, tenant, [15])
    nodes_inside: list[int] = []

    def failing_change() -> None:
        with transaction(db.factory) as s:
            append_events(s, tenant, [ev(100 + k) for k in range(40)])
            nodes_inside.append(s.scalar(select(func.count()).select_from(LedgerNode)) or 0)
            raise RuntimeError("the state change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert nodes_inside == [4]  # 55 leaves: (4,0) (4,1) (4,2) (5,0), then rolled back
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 15
        assert s.scalar(select(func.count()).select_from(LedgerNode)) == 0
        assert s.scalar(select(EventHead.next_seq)) == 15
    append(db, tenant, [3])
    assert [r[0] for r in _rows(db, tenant)] == list(range(18))


def test_proofs_read_a_bounded_number_of_rows(db: Db) -> None:
    tenant = new_tenant(db)
    statements: list[str] = []
    sizes = []
    for total in (300, 1500):
        append(db, tenant, [total - (sizes[-1] if sizes else 0)], checkpoint=True)
        sizes.append(total)
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.factory() as s:
                receipt_for(s, tenant, 123)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        # latest checkpoint, the entry row, the head, one node read and one leaf read
        assert len(statements) <= 6, statements
        statements.clear()


def test_receipt_verifies_offline(db: Db) -> None:
    tenant = new_tenant(db)
    append(db, tenant, [40], checkpoint=True)
    with db.factory() as s:
        receipt = receipt_for(s, tenant, 17)
        trusted = TrustedKeys.of(log_key(s, tenant).public, public_keys(s, tenant, "party"))
    entry = verify_receipt(receipt, trusted)
    assert entry.seq == 17
    assert entry.payload["i"] == 17


def test_checkpoint_refuses_altered_nodes(db: Db) -> None:
    tenant = new_tenant(db)
    append(db, tenant, [40], checkpoint=True)
    append(db, tenant, [40])
    with transaction(db.factory) as s:
        s.execute(update(LedgerNode).where(LedgerNode.level == 4).values(hash=b"\0" * 32))
    with pytest.raises(InconsistentTrees), transaction(db.factory) as s:
        make_checkpoint(s, tenant)


def test_keys_rest_wrapped_under_the_master_key(db: Db) -> None:
    tenant = new_tenant(db)
    append(db, tenant, [1], checkpoint=True)
    with db.factory() as s:
        rows = s.execute(select(LedgerKey.role, LedgerKey.kid, LedgerKey.wrapped)).all()
        key = signing_key(s, tenant, creditor_party(tenant))
    assert {r[0] for r in rows} == {"party", "log"}
    seed = key.private.private_bytes_raw()
    for _role, kid, wrapped in rows:
        blob = WrappedKey.from_json(json.loads(wrapped))
        assert seed not in wrapped.encode()
        assert seed.hex() not in wrapped
        assert unwrap_private_key(blob, db.kek).kid == kid
        with pytest.raises(KeyCustodyError):
            unwrap_private_key(blob, bytes(32))


def test_agreement_acceptance_carries_both_signatures(db: Db, tmp_path: Path) -> None:
    tenant = new_tenant(db)
    append(db, tenant, [2])
    terms = {"account": "A1", "installments": 12, "monthly_minor": 52000, "currency": "CNY"}
    with transaction(db.factory) as s:
        seq = accept_agreement(s, tenant, terms=terms, debtor="debtor:7f3a", subject="case:1")
    assert seq == 2
    report = export_and_verify(db, tenant, tmp_path / "b")
    assert report.ok, report.error
    entry = parse_entry(row_entry_bytes(_rows(db, tenant)[seq]))
    with db.factory() as s:
        keys = {k.kid: k for k in public_keys(s, tenant, "party")}
    assert entry.actor == "debtor:7f3a"
    assert len(entry.sigs) == 2
    assert {keys[sig.kid].party for sig in entry.sigs} == {"debtor:7f3a", "creditor:t1"}
    verify_acceptance(entry.payload, keys)
    assert entry.payload["debtor"] == "debtor:7f3a"


def test_commitments_open_with_private_salts(db: Db) -> None:
    tenant = new_tenant(db)
    with transaction(db.factory) as s:
        items = [("party:P1", "name", "张三"), ("party:P1", "phone", "1")]
        c1, c2 = commit_personal(s, tenant, items)
        again = commit_personal(s, tenant, [("party:P1", "name", "张三")])
        salt = salt_of(s, tenant, "party:P1", "name")
    assert again == [c1]
    assert c1 != c2
    assert salt is not None
    assert opens(c1, "张三", salt)
    assert not opens(c1, "李四", salt)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    payload=st.dictionaries(st.text(max_size=6), _json, max_size=4),
    names=st.tuples(st.text(min_size=1), st.text(min_size=1), st.text()),
    seq=st.integers(0, 2**40),
)
def test_fast_entry_bytes_equal_canonical_entries(
    payload: dict[str, Any], names: tuple[str, str, str], seq: int
) -> None:
    type_, tenant, subject = names
    try:
        expected = make_entry(
            seq=seq,
            tenant=tenant,
            type=type_,
            time="2026-01-02T03:04:05Z",
            actor="creditor:x",
            subjects=[subject] if subject else [],
            payload=payload,
        ).to_json(with_sigs=False)
        want = canonicalize(expected)
    except (CanonicalizationError, EntryError):
        assume(False)
    head, tail = entry_halves(
        seq, tenant, type_, "2026-01-02T03:04:05Z", "creditor:x", subject, payload_json(payload)
    )
    assert signed_bytes(head, tail) == want
    # the batch template used by append_events gives the same text
    template = EntryTemplate(tenant, "2026-01-02T03:04:05Z", "creditor:x")
    assert template.halves(seq, type_, subject, payload_json(payload)) == (head, tail)
