"""Top adverse factors: the vectorised selection against a naive per-row reference."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.risk.reasons import top_adverse


def _naive(c: np.ndarray, k: int) -> tuple[list[list[int]], list[list[float]]]:
    """Per row, sort the positive (> 1e-9) contributions, largest first, lower column on ties."""
    k = min(k, c.shape[1])
    idx, impact = [], []
    for row in c:
        picks = sorted((-v, j) for j, v in enumerate(row) if v > 1e-9)[:k]
        idx.append([j for _, j in picks] + [-1] * (k - len(picks)))
        impact.append([-v for v, _ in picks] + [0.0] * (k - len(picks)))
    return idx, impact


@settings(max_examples=200, deadline=None)
@given(
    c=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        # few distinct values, so ties, zeros, tiny and missing values are common
        elements=st.sampled_from([-2.0, -1e-12, 0.0, 1e-12, 1e-9, 0.25, 0.5, 3.0, np.nan]),
    ),
    k=st.integers(1, 6),
)
def test_top_adverse_matches_a_naive_sort(c: np.ndarray, k: int) -> None:
    idx, impact = top_adverse(c, k)
    want_idx, want_impact = _naive(c, k)
    assert idx.tolist() == want_idx
    assert impact.tolist() == want_impact


def test_top_adverse_reads_strided_views() -> None:
    rng = np.random.default_rng(3)
    wide = rng.normal(size=(500, 9))
    idx, impact = top_adverse(wide[:, :-1], 4)  # a view, as score_and_explain returns
    want_idx, want_impact = _naive(wide[:, :-1], 4)
    assert idx.tolist() == want_idx
    np.testing.assert_array_equal(impact, want_impact)
