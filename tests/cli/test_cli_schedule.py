"""Acceptance: `accord schedule` known answers, and the benchmark runner's JSON contract."""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
ARGS = ["schedule", "--principal", "100000.00", "--rate", "0.12", "--months", "12"]


def test_equal_installment_known_answer() -> None:
    result = runner.invoke(
        app, [*ARGS, "--method", "equal-installment", "--start", "2026-01-15", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    payments = [i["payment"]["amount"] for i in out["installments"]]
    assert payments[:11] == ["8884.88"] * 11
    assert payments[11] == "8884.85"  # the last installment absorbs the rounding residual
    assert sum(Decimal(i["principal"]["amount"]) for i in out["installments"]) == Decimal(
        "100000.00"
    )
    assert {i["payment"]["currency"] for i in out["installments"]} == {"CNY"}
    assert out["installments"][0]["due_date"] == "2026-02-15"


def test_equal_principal_known_answer() -> None:
    result = runner.invoke(
        app, [*ARGS, "--method", "equal-principal", "--start", "2026-01-15", "--json"]
    )
    parts = [i["principal"]["amount"] for i in json.loads(result.stdout)["installments"]]
    assert parts == ["8333.33"] * 11 + ["8333.37"]


def test_bad_input_is_one_line_error() -> None:
    result = runner.invoke(app, [*ARGS, "--method", "balloon", "--start", "2026-01-15"])
    assert result.exit_code == 1
    assert "balloon" in result.stderr
    result = runner.invoke(app, [*ARGS, "--start", "2026-02-30"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_bench_schedule_json_contract() -> None:
    result = runner.invoke(app, ["bench", "schedule", "--loans", "2000", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("benchmark", "n", "seconds", "per_second", "peak_rss_mb", "ratio_to_baseline"):
        assert key in out
    assert out["n"] == 2000
    assert out["exact_check"]["mismatches"] == 0
    assert out["baseline"]["name"].startswith("numpy-financial")


def test_unknown_benchmark_fails() -> None:
    result = runner.invoke(app, ["bench", "nope", "--json"])
    assert result.exit_code == 1
    assert "unknown benchmark" in result.stderr
