"""Taiwan credit-card default, holdout on the committed 70/30 split: the acceptance numbers.

Reproduce the figures with ``pytest -q tests/risk/test_taiwan.py -s`` (they are printed).
"""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

import numpy as np
import pytest

from accord.risk import metrics
from accord.risk.boosting import BoostingModel
from accord.risk.fairness import age_band, fairness_report, operating_threshold
from accord.risk.features import MONOTONE_INCREASING, PROTECTED, is_protected
from accord.risk.reasons import reason_codes, render
from accord.risk.scorecard import ScorecardModel, points_from_probability

# one xdist worker fits the session's Taiwan models once, instead of every worker
pytestmark = pytest.mark.xdist_group("taiwan")


def test_split_is_the_committed_stratified_70_30(taiwan) -> None:
    """The split file covers every ID once, 70/30, with equal default rates (stratified)."""
    assert len(taiwan.y_train) == 21_000
    assert len(taiwan.y_test) == 9_000
    assert abs(taiwan.y_train.mean() - taiwan.y_test.mean()) < 1e-3


def test_no_protected_or_policy_excluded_feature(taiwan_boosting, taiwan_scorecard) -> None:
    """SEX, AGE, MARRIAGE (protected) and EDUCATION (policy) are not model features."""
    for model in (taiwan_boosting, taiwan_scorecard):
        names = model.feature_names_
        assert not any(is_protected(n, PROTECTED) for n in names)
        assert not {"SEX", "AGE", "MARRIAGE", "EDUCATION"} & set(names)


def test_boosting_holdout_auc(taiwan, taiwan_boosting) -> None:
    """Gradient boosting reaches AUC >= 0.78 on the holdout, and is well calibrated."""
    p = taiwan_boosting.predict_proba(taiwan.X_test)[:, 1]
    s = metrics.summary(taiwan.y_test, p)
    print("\nboosting holdout:", {k: round(v, 4) for k, v in s.items()})
    print("calibration chosen:", taiwan_boosting.calibrator_.method)
    assert s["auc"] >= 0.78
    assert s["ks"] >= 0.40
    assert s["ece"] < 0.02
    assert abs(p.mean() - taiwan.y_test.mean()) < 0.01


def test_scorecard_holdout_auc(taiwan, taiwan_scorecard) -> None:
    """The points scorecard reaches AUC >= 0.77 on the holdout."""
    p = taiwan_scorecard.predict_proba(taiwan.X_test)[:, 1]
    s = metrics.summary(taiwan.y_test, p)
    print("\nscorecard holdout:", {k: round(v, 4) for k, v in s.items()})
    assert s["auc"] >= 0.77
    assert s["ece"] < 0.03


def test_scorecard_points_are_consistent_with_probability(taiwan, taiwan_scorecard) -> None:
    """Score points equal the scaled log-odds of the predicted PD (600 at 50:1, PDO 20)."""
    X = taiwan.X_test.iloc[:500]
    p = taiwan_scorecard.predict_proba(X)[:, 1]
    np.testing.assert_allclose(taiwan_scorecard.score_points(X), points_from_probability(p))
    np.testing.assert_allclose(points_from_probability(np.array([1 / 51])), [600.0])
    np.testing.assert_allclose(points_from_probability(np.array([1 / 101])), [620.0], atol=0.05)


def test_more_delay_never_lowers_risk(taiwan, taiwan_boosting) -> None:
    """Monotone constraint: raising any delay feature never lowers the predicted PD."""
    X = taiwan.X_test.iloc[:400].copy()
    base = taiwan_boosting.predict_proba(X)[:, 1]
    for feature in sorted(MONOTONE_INCREASING & set(X.columns)):
        worse = X.copy()
        worse[feature] = worse[feature] + 2
        assert (taiwan_boosting.predict_proba(worse)[:, 1] >= base - 1e-12).all(), feature


@pytest.mark.slow
def test_same_seed_same_metrics(taiwan, taiwan_boosting) -> None:
    """Refitting with the same seed reproduces the holdout predictions bit for bit."""
    again = BoostingModel(random_state=42).fit(taiwan.X_train, taiwan.y_train)
    p1 = taiwan_boosting.predict_proba(taiwan.X_test)[:, 1]
    p2 = again.predict_proba(taiwan.X_test)[:, 1]
    assert np.array_equal(p1, p2)
    assert metrics.summary(taiwan.y_test, p1) == metrics.summary(taiwan.y_test, p2)


def test_scorecard_reproducible(taiwan) -> None:
    """The scorecard is deterministic: two fits on the same rows give identical tables."""
    X, y = taiwan.X_train.iloc[:5000], taiwan.y_train[:5000]
    one, two = ScorecardModel().fit(X, y), ScorecardModel().fit(X, y)
    assert one.tables_ == two.tables_
    assert one.intercept_ == two.intercept_


def test_reason_codes_bilingual(taiwan, taiwan_boosting, taiwan_scorecard) -> None:
    """Every high-risk account gets adverse reasons, rendered in zh-CN and en."""
    X = taiwan.X_test.iloc[:200]
    for model in (taiwan_boosting, taiwan_scorecard):
        p = model.predict_proba(X)[:, 1]
        reasons = reason_codes(model, X, k=3)
        risky = int(np.argmax(p))
        assert 1 <= len(reasons[risky]) <= 3
        top = reasons[risky][0]
        assert top.impact > 0
        impacts = [r.impact for r in reasons[risky]]
        assert impacts == sorted(impacts, reverse=True)
        zh, en = render(top, "zh-CN"), render(top, "en")
        assert "风险" in zh
        assert "risk" in en
        assert top.feature not in zh  # catalogued features show their description


def test_fairness_by_sex_and_age_band(taiwan, taiwan_boosting) -> None:
    """Fairness at the operating threshold (flag the riskiest 22%): gaps are reported."""
    p = taiwan_boosting.predict_proba(taiwan.X_test)[:, 1]
    thr = operating_threshold(p, float(taiwan.y_train.mean()))
    rep = fairness_report(
        taiwan.y_test,
        p,
        {
            "sex": taiwan.raw_test["SEX"].map({1: "male", 2: "female"}).to_numpy(),
            "age_band": age_band(taiwan.raw_test["AGE"]),
        },
        threshold=thr,
    )
    for name in ("sex", "age_band"):
        att = rep["attributes"][name]
        print(
            f"\n{name}: flag-rate diff {att['flag_rate_difference']:.4f}, "
            f"equal-opportunity diff {att['equal_opportunity_difference']:.4f}"
        )
        assert 0.0 <= att["flag_rate_difference"] <= 1.0
        assert sum(g["n"] for g in att["groups"]) == len(taiwan.y_test)
    # flag rates per group are consistent with the overall flag share
    overall = (p >= thr).mean()
    sex = rep["attributes"]["sex"]["groups"]
    weighted = sum(g["flag_rate"] * g["n"] for g in sex) / sum(g["n"] for g in sex)
    assert weighted == pytest.approx(overall)
