"""``accord ledger`` end to end on the embedded database: export, verify, prove, checkpoint;
no personal data in a bundle; the bundle verifies with nothing but ``cryptography``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger.bundle import ENTRIES
from accord.ledger.canonical import canonicalize
from accord.ledger.keys import PublicKey
from accord.ledger.note import parse_verifier_key
from accord.ledger.privacy import opens
from accord.ledger.receipt import Receipt, verify_receipt
from accord.ledger.trust import TrustedKeys
from accord.services.context import open_context
from accord.store.ledger_log import salt_of
from tests.ledger.test_bundle import _isolated_env, _run_isolated
from tests.services.test_import import write_book

runner = CliRunner()
PERSONAL = ("张三", "李四", "13800138000", "13900139000")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    return tmp_path


def _book(home: Path) -> None:
    paths = [str(p) for p in write_book(home)]
    assert runner.invoke(app, ["import", "--tenant", "b1", *paths]).exit_code == 0
    assert runner.invoke(app, ["tick", "--tenant", "b1", "--as-of", "2026-04-30"]).exit_code == 0


def _export(home: Path) -> Path:
    out = home / "bundle"
    result = runner.invoke(app, ["ledger", "export", "--tenant", "b1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entries"] == 7
    return out


def test_bundle_holds_no_personal_data_only_commitments(home: Path) -> None:
    _book(home)
    bundle = _export(home)
    blob = b"".join(p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file())
    for value in PERSONAL:
        for form in (value.encode("utf-8"), json.dumps(value).encode(), value.encode("utf-16-le")):
            assert form not in blob, value
        if not value.isascii():
            assert value.encode("gbk") not in blob
    lines = (bundle / ENTRIES).read_text(encoding="utf-8").splitlines()
    registered = [json.loads(x) for x in lines if '"party.registered"' in x]
    assert [e["subjects"] for e in registered] == [["party:P1"], ["party:P2"]]
    with open_context().factory() as s:
        salt = salt_of(s, "b1", "party:P1", "name")
    assert salt is not None
    assert opens(registered[0]["payload"]["commitments"]["name"], "张三", salt)


def test_bundle_verifies_with_only_cryptography_and_any_field_change_fails(
    home: Path, tmp_path: Path
) -> None:
    _book(home)
    bundle = _export(home)
    root = _isolated_env(tmp_path)
    ok = _run_isolated(root, str(bundle), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["entries"] == 7
    original = (bundle / ENTRIES).read_bytes()
    lines = original.splitlines(keepends=True)
    obj = json.loads(lines[4])
    obj["payload"]["dpd"] += 1
    (bundle / ENTRIES).write_bytes(b"".join([*lines[:4], canonicalize(obj) + b"\n", *lines[5:]]))
    bad = _run_isolated(root, str(bundle))
    assert bad.returncode == 1
    assert bad.stderr.startswith("FAILED: entry 4:")
    cli = runner.invoke(app, ["ledger", "verify", str(bundle)])
    assert cli.exit_code == 1
    assert "entry 4:" in cli.output


def test_prove_gives_an_offline_verifiable_receipt(home: Path) -> None:
    _book(home)
    result = runner.invoke(app, ["ledger", "prove", "--tenant", "b1", "--entry", "5", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    trust = out["trust"]
    trusted = TrustedKeys.of(
        parse_verifier_key(trust["log_key"]), [PublicKey.from_json(k) for k in trust["keys"]]
    )
    entry = verify_receipt(Receipt.from_json(out["receipt"]), trusted, origin=trust["origin"])
    assert entry.seq == 5
    assert entry.type == "account.bucket_changed"


def test_checkpoint_and_one_line_errors(home: Path) -> None:
    _book(home)
    first = runner.invoke(app, ["ledger", "checkpoint", "--tenant", "b1", "--json"])
    assert first.exit_code == 0
    cp = json.loads(first.stdout)
    assert cp["size"] == 7
    assert cp["created"] is False  # the tick already signed this size in its transaction
    missing = runner.invoke(app, ["ledger", "checkpoint", "--tenant", "nobody"])
    assert missing.exit_code == 1
    assert "unknown tenant" in missing.output
    beyond = runner.invoke(app, ["ledger", "prove", "--tenant", "b1", "--entry", "99"])
    assert beyond.exit_code == 1
    assert "covers entry 99" in beyond.output
    nodir = runner.invoke(app, ["ledger", "verify", str(home / "nope")])
    assert nodir.exit_code == 2
