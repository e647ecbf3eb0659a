"""The generic tabular path: target mapping, column preparation and German-credit CV."""

# ruff: noqa: N806 - scikit-learn's convention names the feature matrix X

import numpy as np
import pandas as pd
import pytest

from accord.risk import tabular
from accord.risk.errors import SchemaError
from accord.services.risk_data import german_path
from accord.services.risk_tabular import read_table

#: german.doc attributes 9 (personal status and sex), 13 (age), 20 (foreign worker).
GERMAN_PROTECTED = ("c9", "c13", "c20")


@pytest.mark.parametrize(
    ("values", "positive"),
    [
        ([0, 1, 1], "1"),
        (["yes", "no", "no"], "yes"),
        ([True, False, False], "True"),
        ([1, 2, 1, 1], "2"),
        (["good", "bad", "good"], "bad"),
    ],
)
def test_binary_target_picks_the_bad_class(values: list, positive: str) -> None:
    y, pos = tabular.binary_target(pd.Series(values, name="t"))
    assert pos == positive
    assert y.sum() == sum(str(v) == positive for v in values)


def test_binary_target_refuses_bad_targets() -> None:
    with pytest.raises(SchemaError):
        tabular.binary_target(pd.Series([1, 2, 3], name="t"))
    with pytest.raises(SchemaError):
        tabular.binary_target(pd.Series([1.0, None], name="t"))


def test_prepare_table_drops_what_it_must() -> None:
    n = 200
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "name": [f"person {i}" for i in range(n)],
            "age": rng.integers(20, 70, n),
            "sex": rng.choice(["m", "f"], n),
            "const": 1,
            "util": rng.random(n),
            "region": rng.choice(["a", "b"], n),
            "bad": rng.integers(0, 2, n),
        }
    )
    X, _y, spec = tabular.prepare_table(frame, "bad", id_col="id", exclude=["region"])
    assert list(X.columns) == ["util"]
    assert dict(spec.dropped) == {
        "name": "identifier-like",
        "age": "protected",
        "sex": "protected",
        "const": "constant",
        "region": "excluded",
    }
    assert spec.positive == "1"
    assert tabular.TableSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.slow
def test_german_credit_cv_auc() -> None:
    """German credit, protected attributes excluded: mean 5-fold stratified CV AUC >= 0.79."""
    frame = read_table(german_path())
    X, y, spec = tabular.prepare_table(frame, "c21", protected_columns=GERMAN_PROTECTED)
    assert {c for c, why in spec.dropped if why == "protected"} == set(GERMAN_PROTECTED)
    assert spec.positive == "2"  # 2 = bad in german.doc
    assert y.mean() == pytest.approx(0.3)
    result = tabular.cross_validate(X, y, kind="blend", folds=5, seed=0)
    print("\nGerman 5-fold CV:", {k: round(v, 4) for k, v in result["mean"].items()})
    assert result["mean"]["auc"] >= 0.79
