import json

from accord.benchmarks.schedule import run


def test_small_run_reports_conventions_fields_and_exactness() -> None:
    out = run(loans=3_000, seed=1, sample=40)
    json.dumps(out)  # JSON-ready
    assert out["benchmark"] == "schedule"
    assert out["n"] == 3_000
    assert out["seconds"] > 0
    assert out["per_second"] > 0
    assert out["peak_rss_mb"] > 0
    assert out["baseline"]["seconds"] > 0
    assert out["ratio_to_baseline"] > 0
    assert out["exact_check"] == {"loans": 40, "mismatches": 0, "ok": True}
    # both methods repay the same principal; float interest differs only by rounding
    assert abs(out["baseline_totals_minor"]["principal"] - out["total_principal_minor"]) < 1
    ratio = out["baseline_totals_minor"]["interest"] / out["total_interest_minor"]
    assert abs(ratio - 1) < 1e-6
