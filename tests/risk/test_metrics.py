"""Metrics against naive reference implementations and invariants."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.risk import metrics
from accord.risk.calibration import Calibrator, choose_calibration, fit_calibrator
from accord.risk.errors import SchemaError


def _naive_ks(y: np.ndarray, p: np.ndarray) -> float:
    """Max over thresholds t of P(p >= t | bad) - P(p >= t | good) (0 at t above every p)."""
    best = 0.0
    for t in np.unique(p):
        best = max(best, (p[y == 1] >= t).mean() - (p[y == 0] >= t).mean())
    return best


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_ks_matches_naive(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 60)
    y[:2] = [0, 1]
    p = np.round(rng.random(60), 2)
    assert metrics.ks_statistic(y, p) == pytest.approx(_naive_ks(y, p))


def test_summary_relations_and_gains() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 1000)
    p = np.clip(0.3 * y + 0.7 * rng.random(1000), 0, 1)
    s = metrics.summary(y, p)
    assert s["gini"] == pytest.approx(2 * s["auc"] - 1)
    g = metrics.gains_table(y, p)
    assert g[-1]["cum_gain"] == pytest.approx(1.0)
    assert sum(r["count"] for r in g) == 1000
    assert g[0]["lift"] > 1 > g[-1]["lift"]
    assert all(a["cum_gain"] <= b["cum_gain"] for a, b in itertools.pairwise(g))


def test_metrics_refuse_bad_input() -> None:
    with pytest.raises(SchemaError):
        metrics.summary([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(SchemaError):
        metrics.summary([0, 1], [0.1])


def test_calibration_choice_fixes_a_miscalibrated_margin() -> None:
    """A margin that is 3x too confident is recalibrated (not 'none'), and improves Brier."""
    rng = np.random.default_rng(7)
    true_logit = rng.normal(-1, 1, 4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-true_logit))).astype(int)
    margin = 3 * true_logit
    cal, scores = choose_calibration(margin, y)
    assert cal.method in ("sigmoid", "isotonic")
    assert scores[cal.method]["brier"] < scores["none"]["brier"]
    sig = fit_calibrator("sigmoid", margin, y)
    assert sig.a == pytest.approx(1 / 3, rel=0.15)
    assert Calibrator.from_dict(cal.to_dict()) == cal
