"""Benchmark: portfolio scoring — features, calibrated PD, points and top-4 reason codes.

Replicates the Taiwan table to ``accounts`` rows with noise (amounts scaled by a log-normal
factor, 5% of delay codes moved by one), then, chunk by chunk, runs the full scoring path:
:func:`accord.risk.features.taiwan_features`, :meth:`BoostingModel.score_and_explain` (PD and
decision-path attributions in one pass over the trees), score points and
:func:`accord.risk.reasons.top_adverse`. The baseline is bare LightGBM ``Booster.predict`` on
the same, already-computed feature matrix, in the same process. ``shap_top1_agreement`` is the
share of a 2,000-row sample whose most adverse factor is the same under exact TreeSHAP.

Run: ``python -m accord.benchmarks.score --accounts 1000000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

from accord.risk.boosting import BoostingModel
from accord.risk.features import TAIWAN_TARGET, taiwan_features
from accord.risk.reasons import top_adverse
from accord.risk.scorecard import points_from_probability
from accord.services.risk_data import load_taiwan, taiwan_split

CHUNK = 100_000
BASELINE = "lightgbm Booster.predict on the precomputed feature matrix"
_AMOUNTS = (
    "LIMIT_BAL",
    *(f"BILL_AMT{m}" for m in range(1, 7)),
    *(f"PAY_AMT{m}" for m in range(1, 7)),
)
_PAY = ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6")


def _noisy(raw: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` rows drawn from ``raw`` with multiplicative amount noise and jittered delays."""
    rows = raw.iloc[rng.integers(0, len(raw), n)].reset_index(drop=True)
    for col in _AMOUNTS:
        rows[col] = np.round(rows[col].to_numpy() * rng.lognormal(0.0, 0.05, n))
    for col in _PAY:
        jitter = rng.choice([-1, 0, 1], size=n, p=[0.025, 0.95, 0.025])
        rows[col] = np.clip(rows[col].to_numpy() + jitter, -2, 8)
    return rows


def run(accounts: int = 1_000_000, seed: int = 42) -> dict[str, Any]:
    """Time the scoring path on ``accounts`` noisy Taiwan rows; return the §13 JSON dict."""
    raw = load_taiwan()
    train = (taiwan_split().loc[raw.index] == "train").to_numpy()
    features = taiwan_features(raw)
    model = BoostingModel(random_state=seed).fit(features[train], raw[TAIWAN_TARGET][train])
    rng = np.random.default_rng(seed)
    warm = taiwan_features(raw.iloc[:1000])
    model.score_and_explain(warm)
    model.booster_.predict(warm.to_numpy())

    ours_s = base_s = 0.0
    pd_sum = 0.0
    flagged = 0
    for lo in range(0, accounts, CHUNK):
        chunk = _noisy(raw, min(CHUNK, accounts - lo), rng)
        t0 = time.perf_counter()
        feats = taiwan_features(chunk)
        p, contrib = model.score_and_explain(feats)
        points = points_from_probability(p)
        idx, _impact = top_adverse(contrib, 4)
        ours_s += time.perf_counter() - t0
        matrix = feats.to_numpy(dtype=np.float64)
        t0 = time.perf_counter()
        model.booster_.predict(matrix)
        base_s += time.perf_counter() - t0
        pd_sum += float(p.sum())
        flagged += int((points < 500).sum())
        del chunk, feats, contrib, idx, matrix

    sample = taiwan_features(_noisy(raw, 2000, rng))
    exact = model.explain(sample, method="shap")
    fast = model.explain(sample, method="path")
    agreement = float((exact.argmax(axis=1) == fast.argmax(axis=1)).mean())
    return {
        "benchmark": "score",
        "n": accounts,
        "seconds": round(ours_s, 4),
        "per_second": round(accounts / ours_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "baseline": {"name": BASELINE, "seconds": round(base_s, 4)},
        "ratio_to_baseline": round(ours_s / base_s, 4),
        "chunk": CHUNK,
        "seed": seed,
        "trees": int(model.booster_.num_trees()),
        "features": len(model.feature_names_),
        "reasons_per_account": 4,
        "mean_pd": round(pd_sum / accounts, 6),
        "share_below_500_points": round(flagged / accounts, 6),
        "shap_top1_agreement": round(agreement, 4),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the benchmark's JSON object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    json.dump(run(args.accounts, args.seed), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
