"""Probability calibration of a model margin (log-odds), chosen on held-out predictions.

A :class:`Calibrator` maps a raw margin to a probability: ``none`` is the logistic function,
``sigmoid`` is Platt scaling ``1 / (1 + exp(-(a * m + b)))`` and ``isotonic`` is a monotone step
function stored as interpolation knots. All three serialise to a small JSON dict.
:func:`choose_calibration` picks the method with the lowest Brier score (log-loss breaks ties)
under a two-fold cross-fit *within* the held-out predictions, so that isotonic regression is not
scored on the very points it memorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss
from sklearn.model_selection import StratifiedKFold

METHODS: Final = ("none", "sigmoid", "isotonic")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function."""
    out: np.ndarray = np.exp(-np.logaddexp(0.0, -z))
    return out


@dataclass(frozen=True, slots=True)
class Calibrator:
    """A fitted margin-to-probability map; ``params`` holds plain floats (JSON-ready)."""

    method: str
    a: float = 1.0
    b: float = 0.0
    knots_x: tuple[float, ...] = ()
    knots_y: tuple[float, ...] = ()

    def apply(self, margin: np.ndarray) -> np.ndarray:
        """Probability for each margin value."""
        m = np.asarray(margin, dtype=float)
        if self.method == "isotonic":
            out: np.ndarray = np.interp(m, np.asarray(self.knots_x), np.asarray(self.knots_y))
            return out
        return _sigmoid(self.a * m + self.b)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation."""
        return {
            "method": self.method,
            "a": self.a,
            "b": self.b,
            "knots_x": list(self.knots_x),
            "knots_y": list(self.knots_y),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Calibrator:
        """Inverse of :meth:`to_dict`; rejects unknown methods."""
        if d["method"] not in METHODS:
            raise ValueError(f"unknown calibration method {d['method']!r}")
        return cls(
            method=d["method"],
            a=float(d["a"]),
            b=float(d["b"]),
            knots_x=tuple(float(v) for v in d["knots_x"]),
            knots_y=tuple(float(v) for v in d["knots_y"]),
        )


def fit_calibrator(method: str, margin: np.ndarray, y: np.ndarray) -> Calibrator:
    """Fit a calibrator of ``method`` mapping ``margin`` to P(y = 1)."""
    m = np.asarray(margin, dtype=float)
    if method == "none":
        return Calibrator("none")
    if method == "sigmoid":
        lr = LogisticRegression(C=1e6, max_iter=1000)
        lr.fit(m.reshape(-1, 1), y)
        return Calibrator("sigmoid", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(m, y)
        return Calibrator(
            "isotonic",
            knots_x=tuple(float(v) for v in iso.X_thresholds_),
            knots_y=tuple(float(v) for v in iso.y_thresholds_),
        )
    raise ValueError(f"unknown calibration method {method!r}")


def choose_calibration(
    margin: np.ndarray, y: np.ndarray, *, methods: tuple[str, ...] = METHODS, seed: int = 0
) -> tuple[Calibrator, dict[str, dict[str, float]]]:
    """Pick the calibration with the best cross-fitted Brier score on held-out ``margin``.

    Returns the chosen calibrator, refitted on all of ``margin``, and the per-method scores.
    With too few examples of a class for two folds, returns the identity (``none``).
    """
    m = np.asarray(margin, dtype=float)
    ya = np.asarray(y).astype(int)
    if np.bincount(ya, minlength=2).min() < 4:
        return Calibrator("none"), {}
    folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=seed)
    scores: dict[str, dict[str, float]] = {}
    for method in methods:
        p = np.empty_like(m)
        for fit_idx, test_idx in folds.split(m, ya):
            p[test_idx] = fit_calibrator(method, m[fit_idx], ya[fit_idx]).apply(m[test_idx])
        p = np.clip(p, 1e-6, 1 - 1e-6)
        scores[method] = {
            "brier": float(brier_score_loss(ya, p)),
            "log_loss": float(log_loss(ya, p, labels=[0, 1])),
        }
    # ties (to 1e-5) resolve to the simplest method, in the order of ``methods``
    best = min(methods, key=lambda k: (round(scores[k]["brier"], 5), scores[k]["log_loss"]))
    return fit_calibrator(best, m, ya), scores
