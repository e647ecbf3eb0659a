"""Discrimination and calibration metrics for binary risk models.

All functions take ``y`` (1 = default/bad, 0 = good) and ``p`` (predicted probability of 1) as
array-likes and return plain Python values or small tables (lists of dicts), so that results drop
straight into JSON. KS is the maximum distance between the score distributions of bads and goods;
Gini is ``2 * AUC - 1``; the lift/gains table sorts by descending risk into equal-count bands.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve

from accord.risk.errors import SchemaError


def _arrays(y: ArrayLike, p: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert to (int labels, float probabilities)."""
    ya = np.asarray(y).astype(int).ravel()
    pa = np.asarray(p, dtype=float).ravel()
    if ya.shape != pa.shape:
        raise SchemaError(f"y and p differ in length: {ya.shape} vs {pa.shape}")
    if not set(np.unique(ya)) <= {0, 1}:
        raise SchemaError("y must hold only 0 and 1")
    if len(np.unique(ya)) < 2:
        raise SchemaError("y must hold both classes to compute discrimination metrics")
    return ya, pa


def ks_statistic(y: ArrayLike, p: ArrayLike) -> float:
    """Kolmogorov-Smirnov statistic: max over thresholds of TPR - FPR."""
    ya, pa = _arrays(y, p)
    fpr, tpr, _ = roc_curve(ya, pa)
    return float(np.max(tpr - fpr))


def calibration_table(y: ArrayLike, p: ArrayLike, bins: int = 10) -> list[dict[str, float]]:
    """Reliability table over ``bins`` equal-count bins of predicted probability.

    Each row gives the bin's mean prediction, observed default rate and count; a well-calibrated
    model has ``mean_predicted`` close to ``observed_rate`` in every row.
    """
    ya, pa = _arrays(y, p)
    order = np.argsort(pa, kind="stable")
    rows = []
    for chunk in np.array_split(order, bins):
        if len(chunk) == 0:
            continue
        rows.append(
            {
                "mean_predicted": float(pa[chunk].mean()),
                "observed_rate": float(ya[chunk].mean()),
                "count": len(chunk),
            }
        )
    return rows


def expected_calibration_error(y: ArrayLike, p: ArrayLike, bins: int = 10) -> float:
    """Count-weighted mean absolute gap between predicted and observed rates per bin."""
    rows = calibration_table(y, p, bins)
    total = sum(r["count"] for r in rows)
    return float(
        sum(r["count"] * abs(r["mean_predicted"] - r["observed_rate"]) for r in rows) / total
    )


def gains_table(y: ArrayLike, p: ArrayLike, bands: int = 10) -> list[dict[str, float]]:
    """Lift/gains table: equal-count bands from riskiest to safest.

    Per band: count, bads, bad rate, cumulative share of bads captured (gains), lift (band bad
    rate over the overall bad rate) and cumulative lift.
    """
    ya, pa = _arrays(y, p)
    order = np.argsort(-pa, kind="stable")
    base = ya.mean()
    total_bad = ya.sum()
    rows = []
    cum_bad = 0
    cum_n = 0
    for i, chunk in enumerate(np.array_split(order, bands), start=1):
        bad = int(ya[chunk].sum())
        n = len(chunk)
        cum_bad += bad
        cum_n += n
        rows.append(
            {
                "band": i,
                "count": n,
                "bads": bad,
                "min_p": float(pa[chunk].min()),
                "max_p": float(pa[chunk].max()),
                "bad_rate": bad / n,
                "cum_gain": cum_bad / total_bad,
                "lift": (bad / n) / base,
                "cum_lift": (cum_bad / cum_n) / base,
            }
        )
    return rows


def score_distribution(scores: ArrayLike, y: ArrayLike, bins: int = 20) -> dict[str, list[float]]:
    """Histogram of ``scores`` for goods and bads over shared bin edges (counts per bin)."""
    s = np.asarray(scores, dtype=float)
    ya = np.asarray(y).astype(int)
    edges = np.histogram_bin_edges(s, bins=bins)
    good, _ = np.histogram(s[ya == 0], edges)
    bad, _ = np.histogram(s[ya == 1], edges)
    return {"edges": edges.tolist(), "good": good.tolist(), "bad": bad.tolist()}


def summary(y: ArrayLike, p: ArrayLike) -> dict[str, Any]:
    """The headline metrics: n, bad rate, AUC, Gini, KS, Brier, log-loss and ECE."""
    ya, pa = _arrays(y, p)
    auc = float(roc_auc_score(ya, pa))
    return {
        "n": len(ya),
        "bad_rate": float(ya.mean()),
        "auc": auc,
        "gini": 2 * auc - 1,
        "ks": ks_statistic(ya, pa),
        "brier": float(brier_score_loss(ya, pa)),
        "log_loss": float(log_loss(ya, np.clip(pa, 1e-15, 1 - 1e-15), labels=[0, 1])),
        "ece": expected_calibration_error(ya, pa),
    }


def evaluate(y: ArrayLike, p: ArrayLike, scores: ArrayLike | None = None) -> dict[str, Any]:
    """Full evaluation: :func:`summary` plus calibration, gains and score-distribution tables."""
    out = summary(y, p)
    out["calibration"] = calibration_table(y, p)
    out["gains"] = gains_table(y, p)
    if scores is not None:
        out["score_distribution"] = score_distribution(scores, y)
    return out
