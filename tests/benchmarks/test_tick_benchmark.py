"""The tick benchmark reports the §13 fields and agrees with the scalar executor."""

import json

from accord.benchmarks.tick import run


def test_small_tick_run_reports_conventions_fields_and_exactness() -> None:
    out = run(agreements=6_000, chunk=2_000, sample=60)
    json.dumps(out)
    assert out["benchmark"] == "tick"
    assert out["n"] == 6_000
    assert out["seconds"] > 0
    assert out["per_second"] > 0
    assert out["peak_rss_mb"] > 0
    assert out["baseline"]["seconds"] > 0
    assert out["events"] > 0
    assert out["status_changes"] > 0
    assert out["exact_check"] == {"agreements": 60, "mismatches": 0, "ok": True}
