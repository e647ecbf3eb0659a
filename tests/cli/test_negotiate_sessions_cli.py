"""``accord negotiate open|counter|accept|mediate`` end to end on the embedded database, then
the exported ledger bundle (with every negotiation step) verifies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from tests.services.negotiation_helpers import case_obj
from tests.services.test_import import write_book

runner = CliRunner()
T = ["--tenant", "b1"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    paths = [str(p) for p in write_book(tmp_path)]
    assert runner.invoke(app, ["import", *T, *paths]).exit_code == 0
    return tmp_path


def ok(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def case_file(home: Path, **kwargs: Any) -> str:
    path = home / "case.json"
    path.write_text(json.dumps(case_obj(**kwargs)), encoding="utf-8")
    return str(path)


def test_open_counter_agree_and_export_verifies(home: Path) -> None:
    opened = ok(["negotiate", "open", *T, "--case", case_file(home, lenient=True), "--id", "n1"])
    assert opened["session_id"] == "n1"
    assert opened["status"] == "open"
    assert opened["events"] == ["negotiation.opened", "negotiation.offer.made"]
    low = ok(["negotiate", "counter", "n1", *T, "--monthly", "300"])
    assert low["events"][-2:] == ["negotiation.counter.rejected", "negotiation.offer.made"]
    assert low["round"] == 2
    agreed = ok(["negotiate", "counter", "n1", *T, "--monthly", "2500"])
    assert agreed["status"] == "agreed"
    assert agreed["events"][-1] == "negotiation.offer.accepted"
    seqs = [*opened["seqs"], *low["seqs"], *agreed["seqs"]]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    out = home / "bundle"
    assert runner.invoke(app, ["ledger", "export", *T, "--out", str(out)]).exit_code == 0
    verified = runner.invoke(app, ["ledger", "verify", str(out), "--json"])
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["ok"] is True


def test_accept_goes_to_approval_and_mediation_settles(home: Path) -> None:
    ok(["negotiate", "open", *T, "--case", case_file(home), "--id", "n2"])
    accepted = ok(["negotiate", "accept", "n2", *T])
    assert accepted["status"] == "pending_approval"
    mediated = ok(
        [
            "negotiate", "mediate", *T, "--case", case_file(home),
            "--creditor-floor", "40000", "--debtor-ceiling", "50000",
        ]
    )  # fmt: skip
    assert mediated["status"] == "settled"
    assert mediated["offer"]["amount"] == "45000.00"
    plain = runner.invoke(app, ["negotiate", "accept", "n2", *T])
    assert plain.exit_code == 1
    assert "ProtocolError" in plain.output


@pytest.mark.parametrize(
    "args",
    [
        ["negotiate", "accept", "missing", *T],
        ["negotiate", "counter", "missing", *T, "--monthly", "100"],
        ["negotiate", "open", "--tenant", "ghost", "--case", "CASE"],
        ["negotiate", "open", *T, "--case", "/no/such/file.json"],
    ],
)
def test_failures_exit_non_zero_with_one_line(home: Path, args: list[str]) -> None:
    args = [case_file(home) if a == "CASE" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("error:")
