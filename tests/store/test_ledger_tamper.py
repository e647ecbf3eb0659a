"""Tampering with the stored ledger is caught by ``accord ledger verify``, at the right entry."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger.bundle import CHECKPOINTS, ENTRIES, LEAVES
from accord.ledger.canonical import canonicalize
from accord.ledger.checkpoint import Checkpoint, sign_checkpoint
from accord.ledger.errors import SignatureError
from accord.store.db import transaction
from accord.store.ledger_keys import log_key
from accord.store.ledger_log import make_checkpoint
from accord.store.models import Event, LedgerCheckpoint, LedgerNode
from tests.conftest import Db
from tests.store.ledger_helpers import append, export, new_tenant

runner = CliRunner()


def _verify(directory: Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["ledger", "verify", str(directory), "--json"])
    return result.exit_code, json.loads(result.stdout)


# signed by the creditor's key, and system entries (unsigned, vouched for by checkpoints)
AUTHORS = [None, "system:test"]
by_author = pytest.mark.parametrize("author", AUTHORS, ids=["signed", "system"])


def _ledger(db: Db, author: str | None = None) -> str:
    tenant = new_tenant(db)
    append(db, tenant, [10, 7], checkpoint=True, author=author)
    append(db, tenant, [13], author=author)
    return tenant


def test_untouched_ledger_verifies(db: Db, tmp_path: Path) -> None:
    code, out = _verify(export(db, _ledger(db), tmp_path / "b"))
    assert code == 0
    assert out["ok"] is True
    assert out["entries"] == 30


@by_author
def test_edited_payload_is_detected(db: Db, tmp_path: Path, author: str | None) -> None:
    tenant = _ledger(db, author)
    with transaction(db.factory) as s:
        s.execute(update(Event).where(Event.seq == 12).values(payload='{"i":12,"note":"y"}'))
    code, out = _verify(export(db, tenant, tmp_path / "b"))
    assert code == 1
    assert out["error"] == {"index": 12, "reason": out["error"]["reason"]}
    # a signed entry fails its signature; a system entry is named by the stored leaf hashes
    expected = "entry changed after it was logged" if author else "bad signature"
    assert expected in out["error"]["reason"]


@by_author
def test_deleted_row_is_detected(db: Db, tmp_path: Path, author: str | None) -> None:
    tenant = _ledger(db, author)
    with transaction(db.factory) as s:
        s.execute(Event.__table__.delete().where(Event.seq == 5))
    code, out = _verify(export(db, tenant, tmp_path / "b"))
    assert code == 1
    assert out["error"]["index"] == 5
    assert "seq 6 at line index 5" in out["error"]["reason"]


@by_author
def test_swapped_rows_are_detected(db: Db, tmp_path: Path, author: str | None) -> None:
    tenant = _ledger(db, author)
    with transaction(db.factory) as s:
        s.execute(update(Event).where(Event.seq == 20).values(seq=-1))
        s.execute(update(Event).where(Event.seq == 8).values(seq=20))
        s.execute(update(Event).where(Event.seq == -1).values(seq=8))
    code, out = _verify(export(db, tenant, tmp_path / "b"))
    assert code == 1
    assert out["error"]["index"] == 8


def test_forked_history_is_detected(db: Db, tmp_path: Path) -> None:
    tenant = _ledger(db)
    bundle = export(db, tenant, tmp_path / "b")
    with db.factory() as s:
        key = log_key(s, tenant)
        size = s.scalar(select(LedgerCheckpoint.size).order_by(LedgerCheckpoint.size))
    assert size is not None
    fork = sign_checkpoint(Checkpoint(key.party, size, b"\x07" * 32), key)
    (bundle / CHECKPOINTS / "fork.note").write_text(fork, encoding="utf-8")
    code, out = _verify(bundle)
    assert code == 1
    assert "fork" in out["error"]["reason"]
    assert out["error"]["index"] is None


def test_checkpoint_with_bad_signature_is_detected(db: Db, tmp_path: Path) -> None:
    tenant = _ledger(db)
    with transaction(db.factory) as s:
        make_checkpoint(s, tenant)
        note = s.scalar(select(LedgerCheckpoint.note).order_by(LedgerCheckpoint.size.desc()))
        assert note is not None
        head, sig = note.rsplit(" ", 1)
        raw = bytearray(base64.b64decode(sig))
        raw[10] ^= 1
        bad = f"{head} {base64.b64encode(bytes(raw)).decode()}\n"
        s.execute(update(LedgerCheckpoint).where(LedgerCheckpoint.note == note).values(note=bad))
    code, out = _verify(export(db, tenant, tmp_path / "b", checkpoint=False))
    assert code == 1
    assert "checkpoint" in out["error"]["reason"]
    # the log itself refuses to extend a checkpoint whose signature does not verify
    append(db, tenant, [1])
    with pytest.raises(SignatureError), transaction(db.factory) as s:
        make_checkpoint(s, tenant)


@by_author
def test_any_changed_field_value_fails_verification(
    db: Db, tmp_path: Path, author: str | None
) -> None:
    tenant = _ledger(db, author)
    bundle = export(db, tenant, tmp_path / "b")
    lines = (bundle / ENTRIES).read_bytes().splitlines(keepends=True)
    changes = {
        "actor": lambda v: v + "x",
        "payload": lambda v: {**v, "i": v["i"] + 1},
        "seq": lambda v: v + 1,
        # replace the first signature, or give a system entry one
        "sigs": lambda v: [
            {**(v[0] if v else {"kid": "k"}), "sig": base64.b64encode(b"\0" * 64).decode()}
        ],
        "subjects": lambda v: [*v, "account:X"],
        "tenant": lambda v: v + "x",
        "time": lambda v: v.replace("Z", "1Z") if "." in v else v.replace("Z", ".1Z"),
        "type": lambda v: v + "x",
        "v": lambda v: v + 1,
    }
    for index in (0, 16, 29):
        for name, change in changes.items():
            obj = json.loads(lines[index])
            obj[name] = change(obj[name])
            mutated = [*lines]
            mutated[index] = canonicalize(obj) + b"\n"
            (bundle / ENTRIES).write_bytes(b"".join(mutated))
            code, out = _verify(bundle)
            assert code == 1, (index, name)
            assert out["error"]["index"] == index, (index, name, out)
    (bundle / ENTRIES).write_bytes(b"".join(lines))
    assert _verify(bundle)[0] == 0
    assert re.fullmatch(r"[0-9a-f]{64}", _verify(bundle)[1]["root"])


def test_bundle_leaf_hashes_come_from_the_tree_and_fall_back_to_event_rows(
    db: Db, tmp_path: Path
) -> None:
    tenant = _ledger(db, "system:test")
    clean = export(db, tenant, tmp_path / "clean")
    hashes = (clean / LEAVES).read_bytes()
    with db.factory() as s:
        stored = s.scalars(select(Event.leaf_hash).order_by(Event.seq)).all()
    assert hashes == b"".join(stored)
    assert len(hashes) == 32 * 30
    # blocks written before migration 0006 have no copy: the event rows' hashes are used
    with transaction(db.factory) as s:
        s.execute(update(LedgerNode).values(leaves=None))
    assert (export(db, tenant, tmp_path / "old") / LEAVES).read_bytes() == hashes


def test_rewriting_rows_and_tree_copies_leaves_only_the_range(db: Db, tmp_path: Path) -> None:
    # An insider who rewrites the event row *and* its stored hashes cannot move the signed
    # root: the change is still caught, but only the checkpoint range can be named.
    tenant = _ledger(db, "system:test")
    with transaction(db.factory) as s:
        s.execute(update(Event).where(Event.seq == 12).values(payload='{"i":12,"note":"y"}'))
        s.execute(update(Event).where(Event.seq == 12).values(leaf_hash=b"\0" * 32))
        s.execute(update(LedgerNode).where(LedgerNode.level == 4).values(leaves=b"\0" * 512))
    code, out = _verify(export(db, tenant, tmp_path / "b"))
    assert code == 1
    assert out["error"]["index"] == 10
    assert "an entry in [10, 17) differs" in out["error"]["reason"]
