"""The ledger benchmark runs small on SQLite and reports the §13 fields and a verified bundle."""

import json

from accord.benchmarks.ledger import run


def test_small_run_reports_conventions_fields() -> None:
    out = run(events=2_500, db="sqlite", batch=500, signed=1_000, proofs=50, verify_entries=1_000)
    json.dumps(out)
    assert out["benchmark"] == "ledger"
    assert out["n"] == 2_500
    assert out["per_second"] > 0
    assert out["peak_rss_mb"] > 0
    assert out["baseline"]["seconds"] > 0
    ratio = out["seconds"] / out["baseline"]["seconds"]  # both rounded to the millisecond
    assert abs(out["ratio_to_baseline"] - ratio) / ratio < 0.05
    assert 0 < out["p50_ms"] <= out["p95_ms"] <= out["p99_ms"]
    # an inclusion proof in a tree of 2,500 leaves has at most ceil(log2(2500)) = 12 hashes
    assert 1 <= out["proof_hashes"]["min"] <= out["proof_hashes"]["max"] <= 12
    assert out["export"]["entries"] == 2_500
    assert out["verify"]["ok"] is True
    assert out["verify"]["entries"] == 1_000
    assert "prefix" in out["verify"]["what"]
    # 1,000 creditor-signed entries first, then 1,500 system entries (the headline figures)
    assert out["what"].startswith("1500 system entries")
    signed = out["party_signed"]
    assert signed["what"].startswith("1000 creditor-signed")
    assert signed["seconds"] > 0
    assert signed["ratio_to_baseline"] > 0
    assert signed["ratio_floor_from_signing"] > 1
    both = out["all_entries"]
    total = (out["seconds"] + signed["seconds"]) / (
        out["baseline"]["seconds"] + signed["baseline_seconds"]
    )
    assert abs(both["ratio_to_baseline"] - total) / total < 0.05
