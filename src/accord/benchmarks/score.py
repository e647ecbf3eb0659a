"""Benchmark: portfolio scoring — features, calibrated PD, points and top-4 reason codes.

Replicates the Taiwan table to ``accounts`` rows with noise (amounts scaled by a log-normal
factor, 5% of delay codes moved by one), then, chunk by chunk, runs the full scoring path:
:func:`accord.risk.features.taiwan_features`, :meth:`BoostingModel.score_and_explain` (PD and
decision-path attributions in one pass over the trees), score points and
:func:`accord.risk.reasons.top_adverse`. The baseline is bare LightGBM ``Booster.predict`` on
the same, already-computed feature matrix, in the same process. ``stages`` splits ``seconds``
by step; ``lightgbm_pred_leaf_seconds`` (timed apart, in neither total) is LightGBM's leaf-index
pass on the same matrices, the traversal ``score_and_explain`` builds on, so the ratio can be read
as that pass plus the attribution sums, features and reasons. ``shap_top1_agreement`` is the
share of a 2,000-row sample whose most adverse factor is the same under exact TreeSHAP.

Run: ``python -m accord.benchmarks.score --accounts 1000000`` (prints one JSON object).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

from accord.benchmarks.common import peak_rss_mb
from accord.risk.boosting import BoostingModel
from accord.risk.features import TAIWAN_TARGET, taiwan_features
from accord.risk.reasons import top_adverse
from accord.risk.scorecard import points_from_probability
from accord.risk.tree_paths import BLOCK
from accord.services.risk_data import load_taiwan, taiwan_split

CHUNK = 100_000
#: timed stages of the scoring path; their sum is ``seconds``
STAGES = ("features", "score_and_explain", "points", "reasons")
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

    stages = dict.fromkeys(STAGES, 0.0)
    base_s = leaf_s = 0.0
    pd_sum = 0.0
    flagged = 0
    clock = time.perf_counter
    for lo in range(0, accounts, CHUNK):
        chunk = _noisy(raw, min(CHUNK, accounts - lo), rng)
        t0 = clock()
        feats = taiwan_features(chunk)
        t1 = clock()
        p, contrib = model.score_and_explain(feats)
        t2 = clock()
        points = points_from_probability(p)
        t3 = clock()
        idx, _impact = top_adverse(contrib, 4)
        t4 = clock()
        for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[stage] += seconds
        matrix = feats.to_numpy(dtype=np.float64)
        t0 = clock()
        model.booster_.predict(matrix)
        base_s += clock() - t0
        # reference only (in neither total): the leaf-index traversal score_and_explain
        # builds on, on the same matrix and in the same row blocks
        t0 = clock()
        for b in range(0, len(matrix), BLOCK):
            model.booster_.predict(matrix[b : b + BLOCK], pred_leaf=True)
        leaf_s += clock() - t0
        pd_sum += float(p.sum())
        flagged += int((points < 500).sum())
        del chunk, feats, contrib, idx, matrix
    ours_s = sum(stages.values())

    sample = taiwan_features(_noisy(raw, 2000, rng))
    exact = model.explain(sample, method="shap")
    fast = model.explain(sample, method="path")
    agreement = float((exact.argmax(axis=1) == fast.argmax(axis=1)).mean())
    return {
        "benchmark": "score",
        "n": accounts,
        "seconds": round(ours_s, 4),
        "per_second": round(accounts / ours_s, 1),
        "peak_rss_mb": peak_rss_mb(),
        "baseline": {"name": BASELINE, "seconds": round(base_s, 4)},
        "ratio_to_baseline": round(ours_s / base_s, 4),
        "stages": {stage: round(seconds, 4) for stage, seconds in stages.items()},
        "lightgbm_pred_leaf_seconds": round(leaf_s, 4),
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
