"""PSI: zero for identical populations, an alert above 0.25 for a shifted one."""

import numpy as np
import pandas as pd
import pytest

from accord.risk.drift import drift_report, psi, status


def test_psi_identical_is_zero_and_shift_alerts() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, 5000)
    assert psi(a, a) == pytest.approx(0.0, abs=1e-12)
    assert psi(a, rng.normal(0, 1, 5000)) < 0.02
    assert psi(a, rng.normal(1, 1, 5000)) > 0.25
    assert status(0.3) == "alert"
    assert status(0.15) == "watch"
    assert status(0.01) == "stable"


def test_psi_categorical_and_missing() -> None:
    ref = pd.Series(["a"] * 50 + ["b"] * 50)
    cur = pd.Series(["a"] * 90 + ["b"] * 10)
    assert psi(ref, cur) > 0.25
    assert psi([1.0, np.nan, 2.0, 3.0] * 10, [1.0, 2.0, 3.0, 3.0] * 10) > 0.1


def test_drift_report_lists_alerts() -> None:
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"x": rng.normal(0, 1, 3000), "z": rng.normal(0, 1, 3000)})
    cur = pd.DataFrame({"x": rng.normal(0, 1, 3000), "z": rng.normal(2, 1, 3000)})
    rep = drift_report(ref, cur, ["x", "z"], score_reference=ref["z"], score_current=cur["z"])
    assert rep["alerts"] == ["z", "score"]
    assert rep["features"]["x"]["status"] == "stable"
