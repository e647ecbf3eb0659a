"""``accord agreement`` end to end on the embedded database: create, sign, pay, tick, show,
replay from the database and from an exported bundle, and a tampered bundle that fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger.bundle import ENTRIES
from tests.services.agreement_helpers import custodial_terms
from tests.services.test_import import write_book

runner = CliRunner()
T = ["--tenant", "b1"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    return tmp_path


def ok(args: list[str]) -> dict[str, object] | list[object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] | list[object] = json.loads(result.stdout)
    return parsed


def signed_and_ticked(home: Path) -> None:
    paths = [str(p) for p in write_book(home)]
    assert runner.invoke(app, ["import", *T, *paths]).exit_code == 0
    terms = home / "terms.json"
    terms.write_text(json.dumps(custodial_terms(), ensure_ascii=False), encoding="utf-8")
    created = ok(["agreement", "create", *T, "--terms", str(terms), "--on", "2024-12-20"])
    assert isinstance(created, dict)
    assert created["status"] == "pending_signature"
    assert created["events"] == ["agreement.created"]
    ok(["agreement", "sign", "agr-0001", *T, "--party", "debtor", "--on", "2024-12-20"])
    signed = ok(["agreement", "sign", "agr-0001", *T, "--party", "creditor", "--on", "2024-12-20"])
    assert isinstance(signed, dict)
    assert signed["status"] == "active"
    assert signed["events"][-1] == "agreement.accepted"  # type: ignore[index]
    paid = ok(
        [
            "agreement", "pay", "agr-0001", *T, "--amount-minor", "100000",
            "--payment-id", "p-1", "--on", "2025-01-15",
        ]
    )  # fmt: skip
    assert isinstance(paid, dict)
    assert paid["paid_total_minor"] == 100_000
    ticked = ok(["tick", *T, "--as-of", "2025-03-25"])
    assert isinstance(ticked, list)
    assert ticked[0]["agreements"]["changed"] == 1  # type: ignore[index]


def test_agreement_lifecycle_and_replay(home: Path) -> None:
    signed_and_ticked(home)
    again = ok(["tick", *T, "--as-of", "2025-03-25"])
    assert again[0]["agreements"]["events"] == 0  # type: ignore[index]
    shown = ok(["agreement", "show", "agr-0001", *T])
    assert isinstance(shown, dict)
    report = shown["report"]
    assert isinstance(report, dict)
    # installment 1 paid; 2 and 3 missed, one more than the terms tolerate: breach
    assert report["status"] == "breached"
    missed = [i["missed"] for i in shown["installments"]]  # type: ignore[union-attr]
    assert missed[:4] == [False, True, True, False]
    replayed = ok(["agreement", "replay", "agr-0001", *T])
    assert isinstance(replayed, dict)
    assert replayed["ok"] is True
    assert replayed["replayed_hash"] == report["state_hash"]
    human = runner.invoke(app, ["agreement", "replay", "agr-0001", *T])
    assert human.exit_code == 0
    assert "OK" in human.stdout
    bundle = home / "bundle"
    ok(["ledger", "export", *T, "--out", str(bundle)])
    from_bundle = ok(["agreement", "replay", "agr-0001", "--bundle", str(bundle)])
    assert isinstance(from_bundle, dict)
    assert from_bundle["replayed_hash"] == report["state_hash"]


def test_tampered_bundle_fails_naming_the_entry(home: Path) -> None:
    signed_and_ticked(home)
    bundle = home / "bundle"
    ok(["ledger", "export", *T, "--out", str(bundle)])
    lines = (bundle / ENTRIES).read_bytes().splitlines()
    k = next(i for i, x in enumerate(lines) if b'"agreement.payment_received"' in x)
    lines[k] = lines[k].replace(b'"amount_minor":100000', b'"amount_minor":100001')
    (bundle / ENTRIES).write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(app, ["agreement", "replay", "agr-0001", "--bundle", str(bundle)])
    assert result.exit_code == 1
    assert "replay diverges" in result.stderr
    assert f"ledger entry {k}" in result.stderr


def test_replay_usage_errors(home: Path) -> None:
    result = runner.invoke(app, ["agreement", "replay", "agr-0001"])
    assert result.exit_code == 2
    assert "--tenant" in result.stderr
    missing = runner.invoke(app, ["agreement", "show", "nope", *T])
    assert missing.exit_code == 1
    assert "nope" in missing.stderr
