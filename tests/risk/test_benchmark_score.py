"""The scoring benchmark runs end to end on a small portfolio and reports §13 fields."""

import pytest

from accord.benchmarks.score import run


@pytest.mark.slow
def test_score_benchmark_small() -> None:
    out = run(accounts=20_000)
    assert out["benchmark"] == "score"
    assert out["n"] == 20_000
    for key in ("seconds", "per_second", "peak_rss_mb", "ratio_to_baseline"):
        assert out[key] > 0
    assert out["baseline"]["seconds"] > 0
    # the per-stage breakdown accounts for the whole timed path
    assert set(out["stages"]) == {"features", "score_and_explain", "points", "reasons"}
    assert sum(out["stages"].values()) == pytest.approx(out["seconds"], abs=1e-3)
    assert out["lightgbm_pred_leaf_seconds"] > 0
    assert 0.15 < out["mean_pd"] < 0.3
    assert out["shap_top1_agreement"] > 0.7
