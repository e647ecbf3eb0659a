"""Decision-path attributions: exact decomposition of the margin, agreement with TreeSHAP."""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

import numpy as np
import pandas as pd
import pytest

from accord.risk import tree_paths
from accord.risk.boosting import BoostingModel
from accord.risk.tree_paths import PathTables


def _model() -> tuple[BoostingModel, pd.DataFrame]:
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame(
        {
            "delay_1": rng.integers(0, 4, n).astype(float),
            "util_1": rng.random(n),
            "noise": rng.normal(size=n),
            "kind": rng.choice(["a", "b", "c"], n),
        }
    )
    X.loc[rng.random(n) < 0.1, "util_1"] = np.nan
    logit = -2 + 0.9 * X["delay_1"] + 1.5 * X["util_1"].fillna(0.5) + (X["kind"] == "b")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).to_numpy().astype(int)
    return BoostingModel(n_estimators=80, random_state=1).fit(X, y), X


def test_path_attributions_sum_to_the_margin() -> None:
    model, X = _model()
    Xa = model._validate_predict(X)
    margin = model.booster_.predict(Xa, raw_score=True)
    tables = PathTables.from_booster(model.booster_)
    m2, contrib = tables.margin_and_contrib(model.booster_.predict(Xa, pred_leaf=True))
    np.testing.assert_allclose(m2, margin, atol=1e-10)
    np.testing.assert_allclose(tables.bias + contrib.sum(axis=1), margin, atol=1e-10)


def test_batch_scoring_matches_predict_proba_and_roughly_shap() -> None:
    model, X = _model()
    p, contrib = model.score_and_explain(X)
    np.testing.assert_allclose(p, model.predict_proba(X)[:, 1], atol=1e-12)
    shap = model.explain(X, method="shap")
    # same most-adverse factor for the large majority of rows
    assert (shap.argmax(axis=1) == contrib.argmax(axis=1)).mean() > 0.8
    # and the pure-noise column matters least on average, under both methods
    for attributions in (shap, contrib):
        weight = np.abs(attributions).mean(axis=0)
        assert weight.argmin() == list(X.columns).index("noise")
    np.testing.assert_array_equal(model.explain(X, method="path"), contrib)


def test_tree_pairs_and_row_blocks_change_nothing_but_speed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, X = _model()
    Xa = model._validate_predict(X)
    leaves = model.booster_.predict(Xa, pred_leaf=True)
    margin = model.booster_.predict(Xa, raw_score=True)
    full = PathTables.from_booster(model.booster_)
    assert full.pairs == len(full.offset) // 2  # a small model: every tree has a partner
    n_leaves = np.diff(np.append(full.offset, len(full.table)))
    row_bytes = full.table.shape[1] * 8
    # no pairs, three pairs (the rest unpaired), all pairs
    for budget in (0, int(n_leaves[:6].reshape(3, 2).prod(axis=1).sum()) * row_bytes, 8 << 20):
        monkeypatch.setattr(tree_paths, "PAIR_BUDGET", budget)
        tables = PathTables.from_table(full.table, full.offset, full.bias)
        assert tables.pairs == {0: 0, 8 << 20: full.pairs}.get(budget, 3)
        m, contrib = tables.margin_and_contrib(leaves)
        np.testing.assert_allclose(m, margin, atol=1e-10)
        np.testing.assert_allclose(tables.bias + contrib.sum(axis=1), margin, atol=1e-10)
        # each row's attributions are the plain per-tree sum of its leaves' rows
        naive = sum(full.contrib[full.offset[t] + leaves[:, t]] for t in range(leaves.shape[1]))
        np.testing.assert_allclose(contrib, naive, atol=1e-12)
    # scoring in row blocks smaller than the data gives the same answer as one block
    p, contrib = model.score_and_explain(X)
    monkeypatch.setattr(tree_paths, "BLOCK", 700)
    p_blocks, contrib_blocks = model.score_and_explain(X)
    np.testing.assert_array_equal(p_blocks, p)
    np.testing.assert_array_equal(contrib_blocks, contrib)
