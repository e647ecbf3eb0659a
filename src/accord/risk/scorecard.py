"""Points scorecard: optimal binning, weight of evidence, logistic regression, points scaling.

:class:`ScorecardModel` composes OptBinning's ``BinningProcess`` (used only during ``fit``) with
scikit-learn's ``LogisticRegression`` on WoE values. The fitted binning is exported at once to
plain tables (:class:`FeatureTable`: split points or category groups, WoE and points per bin) and
every prediction goes through those tables, so a scorecard reloaded from JSON scores exactly like
the one just fitted. Points follow the usual scaling: 600 points at good:bad odds of 50:1 and 20
points to double the odds, i.e. ``score = offset + factor * ln(odds_good)`` with
``factor = 20 / ln 2`` and ``offset = 600 - factor * ln 50``. WoE is OptBinning's convention,
``ln(share of goods / share of bads)``: positive values are safer. Missing values (and unseen
categories, which encode as missing) take the missing bin's WoE, or 0 if training had none.
"""

# ruff: noqa: N803, N806 - scikit-learn's convention names the feature matrix X

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from optbinning import BinningProcess
from sklearn.linear_model import LogisticRegression

from accord.risk._base import RiskClassifierBase
from accord.risk.features import MONOTONE_INCREASING, PROTECTED

BASE_POINTS: Final = 600.0
BASE_ODDS: Final = 50.0
PDO: Final = 20.0
FACTOR: Final = PDO / math.log(2.0)
OFFSET: Final = BASE_POINTS - FACTOR * math.log(BASE_ODDS)


def points_from_probability(p: np.ndarray) -> np.ndarray:
    """Score points for probabilities of default ``p`` (600 at 50:1 good:bad, 20 PDO)."""
    pa = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    points: np.ndarray = OFFSET + FACTOR * np.log((1.0 - pa) / pa)
    return points


def probability_from_points(score: np.ndarray) -> np.ndarray:
    """Inverse of :func:`points_from_probability`."""
    s = np.asarray(score, dtype=float)
    return 1.0 / (1.0 + np.exp((s - OFFSET) / FACTOR))


@dataclass(frozen=True, slots=True)
class FeatureTable:
    """One feature's binning and points. Numerical bins are ``[splits[i-1], splits[i])``;
    categorical bins are groups of category codes. ``woe``/``points`` have one entry per bin."""

    name: str
    kind: str
    splits: tuple[float, ...]
    groups: tuple[tuple[float, ...], ...]
    labels: tuple[str, ...]
    woe: tuple[float, ...]
    woe_missing: float
    coef: float
    counts: tuple[int, ...]
    event_rates: tuple[float, ...]

    def bin_index(self, x: np.ndarray) -> np.ndarray:
        """Bin of each value; ``-1`` for missing (NaN) and for codes in no group."""
        idx = np.full(x.shape, -1, dtype=int)
        ok = ~np.isnan(x)
        if self.kind == "numerical":
            idx[ok] = np.searchsorted(np.asarray(self.splits), x[ok], side="right")
        else:
            for i, group in enumerate(self.groups):
                idx[ok & np.isin(x, np.asarray(group))] = i
        return idx

    def woe_of(self, x: np.ndarray) -> np.ndarray:
        """WoE of each value (missing bin's WoE for -1)."""
        table = np.asarray((*self.woe, self.woe_missing), dtype=float)
        woe: np.ndarray = table[self.bin_index(x)]
        return woe

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation."""
        return {
            "name": self.name,
            "kind": self.kind,
            "splits": list(self.splits),
            "groups": [list(g) for g in self.groups],
            "labels": list(self.labels),
            "woe": list(self.woe),
            "woe_missing": self.woe_missing,
            "coef": self.coef,
            "counts": list(self.counts),
            "event_rates": list(self.event_rates),
            "points": [-FACTOR * self.coef * w for w in self.woe],
            "points_missing": -FACTOR * self.coef * self.woe_missing,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureTable:
        """Inverse of :meth:`to_dict` (points are derived, not read)."""
        return cls(
            name=str(d["name"]),
            kind=str(d["kind"]),
            splits=tuple(float(v) for v in d["splits"]),
            groups=tuple(tuple(float(v) for v in g) for g in d["groups"]),
            labels=tuple(str(v) for v in d["labels"]),
            woe=tuple(float(v) for v in d["woe"]),
            woe_missing=float(d["woe_missing"]),
            coef=float(d["coef"]),
            counts=tuple(int(v) for v in d["counts"]),
            event_rates=tuple(float(v) for v in d["event_rates"]),
        )


def _table_from_optbinning(name: str, ob: Any, coef: float) -> FeatureTable:
    """Export one fitted ``OptimalBinning`` to a :class:`FeatureTable`."""
    bt = ob.binning_table.build()
    body = bt.iloc[:-1]  # drop Totals
    regular = body[~body["Bin"].astype(str).isin(["Special", "Missing"])]
    missing = body[body["Bin"].astype(str) == "Missing"]
    miss_count = int(missing["Count"].iloc[0]) if len(missing) else 0
    kind = "categorical" if ob.dtype == "categorical" else "numerical"
    splits: tuple[float, ...] = ()
    groups: tuple[tuple[float, ...], ...] = ()
    if kind == "numerical":
        splits = tuple(float(s) for s in ob.splits)
    else:
        groups = tuple(tuple(float(v) for v in np.asarray(g, dtype=float)) for g in ob.splits)
    return FeatureTable(
        name=name,
        kind=kind,
        splits=splits,
        groups=groups,
        labels=tuple(str(b) for b in regular["Bin"]),
        woe=tuple(float(w) for w in regular["WoE"]),
        woe_missing=float(missing["WoE"].iloc[0]) if miss_count > 0 else 0.0,
        coef=coef,
        counts=tuple(int(c) for c in regular["Count"]),
        event_rates=tuple(float(r) for r in regular["Event rate"]),
    )


class ScorecardModel(RiskClassifierBase):
    """WoE logistic-regression scorecard scaled to points (see module docstring).

    ``C`` is the inverse L2 strength of the logistic regression; ``min_bin_size`` the smallest
    bin as a share of rows; ``max_n_bins`` caps bins per feature; features in the domain's
    monotone list (``monotone="auto"``) get an ascending event-rate trend, others ``auto_asc_desc``
    style shapes chosen by OptBinning's ``"auto"`` heuristic.
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        min_bin_size: float = 0.03,
        max_n_bins: int = 10,
        monotone: str | None = "auto",
        categorical: Sequence[str] | None = None,
        protected: Sequence[str] | None = PROTECTED,
    ) -> None:
        self.C = C
        self.min_bin_size = min_bin_size
        self.max_n_bins = max_n_bins
        self.monotone = monotone
        self.categorical = categorical
        self.protected = protected

    def fit(self, X: Any, y: Any) -> ScorecardModel:
        """Bin every feature, fit the logistic regression on WoE and export the tables."""
        Xa, yb = self._validate_fit(X, y)
        return self._fit_arrays(Xa, yb)

    def _fit_arrays(self, Xa: np.ndarray, yb: np.ndarray) -> ScorecardModel:
        """Fit on an encoded float matrix and 0/1 labels (metadata already set)."""
        names = self.feature_names_
        cats = [n for n in names if n in self.categories_]
        fit_params = {}
        if self.monotone == "auto":
            fit_params = {
                n: {"monotonic_trend": "ascending"} for n in names if n in MONOTONE_INCREASING
            }
        bp = BinningProcess(
            variable_names=list(names),
            categorical_variables=cats or None,
            min_bin_size=self.min_bin_size,
            max_n_bins=self.max_n_bins,
            binning_fit_params=fit_params or None,
        )
        frame = pd.DataFrame(Xa, columns=names)
        for n in cats:
            frame[n] = frame[n].astype(object)
        with warnings.catch_warnings():
            # OptBinning's own use of pandas/numpy raises deprecation and degenerate-data
            # warnings that are not ours to fix; silence them only for its frames.
            warnings.filterwarnings("ignore", module=r"optbinning(\..*)?$")
            bp.fit(frame, yb)
            tables = [_table_from_optbinning(n, bp.get_binned_variable(n), 0.0) for n in names]
        woe = np.column_stack([t.woe_of(Xa[:, j]) for j, t in enumerate(tables)])
        lr = LogisticRegression(C=self.C, max_iter=2000)
        lr.fit(woe, yb)
        self.tables_ = tuple(
            FeatureTable.from_dict({**t.to_dict(), "coef": float(c)})
            for t, c in zip(tables, lr.coef_[0], strict=True)
        )
        self.intercept_ = float(lr.intercept_[0])
        return self

    def _logit(self, Xa: np.ndarray) -> np.ndarray:
        z = np.full(Xa.shape[0], self.intercept_)
        for j, t in enumerate(self.tables_):
            z += t.coef * t.woe_of(Xa[:, j])
        return z

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        p: np.ndarray = 1.0 / (1.0 + np.exp(-self._logit(X)))
        return p

    def score_points(self, X: Any) -> np.ndarray:
        """Total points per row (higher = safer); equals ``points_from_probability(p)``."""
        return OFFSET - FACTOR * self._logit(self._validate_predict(X))

    def explain(self, X: Any) -> np.ndarray:
        """Log-odds each feature adds relative to its best bin (>= 0; points lost / factor)."""
        Xa = self._validate_predict(X)
        out = np.empty(Xa.shape, dtype=float)
        for j, t in enumerate(self.tables_):
            values = t.coef * np.asarray((*t.woe, t.woe_missing), dtype=float)
            out[:, j] = t.coef * t.woe_of(Xa[:, j]) - values.min()
        return out

    def points_table(self) -> list[dict[str, Any]]:
        """The scorecard as rows (feature, bin, WoE, points); intercept points spread evenly.

        Categorical bins are shown by their category names. Summing the points of the bins a
        row falls in, plus :data:`OFFSET`, gives :meth:`score_points`.
        """
        share = -FACTOR * self.intercept_ / max(1, len(self.tables_))
        rows: list[dict[str, Any]] = []
        for t in self.tables_:
            d = t.to_dict()
            labels = d["labels"]
            if t.kind == "categorical" and t.name in self.categories_:
                names = self.categories_[t.name]
                labels = [", ".join(names[int(c)] for c in group) for group in t.groups]
            for label, w, pts in zip(labels, d["woe"], d["points"], strict=True):
                rows.append({"feature": t.name, "bin": label, "woe": w, "points": pts + share})
            rows.append(
                {
                    "feature": t.name,
                    "bin": "Missing",
                    "woe": t.woe_missing,
                    "points": d["points_missing"] + share,
                }
            )
        return rows
