"""The Taiwan training use case: artifact, holdout metrics, fairness and drift sections."""

from pathlib import Path

import numpy as np
import pytest

from accord.risk import artifacts
from accord.risk.features import TAIWAN_TARGET, taiwan_features
from accord.services.risk_data import load_taiwan, taiwan_split
from accord.services.risk_taiwan import train_taiwan


@pytest.mark.slow
def test_train_taiwan_scorecard(tmp_path: Path) -> None:
    res = train_taiwan(tmp_path, kind="scorecard")
    vdir = Path(res["version_dir"])
    assert res["holdout"]["auc"] >= 0.77
    assert set(res["fairness"]["attributes"]) == {"sex", "age_band"}
    assert res["drift"]["score"]["status"] == "stable"  # a random split does not drift
    assert res["drift"]["alerts"] == []
    card = (vdir / "model_card.md").read_text()
    assert "April–September 2005" in card
    assert "sex: flag-rate difference" in card
    model, doc = artifacts.load_model(vdir)
    raw = load_taiwan()
    test_ids = taiwan_split().loc[raw.index] == "test"
    X = taiwan_features(raw[test_ids.to_numpy()])  # noqa: N806
    p = model.predict_proba(X)[:, 1]
    y = raw.loc[test_ids.to_numpy(), TAIWAN_TARGET].to_numpy()
    assert doc["metadata"]["metrics"]["holdout"]["brier"] == pytest.approx(np.mean((p - y) ** 2))
