"""``accord negotiate plan`` CLI: JSON on stdout, non-zero exit with a reason on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.negotiate import app


def test_plan_json_and_failure(tmp_path: Path) -> None:
    case = {
        "schema": "negotiation-case.v1",
        "case_id": "c-9",
        "as_of": "2025-06-01",
        "currency": "CNY",
        "debts": [{"account_id": "a", "principal": "20000", "annual_rate": "0.18"}],
        "statement": {
            "income": {"wages": "8000"},
            "expenses": {"housing": "1500", "food": "1800", "transport": "800"},
            "household_size": 2,
            "region": "urban",
            "hardship": "job_loss",
        },
    }
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(case) + "\n", "utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["plan", "--cases", str(good), "--json", "--no-schedules"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["schema"] == "negotiation-plan-result.v1"
    assert out["cases"][0]["case_id"] == "c-9"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema": "negotiation-case.v1"}\n', "utf-8")
    result = runner.invoke(app, ["plan", "--cases", str(bad)])
    assert result.exit_code == 1
