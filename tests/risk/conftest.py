"""Shared fixtures: the Taiwan table, its committed split and models fitted once per session."""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from accord.risk.boosting import BoostingModel
from accord.risk.features import TAIWAN_TARGET, taiwan_features
from accord.risk.scorecard import ScorecardModel
from accord.services.risk_data import load_taiwan, taiwan_split


@dataclass(frozen=True)
class Taiwan:
    raw: pd.DataFrame
    X_train: pd.DataFrame
    y_train: np.ndarray
    X_test: pd.DataFrame
    y_test: np.ndarray
    raw_test: pd.DataFrame


@pytest.fixture(scope="session")
def taiwan() -> Taiwan:
    raw = load_taiwan()
    part = taiwan_split().loc[raw.index]
    X = taiwan_features(raw)
    y = raw[TAIWAN_TARGET].to_numpy()
    tr = (part == "train").to_numpy()
    return Taiwan(raw, X[tr], y[tr], X[~tr], y[~tr], raw[~tr])


@pytest.fixture(scope="session")
def taiwan_boosting(taiwan: Taiwan) -> BoostingModel:
    return BoostingModel(random_state=42).fit(taiwan.X_train, taiwan.y_train)


@pytest.fixture(scope="session")
def taiwan_scorecard(taiwan: Taiwan) -> ScorecardModel:
    return ScorecardModel().fit(taiwan.X_train, taiwan.y_train)
