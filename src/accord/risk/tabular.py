"""The generic one-table-per-applicant path: prepare, fit, evaluate and cross-validate.

Books that arrive as a single table (one row per applicant, a binary target column) go through
the same steps without per-dataset tuning: :func:`prepare_table` drops the id, excluded and
protected columns, identifier-like text columns and constant columns, and maps the target to
0/1 (:func:`binary_target`); categorical (text) columns are handled natively by both models and
missing values get their own branch/bin. Class imbalance needs no resampling: folds are
stratified, the models rank regardless of the base rate, and probabilities are calibrated to it.
The model recipe depends only on the table's size (:func:`make_model`). File reading and artifact
locations are the services layer's business; everything here works on a pandas DataFrame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from accord.risk import metrics
from accord.risk._base import RiskClassifierBase
from accord.risk.blend import BlendModel
from accord.risk.boosting import BoostingModel
from accord.risk.errors import SchemaError
from accord.risk.features import PROTECTED, is_protected
from accord.risk.scorecard import ScorecardModel

KINDS: Final = ("blend", "boosting", "scorecard")
#: Two-value vocabularies whose "bad" member is unambiguous (lower-cased).
_PAIRS: Final = (
    ({"0", "1"}, "1"),
    ({"0.0", "1.0"}, "1.0"),
    ({"false", "true"}, "true"),
    ({"no", "yes"}, "yes"),
    ({"n", "y"}, "y"),
    ({"good", "bad"}, "bad"),
)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """How a table maps to model inputs: what was used, what was dropped and why."""

    target: str
    positive: str
    features: tuple[str, ...]
    id_col: str | None = None
    dropped: tuple[tuple[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored in the artifact's metadata."""
        return {
            "target": self.target,
            "positive": self.positive,
            "features": list(self.features),
            "id_col": self.id_col,
            "dropped": [list(d) for d in self.dropped],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TableSpec:
        """Inverse of :meth:`to_dict`."""
        return cls(
            target=d["target"],
            positive=d["positive"],
            features=tuple(d["features"]),
            id_col=d.get("id_col"),
            dropped=tuple((a, b) for a, b in d.get("dropped", [])),
        )


def binary_target(series: pd.Series, positive: str | None = None) -> tuple[np.ndarray, str]:
    """Map a two-valued target to 0/1; returns (labels, the positive value as text).

    The positive ("bad") class is ``positive`` if given; else the 1 of 0/1, true, yes, or bad
    of good/bad; else the minority class (bads are the rarer class in every credit book we know,
    e.g. German credit's ``2``). Missing targets are refused.
    """
    if series.isna().any():
        raise SchemaError(f"target {series.name!r} has {int(series.isna().sum())} missing values")
    text = series.astype(str).str.strip()
    values = sorted(text.unique())
    if len(values) != 2:
        raise SchemaError(f"target {series.name!r} must have 2 distinct values, has {values[:10]}")
    if positive is None:
        lowered = {v.lower(): v for v in values}
        marked = [lowered[bad] for pair, bad in _PAIRS if set(lowered) == pair]
        if marked:
            positive = marked[0]
        else:
            counts = text.value_counts()
            positive = str(counts.index[-1]) if counts.iloc[0] != counts.iloc[-1] else values[-1]
    if positive not in values:
        raise SchemaError(f"positive value {positive!r} not among target values {values}")
    return (text == positive).to_numpy().astype(int), positive


def prepare_table(
    frame: pd.DataFrame,
    target: str,
    *,
    id_col: str | None = None,
    exclude: Iterable[str] = (),
    protected: Sequence[str] = PROTECTED,
    protected_columns: Iterable[str] = (),
    positive: str | None = None,
) -> tuple[pd.DataFrame, np.ndarray, TableSpec]:
    """Split ``frame`` into features ``X``, 0/1 target ``y`` and the :class:`TableSpec` used.

    Columns whose names match ``protected`` words, and the ``protected_columns`` named
    explicitly (for header-less files whose names say nothing), are dropped as "protected":
    never features, but available to the fairness audit.
    """
    protected_columns = tuple(protected_columns)
    for col in (target, id_col, *exclude, *protected_columns):
        if col is not None and col not in frame.columns:
            raise SchemaError(f"column {col!r} not in table; columns are {list(frame.columns)}")
    y, pos = binary_target(frame[target], positive)
    excluded = set(exclude)
    dropped: list[tuple[str, str]] = []
    features: list[str] = []
    for col in frame.columns:
        name = str(col)
        if name in (target, id_col):
            continue
        s = frame[col]
        if name in excluded:
            dropped.append((name, "excluded"))
        elif name in protected_columns or is_protected(name, protected):
            dropped.append((name, "protected"))
        elif s.isna().all() or s.nunique(dropna=True) <= 1:
            dropped.append((name, "constant"))
        elif not pd.api.types.is_numeric_dtype(s) and s.nunique() > max(50, 0.5 * len(s)):
            dropped.append((name, "identifier-like"))
        else:
            features.append(name)
    if not features:
        raise SchemaError("no usable feature columns remain")
    spec = TableSpec(target, pos, tuple(features), id_col, tuple(dropped))
    return features_of(frame, spec), y, spec


def features_of(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The feature columns of ``frame`` named by ``spec`` (bool columns as text categories)."""
    missing = [c for c in spec.features if c not in frame.columns]
    if missing:
        raise SchemaError(f"table lacks feature columns the model needs: {missing}")
    X = frame[list(spec.features)].copy()  # noqa: N806
    for col in X.columns:
        if pd.api.types.is_bool_dtype(X[col]):
            X[col] = X[col].astype(str)
    return X


def make_model(kind: str, n_rows: int, seed: int = 0) -> RiskClassifierBase:
    """The model recipe for a table of ``n_rows``: slower, shallower boosting on small books."""
    small = n_rows < 5000
    boosting = BoostingModel(
        learning_rate=0.02 if small else 0.04,
        num_leaves=7 if small else 15,
        n_estimators=800 if small else 400,
        random_state=seed,
    )
    if kind == "boosting":
        return boosting
    if kind == "scorecard":
        return ScorecardModel()
    if kind == "blend":
        return BlendModel(boosting=boosting, scorecard=ScorecardModel())
    raise ValueError(f"unknown model kind {kind!r}; use one of {KINDS}")


def fit_frame(
    X: pd.DataFrame,  # noqa: N803
    y: np.ndarray,
    *,
    kind: str = "blend",
    seed: int = 0,
) -> RiskClassifierBase:
    """Fit the recipe for ``kind`` on prepared features and labels."""
    model = make_model(kind, len(y), seed)
    model.fit(X, y)
    return model


def evaluate_frame(model: RiskClassifierBase, X: pd.DataFrame, y: np.ndarray) -> dict[str, Any]:  # noqa: N803
    """Full metrics (summary, calibration, gains, score distribution) of ``model`` on (X, y)."""
    p = model.predict_proba(X)[:, 1]
    from accord.risk.scorecard import points_from_probability

    return metrics.evaluate(y, p, scores=points_from_probability(p))


def cross_validate(
    X: pd.DataFrame,  # noqa: N803
    y: np.ndarray,
    *,
    kind: str = "blend",
    folds: int = 5,
    seed: int = 0,
    template: RiskClassifierBase | None = None,
) -> dict[str, Any]:
    """Stratified ``folds``-fold cross-validation; per-fold summaries plus mean and std.

    ``template`` (an unfitted estimator, e.g. a loaded model's recipe) overrides ``kind``.
    """
    return cross_validate_predictions(X, y, kind=kind, folds=folds, seed=seed, template=template)[0]


def cross_validate_predictions(
    X: pd.DataFrame,  # noqa: N803
    y: np.ndarray,
    *,
    kind: str = "blend",
    folds: int = 5,
    seed: int = 0,
    template: RiskClassifierBase | None = None,
) -> tuple[dict[str, Any], np.ndarray]:
    """:func:`cross_validate` plus the out-of-fold predicted probabilities (for reports)."""
    if folds < 2:
        raise ValueError("folds must be at least 2")
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    per_fold = []
    oof = np.full(len(y), np.nan)
    for tr, te in splitter.split(X, y):
        model = clone(template) if template is not None else make_model(kind, len(tr), seed)
        model.fit(X.iloc[tr], y[tr])
        oof[te] = model.predict_proba(X.iloc[te])[:, 1]
        per_fold.append(metrics.summary(y[te], oof[te]))
    keys = ("auc", "gini", "ks", "brier", "log_loss", "ece")
    result = {
        "folds": folds,
        "seed": seed,
        "per_fold": per_fold,
        "mean": {k: float(np.mean([f[k] for f in per_fold])) for k in keys},
        "std": {k: float(np.std([f[k] for f in per_fold])) for k in keys},
    }
    return result, oof
