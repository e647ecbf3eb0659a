"""Agreement between Accord's DPD bucket and the dataset's PAY_x status, over all 180,000 pairs."""

import numpy as np
import polars as pl
import pytest

from accord.analytics.taiwan_agreement import (
    accord_codes,
    assessment_dates,
    measure_agreement,
    report,
    scalar_buckets,
    status_codes,
)
from accord.analytics.taiwan_book import DEFAULT_PATH, read_uci


@pytest.fixture(scope="module")
def df() -> pl.DataFrame:
    return read_uci(DEFAULT_PATH)


def test_status_codes() -> None:
    got = status_codes(np.array([-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
    assert got.tolist() == [0, 0, 0, 1, 2, 3, 4, 4, 4, 5, 5]


def test_assessment_dates_follow_the_payment_window() -> None:
    got = [d.isoformat() for d in assessment_dates()]
    assert got == [
        "2005-05-31",
        "2005-06-30",
        "2005-07-31",
        "2005-08-31",
        "2005-09-30",
        "2005-09-30",
    ]


def test_agreement_over_all_pairs(df: pl.DataFrame) -> None:
    result = measure_agreement(df)
    print("\n" + report(result))
    assert result.pairs == 180_000
    assert sum(m.pairs for m in result.per_month) == 180_000
    assert sum(m.agree for m in result.per_month) == result.agree
    assert 0.0 <= result.rate <= 1.0
    conf = np.array(result.confusion)
    assert conf.sum() == 180_000
    assert np.trace(conf) == result.agree
    assert conf.sum(axis=1)[0] == result.data_current
    assert 0.0 <= result.binary_rate <= 1.0
    assert 0.0 <= result.shifted_rate <= 1.0


def test_vector_buckets_match_scalar_replay(df: pl.DataFrame) -> None:
    fast = accord_codes(df)
    status = status_codes(np.stack([df[c].to_numpy() for c in ("PAY_6", "PAY_0")], axis=1))
    rng = np.random.default_rng(2005)
    delinquent = np.flatnonzero((fast > 0).any(axis=1) | (status > 0).any(axis=1))
    rows = sorted(
        set(rng.choice(30_000, 150, replace=False))
        | set(rng.choice(delinquent, 150, replace=False))
    )
    slow = scalar_buckets(df, rows)
    assert slow.tolist() == fast[rows].tolist()
