"""Benchmark: the negotiation pipeline (affordability, plan grid, valuation, selection).

Cases come from the simulator's synthetic population (seed 42). The headline timing is the
vectorised pipeline :func:`accord.negotiation.engine.select_batch` (affordability, plan grid,
valuation, selection); ``with_outcomes`` adds the rendered outcome records with bilingual
explanations (:func:`~accord.negotiation.engine.negotiate_batch` without schedules);
``with_schedules`` adds exact schedules for the recommended plan and menu on a sample;
single-case latency is the full :func:`~accord.negotiation.engine.negotiate` with schedules.
The baseline is the month-by-month reference valuation
(:mod:`accord.negotiation.valuation_naive`) plus the same selection, on the same cases, in the
same process. CPU seconds and the load average are
reported because the machine may be shared.

Run: ``python -m accord.benchmarks.negotiate --cases 10000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import numpy as np

from accord.benchmarks.common import peak_rss_mb
from accord.negotiation.affordability import assess
from accord.negotiation.engine import case_arrays, negotiate, negotiate_batch, select_batch
from accord.negotiation.plans import plan_grid
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.selection import select
from accord.negotiation.simulation.population import generate
from accord.negotiation.simulation.strategies import to_cases
from accord.negotiation.valuation_naive import evaluate_naive

BASELINE = "month-by-month reference valuation (valuation_naive) + selection"


def _timed(fn: Any) -> tuple[float, float, Any]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def _baseline(cases: list[Any]) -> None:
    policy, limits = cases[0].policy, cases[0].limits
    grid = plan_grid(policy, limits)
    for lo in range(0, len(cases), 64):
        part = cases[lo : lo + 64]
        affs = [assess(c.statement, policy=c.policy, owed=c.owed) for c in part]
        select(evaluate_naive(case_arrays(part, affs), grid, policy, limits), grid)


def run(
    cases: int = 10_000, seed: int = 42, *, sample: int = 500, latency: int = 200
) -> dict[str, Any]:
    """Time the batch pipeline on ``cases`` cases, schedules on ``sample``, and latency."""
    pop = generate(cases, seed)
    all_cases = to_cases(pop, Policy(), Limits())
    negotiate_batch(all_cases[:64], schedules=True)  # warm caches (grid, imports)
    wall, cpu, picked = _timed(lambda: select_batch(all_cases))
    o_wall, o_cpu, _ = _timed(lambda: negotiate_batch(all_cases, schedules=False))
    sub = all_cases[:sample]
    s_wall, s_cpu, _ = _timed(lambda: negotiate_batch(sub, schedules=True))
    base_n = min(cases, 1000)
    b_wall, _, _ = _timed(lambda: _baseline(all_cases[:base_n]))
    ours_same = _timed(lambda: select_batch(all_cases[:base_n]))
    lat = []
    for c in all_cases[:latency]:
        t = time.perf_counter()
        negotiate(c, schedules=True)
        lat.append((time.perf_counter() - t) * 1000)
    agreed = sum(p is not None for p in picked.recommended)
    return {
        "benchmark": "negotiate",
        "n": cases,
        "seconds": round(wall, 4),
        "per_second": round(cases / wall, 1),
        "cpu_seconds": round(cpu, 4),
        "per_cpu_second": round(cases / cpu, 1),
        "peak_rss_mb": peak_rss_mb(),
        "baseline": {"name": BASELINE, "seconds": round(b_wall, 4), "n": base_n},
        "ratio_to_baseline": round(ours_same[0] / b_wall, 4),
        "with_outcomes": {
            "what": "plus outcome records with bilingual explanations, no exact schedules",
            "seconds": round(o_wall, 4),
            "per_second": round(cases / o_wall, 1),
            "per_cpu_second": round(cases / o_cpu, 1),
        },
        "with_schedules": {
            "what": "outcomes plus exact schedules and APR for recommended plan and menu",
            "n": sample,
            "seconds": round(s_wall, 4),
            "per_second": round(sample / s_wall, 1),
            "per_cpu_second": round(sample / s_cpu, 1),
        },
        "p50_ms": round(float(np.percentile(lat, 50)), 3),
        "p95_ms": round(float(np.percentile(lat, 95)), 3),
        "p99_ms": round(float(np.percentile(lat, 99)), 3),
        "latency_n": latency,
        "plans_per_case": len(plan_grid(Policy(), Limits()).specs),
        "agreement_share": round(agreed / cases, 4),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the JSON result on stdout."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.cases, args.seed)) + "\n")


if __name__ == "__main__":
    main()
