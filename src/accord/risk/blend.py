"""Blend of the two models: the mean of the boosting and scorecard probabilities.

On small application books (a few thousand rows) neither model dominates: boosting finds
interactions, the scorecard is steadier. Averaging their calibrated probabilities is a cheap,
tuning-free ensemble, and it is the generic tabular path's default. Explanations average the two
models' log-odds contributions, which are on the same scale.
"""

# ruff: noqa: N803, N806 - scikit-learn's convention names the feature matrix X

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.risk._base import RiskClassifierBase, adopt_encoding
from accord.risk.boosting import BoostingModel
from accord.risk.features import PROTECTED
from accord.risk.scorecard import ScorecardModel, points_from_probability


class BlendModel(RiskClassifierBase):
    """Average of a :class:`BoostingModel` and a :class:`ScorecardModel` fitted on the same data.

    ``boosting`` and ``scorecard`` are unfitted templates (defaults when ``None``); fitted copies
    live in ``boosting_`` and ``scorecard_``.
    """

    def __init__(
        self,
        *,
        boosting: BoostingModel | None = None,
        scorecard: ScorecardModel | None = None,
        categorical: Sequence[str] | None = None,
        protected: Sequence[str] | None = PROTECTED,
    ) -> None:
        self.boosting = boosting
        self.scorecard = scorecard
        self.categorical = categorical
        self.protected = protected

    def fit(self, X: Any, y: Any) -> BlendModel:
        """Fit both members on the same encoded data; returns ``self``."""
        from sklearn.base import clone

        Xa, yb = self._validate_fit(X, y)
        self.boosting_ = clone(self.boosting) if self.boosting is not None else BoostingModel()
        self.scorecard_ = clone(self.scorecard) if self.scorecard is not None else ScorecardModel()
        for member in (self.boosting_, self.scorecard_):
            adopt_encoding(member, self)
            member._fit_arrays(Xa, yb)
        return self

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        pb = self.boosting_._raw_proba(X)
        ps = self.scorecard_._raw_proba(X)
        p: np.ndarray = 0.5 * (pb + ps)
        return p

    def explain(self, X: Any) -> np.ndarray:
        """Mean of the members' log-odds contributions, shape (n, n_features)."""
        Xa = self._validate_predict(X)
        contrib: np.ndarray = 0.5 * (self.boosting_.explain(Xa) + self.scorecard_.explain(Xa))
        return contrib

    def score_points(self, X: Any) -> np.ndarray:
        """Blended probability on the standard points scale (higher = safer)."""
        return points_from_probability(self.predict_proba(X)[:, 1])
