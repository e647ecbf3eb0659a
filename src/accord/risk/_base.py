"""Shared plumbing for the risk estimators: input encoding, label handling and sklearn tags.

Both models accept a NumPy array or a pandas DataFrame. Categorical columns of a DataFrame
(object, string, category or bool dtype, or named in ``categorical``) are encoded to float codes
``0..k-1`` over the sorted categories seen in ``fit``; missing and unseen categories become NaN,
which both models route to a dedicated "missing" branch. The categories are plain strings, so an
artifact stores them as JSON.
"""

# ruff: noqa: N803, N806 - scikit-learn's convention names the feature matrix X

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from accord.risk.errors import SchemaError
from accord.risk.features import PROTECTED, assert_no_protected


def _is_categorical(series: pd.Series) -> bool:
    """True for dtypes that hold labels rather than numbers."""
    return bool(
        isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or pd.api.types.is_bool_dtype(series.dtype)
    )


def _labels(series: pd.Series) -> pd.Series:
    """Category labels as strings, missing kept as NA."""
    return series.astype(object).where(series.notna()).map(lambda v: v if v is None else str(v))


class RiskClassifierBase(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Base for binary risk classifiers: subclasses implement ``_fit`` and ``_raw_proba``."""

    categorical: Sequence[str] | None
    protected: Sequence[str] | None

    def _encode(self, X: Any, *, fit: bool) -> Any:
        """Encode categorical DataFrame columns to float codes (learning categories on ``fit``)."""
        if not isinstance(X, pd.DataFrame):
            if fit:
                self.categories_: dict[str, list[str]] = {}
            return X
        names = [str(c) for c in X.columns]
        if fit:
            chosen = set(self.categorical or ())
            unknown = chosen - set(names)
            if unknown:
                raise SchemaError(f"categorical columns not in data: {sorted(unknown)}")
            cats: dict[str, list[str]] = {}
            for col, name in zip(X.columns, names, strict=True):
                if name in chosen or _is_categorical(X[col]):
                    cats[name] = sorted(_labels(X[col]).dropna().unique().tolist())
            self.categories_ = cats
        out = {}
        for col, name in zip(X.columns, names, strict=True):
            if name in self.categories_:
                lookup = {c: float(i) for i, c in enumerate(self.categories_[name])}
                out[name] = (
                    _labels(X[col]).map(lambda v, lk=lookup: lk.get(v, np.nan)).astype(float)
                )
            else:
                out[name] = X[col]
        return pd.DataFrame(out, index=X.index)

    def _validate_fit(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Validate training data; returns (float matrix, 0/1 labels) and sets fitted metadata."""
        if isinstance(X, pd.DataFrame) and self.protected is not None:
            assert_no_protected([str(c) for c in X.columns], self.protected or PROTECTED)
        Xe = self._encode(X, fit=True)
        Xa, ya = validate_data(self, Xe, y, ensure_all_finite="allow-nan", dtype=np.float64)
        check_classification_targets(ya)
        self.classes_ = np.unique(ya)
        if len(self.classes_) != 2:
            raise ValueError(
                "Only binary classification is supported; "
                f"got {len(self.classes_)} classes: {self.classes_}"
            )
        names = getattr(self, "feature_names_in_", None)
        self.feature_names_ = (
            [str(n) for n in names] if names is not None else [f"x{i}" for i in range(Xa.shape[1])]
        )
        return Xa, (ya == self.classes_[1]).astype(int)

    def _validate_predict(self, X: Any) -> np.ndarray:
        """Validate data at predict time against what ``fit`` saw."""
        check_is_fitted(self, "classes_")
        Xe = self._encode(X, fit=False)
        Xa: np.ndarray = validate_data(
            self, Xe, reset=False, ensure_all_finite="allow-nan", dtype=np.float64
        )
        return Xa

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_arrays(self, Xa: np.ndarray, yb: np.ndarray) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def explain(self, X: Any) -> np.ndarray:  # pragma: no cover - abstract
        """Per-feature contributions to the log-odds of default (positive = adverse)."""
        raise NotImplementedError

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of shape (n, 2): column 1 is the probability of ``classes_[1]`` (bad)."""
        p = np.clip(self._raw_proba(self._validate_predict(X)), 0.0, 1.0)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class labels at the 0.5 probability threshold."""
        p = self.predict_proba(X)[:, 1]
        labels: np.ndarray = self.classes_[(p >= 0.5).astype(int)]
        return labels

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        return tags


def adopt_encoding(member: RiskClassifierBase, owner: RiskClassifierBase) -> None:
    """Give ``member`` the fitted input metadata of ``owner`` so it can take encoded arrays.

    Used by composite models (and artifact loading): the member then validates plain float
    matrices of the owner's width and knows which positions hold categorical codes.
    """
    member.classes_ = np.array([0, 1])
    member.n_features_in_ = owner.n_features_in_
    member.feature_names_ = list(owner.feature_names_)
    member.categories_ = dict(owner.categories_)
