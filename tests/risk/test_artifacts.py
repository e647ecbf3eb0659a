"""Versioned artifacts: exact round trip for every model kind, and refusal of tampered files."""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.risk import artifacts
from accord.risk.blend import BlendModel
from accord.risk.boosting import BoostingModel
from accord.risk.errors import ArtifactError
from accord.risk.reasons import reason_codes
from accord.risk.scorecard import OFFSET, ScorecardModel


def _book(n: int = 1500, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A small synthetic book with numeric, categorical and missing values."""
    rng = np.random.default_rng(seed)
    util = rng.random(n)
    delay_1 = rng.integers(0, 4, n).astype(float)
    region = rng.choice(["north", "south", "east", None], n)
    income = rng.lognormal(8, 0.5, n)
    income[rng.random(n) < 0.1] = np.nan
    logit = -2 + 2 * util + 0.8 * delay_1 + (region == "south") * 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame({"util_1": util, "delay_1": delay_1, "region": region, "income": income})
    return X, y


MODELS = {
    "boosting": lambda: BoostingModel(n_estimators=60),
    "scorecard": lambda: ScorecardModel(),
    "blend": lambda: BlendModel(boosting=BoostingModel(n_estimators=60)),
}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_round_trip_is_exact(kind: str, tmp_path: Path) -> None:
    X, y = _book()
    model = MODELS[kind]().fit(X, y)
    vdir = artifacts.save_model(model, artifacts.next_version_dir(tmp_path), metadata={"k": 1})
    loaded, doc = artifacts.load_model(vdir)
    Xn, _ = _book(300, seed=5)
    Xn.loc[0, "region"] = "unseen-region"
    np.testing.assert_array_equal(loaded.predict_proba(Xn), model.predict_proba(Xn))
    np.testing.assert_array_equal(loaded.explain(Xn), model.explain(Xn))
    assert reason_codes(loaded, Xn.iloc[:5]) == reason_codes(model, Xn.iloc[:5])
    assert doc["kind"] == kind
    assert doc["metadata"] == {"k": 1}
    assert set(doc["libraries"]) >= {"lightgbm", "scikit-learn", "optbinning"}
    assert not list(vdir.glob("*.pkl"))


def test_versions_and_latest(tmp_path: Path) -> None:
    X, y = _book(600)
    for _ in range(2):
        model = ScorecardModel().fit(X, y)
        artifacts.save_model(model, artifacts.next_version_dir(tmp_path))
    assert artifacts.versions(tmp_path) == ["v1", "v2"]
    assert artifacts.resolve(tmp_path) == tmp_path / "v2"
    assert artifacts.resolve(tmp_path, "v1") == tmp_path / "v1"
    with pytest.raises(ArtifactError):
        artifacts.save_model(model, tmp_path / "v1")  # versions are immutable


def test_tampered_or_unknown_artifacts_are_refused(tmp_path: Path) -> None:
    X, y = _book(600)
    vdir = artifacts.save_model(BoostingModel(n_estimators=20).fit(X, y), tmp_path / "v1")
    booster = vdir / "booster.txt"
    booster.write_text(booster.read_text().replace("learning_rate", "learning_rate "))
    with pytest.raises(ArtifactError, match="sha256"):
        artifacts.load_model(vdir)
    doc = json.loads((vdir / "model.json").read_text())
    doc["schema_version"] = 99
    (vdir / "model.json").write_text(json.dumps(doc))
    with pytest.raises(ArtifactError, match="schema"):
        artifacts.load_model(vdir)
    with pytest.raises(ArtifactError):
        artifacts.load_model(tmp_path / "missing")


def test_points_table_adds_up_to_the_score() -> None:
    """Offset + the points of each row's bins equals the score; categories show by name."""
    X, y = _book(800)
    model = ScorecardModel().fit(X, y)
    table = model.points_table()
    assert any("south" in r["bin"] for r in table if r["feature"] == "region")
    Xa = model._validate_predict(X.iloc[:50])
    total = np.full(50, 0.0)
    for j, t in enumerate(model.tables_):
        rows = [r for r in table if r["feature"] == t.name]
        pts = np.asarray([r["points"] for r in rows])  # regular bins, then Missing last
        idx = t.bin_index(Xa[:, j])
        total += pts[np.where(idx < 0, len(rows) - 1, idx)]
    np.testing.assert_allclose(OFFSET + total, model.score_points(X.iloc[:50]))
