"""Benchmark: vectorised exact amortisation (:func:`accord.core.vector.amortize`).

Generates ``loans`` random 等额本息 loans (principal ¥1,000–¥1,000,000, annual rate 3.00–36.00 %
with four decimals, 6–60 months), amortises them in chunks and reduces each chunk to totals so
memory stays flat. The baseline is numpy-financial's ``pmt``/``ipmt``/``ppmt`` producing the same
full per-period arrays (in float) for the same chunks in the same process. A random sample of
loans taken from the timed run is compared with :func:`accord.core.schedule.build_schedule`
minor unit by minor unit (``exact_check``).

Run: ``python -m accord.benchmarks.schedule --loans 1000000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import numpy_financial as npf

from accord.benchmarks.common import peak_rss_mb
from accord.core.money import Money
from accord.core.schedule import build_schedule
from accord.core.types import Method
from accord.core.vector import amortize

CHUNK = 50_000
BASELINE = "numpy-financial pmt/ipmt/ppmt (float64)"


def _loans(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    principal = rng.integers(100_000, 100_000_000, n, endpoint=True, dtype=np.int64)
    rate_bp = rng.integers(300, 3600, n, endpoint=True, dtype=np.int64)  # 1/100 of a percent
    months = rng.integers(6, 60, n, endpoint=True, dtype=np.int64)
    return principal, rate_bp / 10_000, months


def _ours(p: np.ndarray, r: np.ndarray, n: np.ndarray) -> tuple[int, int, np.ndarray]:
    pay, _prin, inte = amortize(p, r, n, Method.EQUAL_INSTALLMENT)
    return int(pay.sum()), int(inte.sum()), pay


def _baseline(p: np.ndarray, r: np.ndarray, n: np.ndarray) -> tuple[float, float, float]:
    """numpy-financial's per-period arrays for the same loans, reduced to (payment, interest,
    principal) totals over each loan's term (numpy-financial signs payments negative)."""
    rate = (r / 12)[:, None]
    nper = n[:, None]
    pv = p.astype(np.float64)[:, None]
    per = np.arange(1, int(n.max()) + 1)[None, :]
    pmt = npf.pmt(rate, nper, pv)
    ipmt = npf.ipmt(rate, per, nper, pv)
    ppmt = npf.ppmt(rate, per, nper, pv)
    live = per <= nper
    return (
        -float((pmt * live).sum()),
        -float((ipmt * live).sum()),
        -float((ppmt * live).sum()),
    )


def _exact_check(
    p: np.ndarray, r: np.ndarray, n: np.ndarray, rows: dict[int, np.ndarray]
) -> dict[str, Any]:
    mismatches = []
    for i, row in rows.items():
        s = build_schedule(
            principal=Money(int(p[i])),
            annual_rate=Decimal(round(r[i] * 10_000)).scaleb(-4),
            months=int(n[i]),
            method=Method.EQUAL_INSTALLMENT,
            start=date(2026, 1, 1),
        )
        want = [x.payment.minor for x in s.installments]
        k = int(n[i])
        if row[:k].tolist() != want or row[k:].any():
            mismatches.append(int(i))
    return {"loans": len(rows), "mismatches": len(mismatches), "ok": not mismatches}


def run(loans: int = 1_000_000, seed: int = 42, *, sample: int = 1_000) -> dict[str, Any]:
    """Time ``amortize`` on ``loans`` random loans against numpy-financial; return §13 JSON dict."""
    p, r, n = _loans(loans, seed)
    rng = np.random.default_rng(seed + 1)
    picked = set(rng.choice(loans, size=min(sample, loans), replace=False).tolist())
    warm = slice(0, min(1_000, loans))  # first-touch costs out of both timings
    _ours(p[warm], r[warm], n[warm])
    _baseline(p[warm], r[warm], n[warm])

    rows: dict[int, np.ndarray] = {}
    total_pay = total_interest = 0
    ours_s = 0.0
    for lo in range(0, loans, CHUNK):
        hi = min(lo + CHUNK, loans)
        t0 = time.perf_counter()
        pay_sum, int_sum, pay = _ours(p[lo:hi], r[lo:hi], n[lo:hi])
        ours_s += time.perf_counter() - t0
        total_pay += pay_sum
        total_interest += int_sum
        rows.update({i: pay[i - lo].copy() for i in picked if lo <= i < hi})
        del pay

    base_s = 0.0
    base_pay = base_interest = base_principal = 0.0
    for lo in range(0, loans, CHUNK):
        hi = min(lo + CHUNK, loans)
        t0 = time.perf_counter()
        bp, bi, bpr = _baseline(p[lo:hi], r[lo:hi], n[lo:hi])
        base_s += time.perf_counter() - t0
        base_pay, base_interest, base_principal = (
            base_pay + bp,
            base_interest + bi,
            base_principal + bpr,
        )

    return {
        "benchmark": "schedule",
        "n": loans,
        "seconds": round(ours_s, 4),
        "per_second": round(loans / ours_s, 1),
        "peak_rss_mb": peak_rss_mb(),
        "baseline": {"name": BASELINE, "seconds": round(base_s, 4)},
        "ratio_to_baseline": round(ours_s / base_s, 4),
        "method": Method.EQUAL_INSTALLMENT.value,
        "chunk": CHUNK,
        "seed": seed,
        "total_payment_minor": total_pay,
        "total_interest_minor": total_interest,
        "total_principal_minor": int(p.sum()),
        # float results of the baseline, unrounded per period: close to, not equal to, ours
        "baseline_totals_minor": {
            "payment": round(base_pay, 2),
            "interest": round(base_interest, 2),
            "principal": round(base_principal, 2),
        },
        "exact_check": _exact_check(p, r, n, rows),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the benchmark's JSON object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    json.dump(run(args.loans, args.seed), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
