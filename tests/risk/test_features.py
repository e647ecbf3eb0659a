"""Feature policy: protected attributes are recognised and never become features."""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

import numpy as np
import pandas as pd
import pytest

from accord.risk.boosting import BoostingModel
from accord.risk.errors import ProtectedFeatureError, SchemaError
from accord.risk.features import (
    TAIWAN_RAW,
    assert_no_protected,
    is_protected,
    monotone_map,
    select_features,
    taiwan_features,
)


@pytest.mark.parametrize(
    "name",
    ["SEX", "AGE", "MARRIAGE", "applicant_age", "MaritalStatus", "personal_status", "Gender"],
)
def test_protected_names_are_caught(name: str) -> None:
    assert is_protected(name)


@pytest.mark.parametrize("name", ["page_views", "usage", "LIMIT_BAL", "message", "storage_fee"])
def test_ordinary_names_pass(name: str) -> None:
    assert not is_protected(name)


def test_select_features_drops_protected_and_excluded() -> None:
    cols = ["LIMIT_BAL", "SEX", "AGE", "EDUCATION", "PAY_0"]
    assert select_features(cols, exclude=["EDUCATION"]) == ("LIMIT_BAL", "PAY_0")
    assert "SEX" in select_features(cols, allow_protected=True)


def test_model_refuses_protected_columns() -> None:
    """Fitting on a frame that carries a protected attribute raises, by default."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"util": rng.random(200), "AGE": rng.integers(20, 70, 200)})
    y = (rng.random(200) < X["util"]).astype(int)
    with pytest.raises(ProtectedFeatureError):
        BoostingModel(cv=0, n_estimators=5).fit(X, y)
    with pytest.raises(ProtectedFeatureError):
        assert_no_protected(["x", "sex"])


def test_taiwan_features_never_read_protected_columns() -> None:
    """The Taiwan features are computed without SEX/AGE/MARRIAGE/EDUCATION present."""
    rng = np.random.default_rng(1)
    n = 50
    frame = pd.DataFrame({c: rng.integers(-2, 3, n) for c in TAIWAN_RAW})
    frame["LIMIT_BAL"] = rng.integers(10_000, 500_000, n)
    feats = taiwan_features(frame)
    assert len(feats) == n
    assert not any(is_protected(c) for c in feats.columns)
    assert (feats["max_delay"] >= feats["delay_1"]).all()
    assert set(monotone_map(list(feats.columns)).values()) == {1}
    with pytest.raises(SchemaError):
        taiwan_features(frame.drop(columns=["PAY_0"]))
