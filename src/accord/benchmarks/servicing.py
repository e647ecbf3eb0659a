"""Benchmark: vectorised servicing (:func:`accord.core.servicing_vector.age`) of a whole book.

Generates ``accounts`` random accounts — CN consumer loans (penalty at 1.5× the contract rate,
24 % cost cap, 3 grace days) and TW cards (NT$300 late fee, 20 % cap) — with 6–12 monthly
installments and payments of every kind (on time, late, partial, excess, stopped), builds the
padded arrays in chunks of :data:`CHUNK` accounts and ages them to one date. The baseline is the
exact scalar :func:`accord.core.delinquency.replay`, timed on a random sample of accounts and
scaled linearly to the whole book (``baseline.scaled_from``): running it on every account would
take minutes. The sample's results are compared with the vectorised ones field by field
(``exact_check``).

Run: ``python -m accord.benchmarks.servicing --accounts 100000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from accord.core.allocation import Component
from accord.core.charges import ChargeTerms
from accord.core.delinquency import Account, Payment, replay
from accord.core.money import Money
from accord.core.packs import load_pack
from accord.core.servicing_vector import AgedBook, age
from accord.core.servicing_vector_build import book_from_flat
from accord.core.types import Installment

CHUNK = 50_000
BASELINE = "scalar replay (accord.core.delinquency.replay)"
AS_OF = date(2026, 3, 31)
START = date(2024, 1, 1)
RATES = ("0.0435", "0.0899", "0.12", "0.18", "0.2399")
CURRENCY = ("CNY", "TWD")


def _terms() -> tuple[ChargeTerms, ...]:
    """Term sets: CN loans at each rate (penalty, cap) and TW cards (late fee, cap)."""
    cn, tw = load_pack("cn"), load_pack("tw")
    loans = tuple(
        ChargeTerms.from_pack(cn, annual_rate=Decimal(r), open_date=START, product="loan")
        for r in RATES
    )
    card = ChargeTerms.from_pack(tw, annual_rate=Decimal("0.18"), open_date=START, product="card")
    return (*loans, card)


def _book(n: int, seed: int) -> dict[str, np.ndarray]:
    """Flat installment and payment entries of ``n`` random accounts."""
    rng = np.random.default_rng(seed)
    term_of = rng.integers(0, len(RATES) + 1, n)
    card = term_of == len(RATES)
    open_day = START.toordinal() + rng.integers(0, 365, n)
    principal = rng.integers(1_000, 50_000, n) * 100
    k = rng.integers(6, 13, n)
    rows = np.repeat(np.arange(n), k)
    seq = np.arange(rows.size) - np.repeat(np.cumsum(k) - k, k) + 1
    due = open_day[rows] + 30 * seq + rng.integers(0, 2, rows.size)
    part = principal[rows] // k[rows]
    part = np.where(seq == k[rows], principal[rows] - part * (k[rows] - 1), part)
    rate_num = np.array([int(Decimal(r) * 10_000) for r in RATES] + [0])[term_of]
    interest = np.where(card[rows], 0, principal[rows] * rate_num[rows] // 120_000)
    # behaviour per account: 0 on time, 1 late by 1-45 days, 2 partial, 3 stops, 4 pays ahead
    kind = rng.choice(5, n, p=[0.55, 0.15, 0.1, 0.15, 0.05])
    owed = part + interest
    pay_kind = kind[rows]
    stop_at = rng.integers(1, 8, n)[rows]
    lateness = np.where(
        pay_kind == 1, rng.integers(1, 46, rows.size), rng.integers(-5, 1, rows.size)
    )
    amount = np.select(
        [pay_kind == 2, pay_kind == 4],
        [owed * rng.integers(30, 90, rows.size) // 100, owed * 2],
        owed,
    )
    paid = (pay_kind != 3) | (seq < stop_at)
    paid &= due + lateness <= AS_OF.toordinal()
    paid &= due + lateness > open_day[rows]
    return {
        "open_day": open_day,
        "principal": principal,
        "term_of": term_of,
        "inst_row": rows,
        "inst_seq": seq,
        "inst_due": due,
        "inst_principal": part,
        "inst_interest": interest,
        "inst_fees": np.zeros(rows.size, np.int64),
        "pay_row": rows[paid],
        "pay_day": (due + lateness)[paid],
        "pay_amount": amount[paid],
    }


def _chunk(flat: dict[str, np.ndarray], lo: int, hi: int, terms: tuple[ChargeTerms, ...]) -> Any:
    ins = (flat["inst_row"] >= lo) & (flat["inst_row"] < hi)
    pay = (flat["pay_row"] >= lo) & (flat["pay_row"] < hi)
    return book_from_flat(
        open_day=flat["open_day"][lo:hi],
        principal=flat["principal"][lo:hi],
        term_of=flat["term_of"][lo:hi],
        terms=terms,
        inst_row=flat["inst_row"][ins] - lo,
        inst_seq=flat["inst_seq"][ins],
        inst_due=flat["inst_due"][ins],
        inst_principal=flat["inst_principal"][ins],
        inst_interest=flat["inst_interest"][ins],
        inst_fees=flat["inst_fees"][ins],
        pay_row=flat["pay_row"][pay] - lo,
        pay_day=flat["pay_day"][pay],
        pay_amount=flat["pay_amount"][pay],
    )


def _account(
    flat: dict[str, np.ndarray], i: int, terms: tuple[ChargeTerms, ...]
) -> tuple[Account, list[Payment]]:
    t = int(flat["term_of"][i])
    cur = CURRENCY[1] if t == len(RATES) else CURRENCY[0]
    ins = np.flatnonzero(flat["inst_row"] == i)
    insts = tuple(
        Installment(
            int(flat["inst_seq"][j]),
            date.fromordinal(int(flat["inst_due"][j])),
            Money(int(flat["inst_principal"][j]), cur),
            Money(int(flat["inst_interest"][j]), cur),
            Money(0, cur),
            Money(0, cur),
        )
        for j in ins
    )
    opened = date.fromordinal(int(flat["open_day"][i]))
    account = Account(opened, Money(int(flat["principal"][i]), cur), insts, terms[t])
    pays = [
        Payment(date.fromordinal(int(flat["pay_day"][j])), Money(int(flat["pay_amount"][j]), cur))
        for j in np.flatnonzero(flat["pay_row"] == i)
    ]
    return account, pays


def _fields(aged: AgedBook, j: int) -> tuple[Any, ...]:
    return (
        int(aged.dpd[j]),
        int(aged.bucket[j]),
        aged.outstanding[j].tolist(),
        aged.past_due[j].tolist(),
        int(aged.penalty_charged[j]),
        int(aged.fees_charged[j]),
    )


def run(accounts: int = 100_000, seed: int = 42, *, sample: int = 300) -> dict[str, Any]:
    """Age ``accounts`` random accounts with the twin, the scalar replay on a sample; §13 dict."""
    terms = _terms()
    flat = _book(accounts, seed)
    _chunk(flat, 0, min(100, accounts), terms)  # first-touch costs out of the timing
    ours_s = 0.0
    rng = np.random.default_rng(seed + 1)
    picked = sorted(rng.choice(accounts, size=min(sample, accounts), replace=False).tolist())
    got: dict[int, tuple[Any, ...]] = {}
    delinquent = charged = 0
    for lo in range(0, accounts, CHUNK):
        hi = min(lo + CHUNK, accounts)
        t0 = time.perf_counter()
        aged = age(_chunk(flat, lo, hi, terms), AS_OF)
        ours_s += time.perf_counter() - t0
        delinquent += int((aged.dpd > 0).sum())
        charged += int(aged.penalty_charged.sum() + aged.fees_charged.sum())
        got.update({i: _fields(aged, i - lo) for i in picked if lo <= i < hi})

    records = [_account(flat, i, terms) for i in picked]
    t0 = time.perf_counter()
    states = [replay(a, p, AS_OF) for a, p in records]
    base_sample_s = time.perf_counter() - t0
    base_s = base_sample_s * accounts / max(len(picked), 1)
    wrong = [
        i
        for i, s in zip(picked, states, strict=True)
        if got[i]
        != (
            s.dpd,
            list(type(s.bucket)).index(s.bucket),
            [s.outstanding(c).minor for c in Component],
            [s.outstanding(c, past_due_only=True).minor for c in Component],
            s.penalty_charged.minor,
            s.fees_charged.minor,
        )
    ]
    return {
        "benchmark": "servicing",
        "n": accounts,
        "seconds": round(ours_s, 4),
        "per_second": round(accounts / ours_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "baseline": {
            "name": BASELINE,
            "seconds": round(base_s, 4),
            "scaled_from": len(picked),
            "sample_seconds": round(base_sample_s, 4),
        },
        "ratio_to_baseline": round(ours_s / base_s, 6),
        "as_of": AS_OF.isoformat(),
        "chunk": CHUNK,
        "seed": seed,
        "installments": int(flat["inst_row"].size),
        "payments": int(flat["pay_row"].size),
        "delinquent_accounts": delinquent,
        "charges_minor": charged,
        "exact_check": {"accounts": len(picked), "mismatches": len(wrong), "ok": not wrong},
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the benchmark's JSON object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    json.dump(run(args.accounts, args.seed), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
