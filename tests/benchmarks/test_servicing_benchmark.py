import json

from accord.benchmarks.servicing import run


def test_small_run_reports_conventions_fields_and_exactness() -> None:
    out = run(accounts=600, seed=3, sample=60)
    json.dumps(out)  # JSON-ready
    assert out["benchmark"] == "servicing"
    assert out["n"] == 600
    assert out["seconds"] > 0
    # per_second comes from the unrounded time; "seconds" is rounded to 0.1 ms
    assert abs(out["per_second"] - 600 / out["seconds"]) <= 600 / out["seconds"] * 0.01
    assert out["peak_rss_mb"] > 0
    assert out["baseline"]["scaled_from"] == 60
    assert out["baseline"]["seconds"] > out["baseline"]["sample_seconds"] > 0
    assert out["ratio_to_baseline"] > 0
    assert out["exact_check"] == {"accounts": 60, "mismatches": 0, "ok": True}
    assert out["delinquent_accounts"] > 0
    assert out["charges_minor"] > 0
