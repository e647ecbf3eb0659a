"""The demo with its risk step, end to end on a small slice of the Taiwan file (SQLite)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from accord.analytics.taiwan_book import DEFAULT_PATH
from accord.risk import artifacts
from accord.risk.behaviour import FEATURES
from accord.services.context import open_context
from accord.services.demo import TENANT, run_demo
from accord.store.config import Settings


def test_demo_trains_and_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = gzip.decompress(DEFAULT_PATH.read_bytes()).decode("utf-8").splitlines()
    small = tmp_path / "uci.csv"
    small.write_text("\n".join(lines[:501]) + "\n", "utf-8")  # header + 500 cards
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    settings = Settings(home=tmp_path / "home")
    ctx = open_context(settings)
    try:
        report = run_demo(ctx, data=small, with_risk=True)
    finally:
        ctx.engine.dispose()
    risk = report.risk
    assert risk is not None
    assert risk.accounts == 500
    assert risk.n_train + risk.holdout["n"] == 500
    assert 0.5 < risk.holdout["auc"] <= 1.0
    assert sum(risk.bands.values()) == 500
    assert set(risk.drift_alerts) <= {*FEATURES, "score"}
    assert artifacts.versions(settings.home / "models" / TENANT) == [risk.version]
