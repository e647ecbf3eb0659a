"""Use case: train, evaluate and document the Taiwan PD models on the committed split.

:func:`train_taiwan` fits the boosting model or the scorecard on the 70% training part of the
Taiwan table (behavioural features only), evaluates on the 30% holdout, and saves a versioned
artifact with the holdout metrics, a fairness report by sex and age band at the operating
threshold (flagging the training base rate's share), a PSI drift report between the two parts,
the JSON/HTML report and the model card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.risk import artifacts, drift, fairness, metrics, report
from accord.risk.boosting import BoostingModel
from accord.risk.features import POLICY_EXCLUDED, PROTECTED, TAIWAN_TARGET, taiwan_features
from accord.risk.scorecard import ScorecardModel, points_from_probability
from accord.services.risk_data import load_taiwan, taiwan_path, taiwan_split
from accord.services.risk_tabular import file_sha256

DATA_WINDOW = "April–September 2005 repayment history; default in October 2005 (UCI #350)"


def train_taiwan(out_dir: Path, *, kind: str = "boosting", seed: int = 42) -> dict[str, Any]:
    """Fit ``kind`` (boosting or scorecard) on the Taiwan split; returns holdout metrics etc."""
    raw = load_taiwan()
    part = taiwan_split().loc[raw.index]
    X = taiwan_features(raw)  # noqa: N806
    y = raw[TAIWAN_TARGET].to_numpy()
    tr = (part == "train").to_numpy()
    if kind == "boosting":
        model: BoostingModel | ScorecardModel = BoostingModel(random_state=seed)
    elif kind == "scorecard":
        model = ScorecardModel()
    else:
        raise ValueError("kind must be 'boosting' or 'scorecard'")
    model.fit(X[tr], y[tr])
    p_train = model.predict_proba(X[tr])[:, 1]
    p_test = model.predict_proba(X[~tr])[:, 1]
    threshold = fairness.operating_threshold(p_test, float(y[tr].mean()))
    test_raw = raw[~tr]
    fair = fairness.fairness_report(
        y[~tr],
        p_test,
        {
            "sex": test_raw["SEX"].map({1: "male", 2: "female"}).fillna("unknown").to_numpy(),
            "age_band": fairness.age_band(test_raw["AGE"]),
        },
        threshold=threshold,
    )
    drifts = drift.drift_report(
        X[tr],
        X[~tr],
        list(X.columns),
        score_reference=points_from_probability(p_train),
        score_current=points_from_probability(p_test),
    )
    summary = metrics.summary(y[~tr], p_test)
    vdir = artifacts.next_version_dir(out_dir)
    path = taiwan_path()
    artifacts.save_model(
        model,
        vdir,
        metadata={
            "training_data": {
                "file": path.name,
                "sha256": file_sha256(path),
                "rows": int(tr.sum()),
            },
            "data_window": DATA_WINDOW,
            "split": "data/taiwan_default/split_seed42.csv (train part)",
            "excluded": {"protected": list(PROTECTED), "policy": list(POLICY_EXCLUDED)},
            "metrics": {"holdout": summary},
            "seed": seed,
        },
    )
    rep = report.build_report(
        y[~tr],
        p_test,
        title=f"Taiwan default PD — {kind} ({out_dir.name}/{vdir.name})",
        model_info={
            "kind": kind,
            "data": f"{path.name}, 21,000 training / 9,000 holdout rows (committed split, seed 42)",
            "data_window": DATA_WINDOW,
            "target": TAIWAN_TARGET,
            "positive": "1",
            "features": list(X.columns),
            "dropped": [
                ("SEX", "protected"),
                ("AGE", "protected"),
                ("MARRIAGE", "protected"),
                ("EDUCATION", "policy: socio-economic proxy"),
            ],
        },
        evaluation="holdout (30% of IDs, stratified, seed 42)",
        fairness=fair,
        drift=drifts,
    )
    report.write_reports(vdir, rep, y[~tr], p_test)
    return {"version_dir": str(vdir), "holdout": summary, "fairness": fair, "drift": drifts}
