"""``accord agreement`` end to end on the embedded database: create, sign, pay, tick, show,
replay from the database and from an exported bundle, and a tampered bundle that fails."""

from __future__ import annotations

import hashlib
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


def created(home: Path, *parties: str) -> None:
    """Tenant b1 from an import, agreement agr-0001 created and signed by ``parties``."""
    paths = [str(p) for p in write_book(home)]
    assert runner.invoke(app, ["import", *T, *paths]).exit_code == 0
    terms = home / "terms.json"
    terms.write_text(json.dumps(custodial_terms(12), ensure_ascii=False), encoding="utf-8")
    ok(["agreement", "create", *T, "--terms", str(terms), "--on", "2024-12-20"])
    for party in parties:
        ok(["agreement", "sign", "agr-0001", *T, "--party", party, "--on", "2024-12-20"])


def test_income_change_then_hardship_pause(home: Path) -> None:
    created(home, "debtor", "creditor")
    payslip = home / "payslip.pdf"
    payslip.write_bytes(b"%PDF payslip: income down 30%")
    adjusted = ok(
        [
            "agreement", "income-change", "agr-0001", *T, "--previous-minor", "1000000",
            "--current-minor", "700000", "--evidence", str(payslip), "--on", "2025-01-05",
        ]
    )  # fmt: skip
    assert isinstance(adjusted, dict)
    assert adjusted["events"] == ["agreement.income_change_verified", "agreement.terms_adjusted"]
    letter = home / "letter.pdf"
    letter.write_bytes(b"%PDF termination letter")
    declared = ok(
        [
            "agreement", "hardship", "agr-0001", *T, "--reason", "job_loss",
            "--evidence", f"termination_letter={letter}", "--on", "2025-01-06",
        ]
    )  # fmt: skip
    assert isinstance(declared, dict)
    assert "agreement.hardship_declared" in declared["events"]  # type: ignore[operator]
    paused = ok(
        [
            "agreement", "verify-hardship", "agr-0001", *T, "--verifier", "v-7",
            "--accept", "--on", "2025-01-08",
        ]
    )  # fmt: skip
    assert isinstance(paused, dict)
    assert paused["status"] == "paused"
    assert "agreement.paused" in paused["events"]  # type: ignore[operator]
    shown = ok(["agreement", "show", "agr-0001", *T])
    assert isinstance(shown, dict)
    amounts = [i["amount_minor"] for i in shown["installments"]]  # type: ignore[union-attr]
    assert amounts[0] == 80_000  # the 30 % drop: installments at 80 %
    assert len(amounts) > 12  # and more of them
    replayed = ok(["agreement", "replay", "agr-0001", *T])
    assert isinstance(replayed, dict)
    assert replayed["ok"] is True
    # the ledger holds the evidence digests, not the files
    bundle = home / "bundle"
    ok(["ledger", "export", *T, "--out", str(bundle)])
    text = (bundle / ENTRIES).read_text(encoding="utf-8")
    assert hashlib.sha256(letter.read_bytes()).hexdigest() in text
    assert hashlib.sha256(payslip.read_bytes()).hexdigest() in text
    assert "termination letter" not in text


def test_declined_hardship_keeps_the_agreement_active(home: Path) -> None:
    created(home, "debtor", "creditor")
    ok(
        [
            "agreement", "hardship", "agr-0001", *T, "--reason", "job_loss",
            "--evidence", "termination_letter=sha256:" + "AB" * 32, "--on", "2025-01-06",
        ]
    )  # fmt: skip
    declined = ok(
        [
            "agreement", "verify-hardship", "agr-0001", *T, "--verifier", "v-7", "--decline",
            "--on", "2025-01-07",
        ]
    )  # fmt: skip
    assert isinstance(declined, dict)
    assert declined["status"] == "active"
    assert "agreement.paused" not in declined["events"]  # type: ignore[operator]


def test_cancel_before_both_signatures_only(home: Path) -> None:
    created(home, "debtor")
    cancelled = ok(
        ["agreement", "cancel", "agr-0001", *T, "--by", "creditor", "--on", "2024-12-21"]
    )
    assert isinstance(cancelled, dict)
    assert cancelled["status"] == "cancelled"
    again = runner.invoke(app, ["agreement", "sign", "agr-0001", *T, "--party", "creditor"])
    assert again.exit_code == 1


def test_cancel_of_an_active_agreement_is_refused(home: Path) -> None:
    created(home, "debtor", "creditor")
    refused = runner.invoke(
        app, ["agreement", "cancel", "agr-0001", *T, "--by", "debtor", "--on", "2024-12-21"]
    )
    assert refused.exit_code == 1
    assert "error" in refused.stderr
    shown = ok(["agreement", "show", "agr-0001", *T])
    assert shown["report"]["status"] == "active"  # type: ignore[call-overload,index]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hardship", "--reason", "job_loss", "--evidence", "letter"], "KIND=FILE"),
        (["hardship", "--reason", "job_loss", "--evidence", "k=sha256:12"], "64 hex"),
        (["hardship", "--reason", "job_loss", "--evidence", "k=/no/such/file"], "cannot read"),
        (["income-change", "--previous-minor", "1", "--current-minor", "1", "--evidence",
          "sha256:zz"], "64 hex"),
    ],
)  # fmt: skip
def test_evidence_usage_errors(home: Path, args: list[str], message: str) -> None:
    created(home, "debtor", "creditor")
    result = runner.invoke(app, ["agreement", args[0], "agr-0001", *T, *args[1:]])
    assert result.exit_code == 1
    assert message in result.stderr
