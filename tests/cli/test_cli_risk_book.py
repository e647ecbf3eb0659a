"""``accord risk train | evaluate | score | segments`` end to end, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.risk.book import render_message
from tests.services.risk_book_helpers import (
    N_ACCOUNTS,
    TENANT,
    Book,
    book_fixture,  # noqa: F401 - the module-scoped ``book`` fixture
)

runner = CliRunner()


@pytest.fixture
def env(book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Book:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", book.url)
    monkeypatch.setenv("ACCORD_SECRET_KEY", book.db.kek.hex())
    return book


def _run(*args: str) -> dict[str, object]:
    res = runner.invoke(app, ["risk", *args, "--json"])
    assert res.exit_code == 0, res.output
    out: dict[str, object] = json.loads(res.stdout)
    return out


def test_train_evaluate_score_segments(env: Book, tmp_path: Path) -> None:
    trained = _run("train", "--tenant", TENANT, "--as-of", "2005-07-31", "--trees", "40")
    assert trained["version"] == "v1"  # a fresh registry under $ACCORD_HOME/models
    assert Path(str(trained["version_dir"])) == tmp_path / "home" / "models" / TENANT / "v1"
    assert trained["n_train"] + trained["n_holdout"] == N_ACCOUNTS  # type: ignore[operator]
    ev = _run("evaluate", "--tenant", TENANT, "--model", "v1", "--as-of", "2005-08-31")
    assert ev["trained_as_of"] == "2005-07-31"
    assert Path(ev["report"]["html"]).is_file()  # type: ignore[index]
    first = _run("score", "--tenant", TENANT, "--as-of", "2005-08-31", "--model", "v1")
    assert first["summary"]["accounts"] == N_ACCOUNTS  # type: ignore[index]
    assert first["model_version"] == "v1"
    for warning in first["early_warnings"]:  # type: ignore[attr-defined]
        assert warning["dpd"] == 0
        assert all(render_message(f, "en") for f in warning["flags"])
    again = _run("score", "--tenant", TENANT, "--as-of", "2005-08-31", "--model", "v1")
    assert again["changed"] is False
    assert again["summary"]["digest"] == first["summary"]["digest"]  # type: ignore[index]
    res = runner.invoke(
        app, ["risk", "segments", "--tenant", TENANT, "--as-of", "2005-08-31", "--json"]
    )
    assert res.exit_code == 0, res.output
    segs = json.loads(res.stdout)
    assert segs
    assert all(s["segment"] and s["zh-CN"] and s["en"] for s in segs)
    table = runner.invoke(app, ["risk", "score", "--tenant", TENANT, "--as-of", "2005-08-31"])
    assert table.exit_code == 0, table.output
    assert "early warnings:" in table.stdout


def test_one_line_errors(env: Book) -> None:
    res = runner.invoke(app, ["risk", "score", "--tenant", TENANT, "--as-of", "2005-08-31"])
    assert res.exit_code == 1  # no model in this fresh registry
    assert "no model versions" in res.stderr
    res = runner.invoke(app, ["risk", "train", "--tenant", TENANT, "--as-of", "2005-09-30"])
    assert res.exit_code == 1
    assert "no tick stored for 2005-10-31" in res.stderr
    res = runner.invoke(app, ["risk", "segments", "--tenant", TENANT, "--as-of", "2005-05-31"])
    assert res.exit_code == 1
    assert "no scoring run" in res.stderr
    res = runner.invoke(app, ["risk", "evaluate", "--tenant", TENANT, "--as-of", "31/08/2005"])
    assert res.exit_code == 1
    assert "not a date" in res.stderr
