"""The ``accord risk`` commands: thin wrappers with JSON output and one-line errors."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from accord.cli.risk import app

runner = CliRunner()


def _book(path: Path, n: int = 800) -> None:
    rng = np.random.default_rng(2)
    x = rng.random(n)
    y = (rng.random(n) < 0.1 + 0.6 * x).astype(int)
    pd.DataFrame({"x": x, "z": rng.normal(size=n), "y": y}).to_csv(path, index=False)


def test_fit_and_evaluate_json(tmp_path: Path) -> None:
    data = tmp_path / "b.csv"
    _book(data)
    out = tmp_path / "m"
    r = runner.invoke(
        app,
        [
            "fit-table",
            "--data",
            str(data),
            "--target",
            "y",
            "--out",
            str(out),
            "--kind",
            "scorecard",
            "--cv",
            "0",
        ],
    )
    assert r.exit_code == 0, r.output
    assert (out / "v1" / "model.json").is_file()
    r = runner.invoke(
        app, ["evaluate-table", "--model", str(out), "--data", str(data), "--target", "y", "--json"]
    )
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert result["auc"] > 0.6
    assert {"ks", "brier", "calibration"} <= set(result)


def test_errors_exit_non_zero_with_one_line(tmp_path: Path) -> None:
    data = tmp_path / "b.csv"
    _book(data)
    r = runner.invoke(
        app, ["fit-table", "--data", str(data), "--target", "nope", "--out", str(tmp_path / "m")]
    )
    assert r.exit_code == 1
    assert r.stderr.strip().startswith("error:")
    assert len(r.stderr.strip().splitlines()) == 1
    r = runner.invoke(
        app,
        ["evaluate-table", "--model", str(tmp_path / "none"), "--data", str(data), "--target", "y"],
    )
    assert r.exit_code == 1
