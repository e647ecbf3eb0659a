"""The negotiation benchmark returns the CONVENTIONS §13 fields."""

from __future__ import annotations

from accord.benchmarks.negotiate import run


def test_benchmark_fields_small() -> None:
    r = run(cases=64, sample=8, latency=5)
    for key in (
        "benchmark",
        "n",
        "seconds",
        "per_second",
        "peak_rss_mb",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "baseline",
        "ratio_to_baseline",
    ):
        assert key in r
    assert r["benchmark"] == "negotiate"
    assert r["n"] == 64
    assert r["per_second"] > 0
    assert r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"]
