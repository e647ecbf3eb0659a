"""Benchmark: one daily tick over a portfolio of active agreements (vectorised, chunked).

Generates ``agreements`` random agreement states (24 monthly installments, reminder offsets
-3/0/2/10 days, grace 0–10 days, 0–3 tolerated missed installments, an arrears limit up to 90
days, some paused, some with a pending hardship declaration, some partly paid or overdue) chunk
by chunk, and times :func:`accord.agreements.vector.tick_arrays` on each chunk, so memory stays
flat. Generation is not timed. A random sample of rows is rebuilt as scalar agreements and
ticked with :func:`accord.agreements.executor.tick`: the results must agree exactly
(``exact_check``), and the scalar time on the sample, extrapolated to ``agreements``, is the
baseline.

Run: ``python -m accord.benchmarks.tick --agreements 1000000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, timedelta
from typing import Any

import numpy as np

from accord.agreements.executor import tick
from accord.agreements.run import Contract, compile_terms
from accord.agreements.state import AgreementState, InstallmentState, Status
from accord.agreements.terms import parse_terms
from accord.agreements.vector import CODES, EPOCH, PAD, TickArrays, day, tick_arrays
from accord.benchmarks.common import peak_rss_mb

M, OFFSETS, AMOUNT = 24, (-3, 0, 2, 10), 100_000
AS_OF = date(2026, 6, 1)
STATUS_OF = {v: k for k, v in CODES.items()}


def _chunk(rng: np.random.Generator, n: int, as_of: int) -> TickArrays:
    start = as_of + rng.integers(-700, 40, n)
    due = start[:, None] + 30 * np.arange(M)[None, :]
    grace = rng.integers(0, 11, n).astype(np.int32)
    delta = as_of - due
    past = (delta > 0).sum(axis=1)
    paid = np.minimum(rng.integers(0, M + 1, n), past + 1)  # installments fully paid
    cols = np.arange(M)[None, :]
    remaining = np.where(cols < paid[:, None], 0, AMOUNT).astype(np.int64)
    partial = (cols == paid[:, None]) & (rng.random(n) < 0.3)[:, None]
    remaining = np.where(partial, rng.integers(1, AMOUNT, n)[:, None], remaining)
    unpaid = remaining > 0
    late = unpaid & (delta > grace[:, None])
    missed = late & (rng.random((n, M)) < 0.8)  # the rest get marked by this tick
    level = (np.array(OFFSETS)[None, None, :] <= delta[:, :, None]).sum(axis=2) - 1
    reminded = np.where(unpaid, np.maximum(level - rng.integers(0, 2, (n, M)), -1), -1)
    roll = rng.random(n)
    status = np.full(n, CODES[Status.ACTIVE], np.int8)
    status[roll < 0.05] = CODES[Status.PAUSED]
    status[(roll >= 0.05) & (roll < 0.07)] = CODES[Status.BREACHED]
    status[(roll >= 0.07) & (roll < 0.15)] = CODES[Status.GRACE]
    status[(roll >= 0.15) & (roll < 0.25)] = CODES[Status.IN_ARREARS]
    pause = np.where(status == CODES[Status.PAUSED], as_of + rng.integers(-3, 30, n), PAD)
    return TickArrays(
        status=status,
        due=due.astype(np.int64),
        remaining=remaining,
        missed=missed,
        reminded=reminded.astype(np.int8),
        missed_count=(missed.sum(axis=1) + rng.integers(0, 2, n)).astype(np.int32),
        pause_until=pause.astype(np.int64),
        hardship_pending=rng.random(n) < 0.02,
        grace=grace,
        allowed=rng.integers(0, 4, n).astype(np.int32),
        max_arrears=(grace + rng.integers(1, 91, n)).astype(np.int32),
        offsets=np.tile(np.array(OFFSETS, np.int64), (n, 1)),
    )


def _to_date(d: int) -> date:
    return EPOCH + timedelta(days=int(d))


def _scalar(a: TickArrays, r: int) -> tuple[Contract, AgreementState]:
    """Row ``r`` rebuilt as a scalar (contract, state) pair."""
    dues = [_to_date(d) for d in a.due[r]]
    data = {
        "agreement_id": f"bench-{r}",
        "pack": "cn",
        "currency": "CNY",
        "timezone": "Asia/Shanghai",
        "parties": {
            "debtor_id": "d",
            "creditor_id": "c",
            "debtor_key": "0" * 64,
            "creditor_key": "1" * 64,
        },
        "installments": [
            {"seq": j + 1, "due_date": d.isoformat(), "amount_minor": AMOUNT}
            for j, d in enumerate(dues)
        ],
        "grace_days": int(a.grace[r]),
        "allowed_late_payments": int(a.allowed[r]),
        "reminders": {"offsets_days": list(OFFSETS), "channels": ["email"]},
        "hardship": {"rules": [], "max_pauses": 0, "max_total_pause_days": 0},
        "income_change": {"steps": [], "max_extra_installments": 0, "max_adjustments": 0},
        "early_payoff": {"enabled": False, "discount_bps": 0, "min_installments_paid": 0},
        "breach": {
            "max_days_in_arrears": int(a.max_arrears[r]),
            "consequence": "offer-renegotiation",
            "original_debt_minor": AMOUNT * M,
        },
        "completion": {"on_schedule": "paid-in-full", "on_early_payoff": "settled"},
        "notices": {"how_to_pay": {"en": "-"}, "help_contact": {"en": "-"}},
    }
    contract = compile_terms(parse_terms(data))
    installments = tuple(
        InstallmentState(
            j + 1,
            dues[j],
            AMOUNT,
            AMOUNT - int(a.remaining[r, j]),
            bool(a.missed[r, j]),
            False,
            int(a.reminded[r, j]),
        )
        for j in range(M)
    )
    pause = int(a.pause_until[r])
    state = AgreementState(
        agreement_id=f"bench-{r}",
        terms_hash=contract.terms_hash,
        currency="CNY",
        status=STATUS_OF[int(a.status[r])],
        installments=installments,
        missed_count=int(a.missed_count[r]),
        pause_until=_to_date(pause) if pause != PAD else None,
        hardship_pending="declared" if a.hardship_pending[r] else None,
    )
    return contract, state


def _check(
    before: TickArrays, after: TickArrays, rows: list[int], as_of: date
) -> tuple[int, float]:
    """Scalar tick on ``rows``: (mismatching rows, scalar seconds)."""
    bad, seconds = 0, 0.0
    for r in rows:
        contract, state = _scalar(before, r)
        t0 = time.perf_counter()
        new = tick(contract, state, as_of).state
        seconds += time.perf_counter() - t0
        same = (
            CODES[new.status] == after.status[r]
            and new.missed_count == after.missed_count[r]
            and [i.missed for i in new.installments] == after.missed[r].tolist()
            and [i.reminded for i in new.installments] == after.reminded[r].tolist()
        )
        bad += not same
    return bad, seconds


def run(
    agreements: int = 1_000_000, chunk: int = 100_000, *, seed: int = 7, sample: int = 500
) -> dict[str, Any]:
    """Tick ``agreements`` random agreements in chunks of ``chunk``; return the §13 JSON dict."""
    rng = np.random.default_rng(seed)
    as_of = day(AS_OF)
    per_chunk = max(1, sample * chunk // max(agreements, 1))
    seconds, events, transitions, mismatches, checked, scalar_s = 0.0, 0, 0, 0, 0, 0.0
    done = 0
    while done < agreements:
        n = min(chunk, agreements - done)
        arrays = _chunk(rng, n, as_of)
        t0 = time.perf_counter()
        after, counts = tick_arrays(arrays, as_of)
        seconds += time.perf_counter() - t0
        events += int(counts.total().sum())
        transitions += int((after.status != arrays.status).sum())
        rows = rng.choice(n, size=min(per_chunk, n), replace=False).tolist()
        bad, s = _check(arrays, after, rows, AS_OF)
        mismatches, checked, scalar_s = mismatches + bad, checked + len(rows), scalar_s + s
        done += n
        del arrays, after, counts
    baseline = scalar_s / checked * agreements
    return {
        "benchmark": "tick",
        "n": agreements,
        "seconds": round(seconds, 4),
        "per_second": round(agreements / seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
        "baseline": {
            "name": f"scalar executor.tick, timed on {checked} sampled agreements, extrapolated",
            "seconds": round(baseline, 4),
        },
        "ratio_to_baseline": round(seconds / baseline, 6),
        "chunk": chunk,
        "installments": M,
        "as_of": AS_OF.isoformat(),
        "events": events,
        "status_changes": transitions,
        "exact_check": {"agreements": checked, "mismatches": mismatches, "ok": mismatches == 0},
        "seed": seed,
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the benchmark's JSON object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--agreements", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    json.dump(run(args.agreements, args.chunk, seed=args.seed), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
