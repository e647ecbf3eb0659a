"""The CLI end to end on an embedded database: JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from tests.services.test_import import write_book

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    return tmp_path


def test_import_json_and_idempotence(home: Path) -> None:
    paths = [str(p) for p in write_book(home)]
    first = runner.invoke(app, ["import", "--tenant", "b1", *paths, "--json"])
    assert first.exit_code == 0, first.output
    out = json.loads(first.stdout)
    assert out["ok"] is True
    assert out["new"]["payments"] == 2
    second = runner.invoke(app, ["import", "--tenant", "b1", *paths, "--json"])
    assert json.loads(second.stdout)["new"] == {
        "parties": 0,
        "accounts": 0,
        "installments": 0,
        "payments": 0,
    }


def test_import_rejection_exits_nonzero_with_report(home: Path) -> None:
    paths = write_book(home, **{"payments.csv": "payment_id,account_id,paid_on,amount\nZ,A1,x,1\n"})
    result = runner.invoke(app, ["import", "--tenant", "b1", *map(str, paths), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert {
        "file": "payments.csv",
        "row": 2,
        "column": "paid_on",
        "value": "x",
        "reason": "not a valid date (expected YYYY-MM-DD)",
    } in report["findings"]
    assert "import rejected" in result.stderr


def test_missing_file_is_a_one_line_error(home: Path) -> None:
    result = runner.invoke(app, ["import", "--tenant", "b1", str(home / "nope.csv")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_tick_portfolio_and_account_views(home: Path) -> None:
    paths = [str(p) for p in write_book(home)]
    assert runner.invoke(app, ["import", "--tenant", "b1", *paths]).exit_code == 0
    ticked = runner.invoke(app, ["tick", "--as-of", "2026-03-20", "--json"])
    assert ticked.exit_code == 0, ticked.output
    assert json.loads(ticked.stdout)[0]["buckets"] == {"M1": 2}

    port = runner.invoke(app, ["portfolio", "--tenant", "b1", "--as-of", "2026-03-20", "--json"])
    lines = {x["bucket"]: x for x in json.loads(port.stdout)["portfolio"]["lines"]}
    assert lines["M1"]["accounts"] == 2
    assert lines["M1"]["overdue"]["currency"] == "CNY"

    acct = runner.invoke(app, ["account", "A1", "--tenant", "b1", "--json"])
    assert acct.exit_code == 0, acct.output
    view = json.loads(acct.stdout)
    assert view["party_id"] == "P1"
    assert [i["principal"]["amount"] for i in view["schedule"]] == ["946.19", "955.65"]
    assert view["payments"][0]["amount"] == {"amount": "1066.19", "currency": "CNY"}
    assert [(h["as_of"], h["dpd"], h["bucket"]) for h in view["history"]] == [
        ("2026-03-20", 5, "M1")
    ]
    assert "13800138000" not in acct.stdout  # personal data is never shown here

    missing = runner.invoke(app, ["account", "NOPE", "--tenant", "b1"])
    assert missing.exit_code == 1
    assert "no account 'NOPE'" in missing.stderr
    no_tick = runner.invoke(app, ["portfolio", "--tenant", "b1", "--as-of", "2026-01-01"])
    assert no_tick.exit_code == 1
    assert "accord tick --as-of 2026-01-01" in no_tick.stderr
