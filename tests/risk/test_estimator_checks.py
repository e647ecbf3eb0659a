"""scikit-learn's estimator contract for the three risk models (parametrize_with_checks)."""

from typing import Any

from sklearn.utils.estimator_checks import parametrize_with_checks

from accord.risk.blend import BlendModel
from accord.risk.boosting import BoostingModel
from accord.risk.scorecard import ScorecardModel


def _expected_failures(estimator: Any) -> dict[str, str]:
    """Checks that cannot apply to these models, with the reason (none needed so far)."""
    return {}


def _small_boosting() -> BoostingModel:
    # few trees and 2 folds: the contract is about the interface, not accuracy
    return BoostingModel(n_estimators=30, cv=2, early_stopping_rounds=10)


@parametrize_with_checks(
    [_small_boosting(), ScorecardModel(max_n_bins=5), BlendModel(boosting=_small_boosting())],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_contract(estimator: Any, check: Any) -> None:
    """Each model passes scikit-learn's check_estimator suite."""
    check(estimator)
