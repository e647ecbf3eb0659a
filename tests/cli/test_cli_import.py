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
