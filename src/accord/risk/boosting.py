"""Gradient-boosted PD model (LightGBM) with monotone constraints and chosen calibration.

:class:`BoostingModel` is a scikit-learn classifier. ``fit`` runs a stratified ``cv``-fold
cross-fit: each fold trains with early stopping on its held-out part, giving out-of-fold margins
and a best iteration count. The final booster is trained on all rows for the mean best iteration,
and the calibration (none / sigmoid / isotonic) is chosen and fitted on the out-of-fold margins,
so no row is ever calibrated on its own training prediction. Features named in the domain's
monotone list (delays, months delinquent) are constrained so more delinquency never lowers risk.
``explain`` returns per-feature contributions to the log-odds (TreeSHAP, LightGBM's
``pred_contrib``); positive values push the probability of default up.
"""

# ruff: noqa: N803, N806 - scikit-learn's convention names the feature matrix X

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from accord.risk import tree_paths
from accord.risk._base import RiskClassifierBase
from accord.risk.calibration import METHODS, Calibrator, choose_calibration, fit_calibrator
from accord.risk.features import PROTECTED, monotone_map
from accord.risk.tree_paths import PathTables


class BoostingModel(RiskClassifierBase):
    """LightGBM binary classifier with cross-fitted early stopping and calibration.

    Parameters are the usual LightGBM ones (kept small by default: one thread, because
    OpenMP threads spin-wait badly on a shared 2-core machine under ``pytest -n 2``; at most
    ``n_estimators`` trees), plus ``monotone`` (``"auto"`` uses the domain list in
    :mod:`accord.risk.features`; or a mapping feature name -> +1/-1; or ``None``),
    ``calibration`` (``"auto"`` chooses on out-of-fold data, or one of none/sigmoid/isotonic),
    ``cv`` (folds for the cross-fit; below 2 or with too little data, no early stopping and no
    calibration) and ``protected`` (a DataFrame holding any of these attribute names is refused).
    """

    def __init__(
        self,
        *,
        n_estimators: int = 400,
        learning_rate: float = 0.04,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 1.0,
        monotone: str | Mapping[str, int] | None = "auto",
        calibration: str = "auto",
        cv: int = 3,
        early_stopping_rounds: int = 50,
        categorical: Sequence[str] | None = None,
        protected: Sequence[str] | None = PROTECTED,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.monotone = monotone
        self.calibration = calibration
        self.cv = cv
        self.early_stopping_rounds = early_stopping_rounds
        self.categorical = categorical
        self.protected = protected
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _params(self, n_rows: int) -> dict[str, Any]:
        """LightGBM parameters; leaf size shrinks on tiny data so the model can still split."""
        if self.calibration not in ("auto", *METHODS):
            raise ValueError(f"calibration must be 'auto' or one of {METHODS}")
        mono = self._monotone_vector()
        params: dict[str, Any] = {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": max(1, min(self.min_child_samples, n_rows // 10)),
            "min_sum_hessian_in_leaf": 1e-3,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1 if self.subsample < 1.0 else 0,
            "feature_fraction": self.colsample_bytree,
            "lambda_l2": self.reg_lambda,
            "seed": self.random_state,
            "num_threads": self.n_jobs,
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }
        if any(mono):
            params["monotone_constraints"] = mono
            params["monotone_constraints_method"] = "basic"
        return params

    def _monotone_vector(self) -> list[int]:
        """Constraint per feature position (0 = free)."""
        if self.monotone is None:
            return [0] * len(self.feature_names_)
        m = monotone_map(self.feature_names_) if self.monotone == "auto" else self.monotone
        if not isinstance(m, Mapping):
            raise ValueError("monotone must be 'auto', a mapping or None")
        return [int(m.get(f, 0)) for f in self.feature_names_]

    def _dataset(self, X: np.ndarray, y: np.ndarray, ref: lgb.Dataset | None = None) -> lgb.Dataset:
        cats = [i for i, f in enumerate(self.feature_names_) if f in self.categories_]
        return lgb.Dataset(
            X,
            label=y,
            feature_name=[f"f{i}" for i in range(X.shape[1])],
            categorical_feature=cats,
            reference=ref,
            free_raw_data=True,
            params={"verbose": -1, "min_data_in_bin": 1, "max_bin": 255},
        )

    def fit(self, X: Any, y: Any) -> BoostingModel:
        """Fit on ``X`` (array or DataFrame) and binary ``y``; returns ``self``."""
        Xa, yb = self._validate_fit(X, y)
        return self._fit_arrays(Xa, yb)

    def _fit_arrays(self, Xa: np.ndarray, yb: np.ndarray) -> BoostingModel:
        """Fit on an encoded float matrix and 0/1 labels (metadata already set)."""
        params = self._params(len(yb))
        counts = np.bincount(yb, minlength=2)
        oof = np.full(len(yb), np.nan)
        rounds = self.n_estimators
        cv_ok = self.cv >= 2 and counts.min() >= max(self.cv, 10)
        if cv_ok:
            best: list[int] = []
            folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
            for tr, va in folds.split(Xa, yb):
                dtr = self._dataset(Xa[tr], yb[tr])
                dva = self._dataset(Xa[va], yb[va], ref=dtr)
                booster = lgb.train(
                    params,
                    dtr,
                    num_boost_round=self.n_estimators,
                    valid_sets=[dva],
                    callbacks=[lgb.early_stopping(self.early_stopping_rounds, verbose=False)],
                )
                best.append(booster.best_iteration or self.n_estimators)
                oof[va] = booster.predict(Xa[va], raw_score=True, num_iteration=best[-1])
            rounds = max(1, round(float(np.mean(best))))
        self.booster_ = lgb.train(params, self._dataset(Xa, yb), num_boost_round=rounds)
        self._paths: PathTables | None = None  # attribution tables, built on first use
        self.n_iter_ = rounds
        self.calibration_scores_: dict[str, dict[str, float]] = {}
        if not cv_ok or self.calibration == "none":
            self.calibrator_ = Calibrator("none")
        elif self.calibration == "auto":
            self.calibrator_, self.calibration_scores_ = choose_calibration(
                oof, yb, seed=self.random_state
            )
        else:
            self.calibrator_ = fit_calibrator(self.calibration, oof, yb)
        return self

    def _margin(self, Xa: np.ndarray) -> np.ndarray:
        return np.asarray(self.booster_.predict(Xa, raw_score=True), dtype=float)

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        return self.calibrator_.apply(self._margin(X))

    def explain(self, X: Any, method: str = "shap") -> np.ndarray:
        """Per-feature contributions to the log-odds of default, shape (n, n_features).

        ``method="shap"`` is exact TreeSHAP; ``"path"`` is the decision-path decomposition of
        :mod:`accord.risk.tree_paths`, many times faster and meant for whole-portfolio reasons.
        """
        Xa = self._validate_predict(X)
        if method == "path":
            return self._score_and_explain(Xa)[1]
        if method != "shap":
            raise ValueError("method must be 'shap' or 'path'")
        contrib = np.asarray(self.booster_.predict(Xa, pred_contrib=True), dtype=float)
        out: np.ndarray = contrib[:, :-1]
        return out

    def score_and_explain(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated PD and path attributions in one pass over the trees (batch scoring)."""
        return self._score_and_explain(self._validate_predict(X))

    def _score_and_explain(self, Xa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tables = getattr(self, "_paths", None)
        if tables is None:
            tables = PathTables.from_booster(self.booster_)
            self._paths = tables
        # block by block: bounds the memory of LightGBM's leaf-index output (a float64 per row
        # and tree) and of the sparse product, and lets their index buffers be reused
        out = np.empty((len(Xa), tables.table.shape[1]))
        block = tree_paths.BLOCK
        for lo in range(0, len(Xa), block):
            leaves = np.asarray(self.booster_.predict(Xa[lo : lo + block], pred_leaf=True))
            tables.accumulate(leaves.reshape(-1, len(tables.offset)), out[lo : lo + block])
        margin, contrib = out[:, -1], out[:, :-1]
        return self.calibrator_.apply(margin), contrib

    def score_points(self, X: Any) -> np.ndarray:
        """Calibrated probability expressed on the standard points scale (higher = safer)."""
        from accord.risk.scorecard import points_from_probability

        return points_from_probability(self.predict_proba(X)[:, 1])

    def feature_importance(self) -> dict[str, float]:
        """Total gain per feature name, largest first."""
        check_is_fitted(self, "booster_")
        gains = self.booster_.feature_importance(importance_type="gain")
        pairs = sorted(zip(self.feature_names_, gains, strict=True), key=lambda t: -t[1])
        return {name: float(g) for name, g in pairs}
