from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core import vector
from accord.core.errors import InvalidSchedule
from accord.core.money import Money
from accord.core.schedule import build_schedule
from accord.core.types import Method
from accord.core.vector import amortize, rate_numerators

METHODS = [Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY]


def scalar_rows(p: int, rate: Decimal, n: int, m: Method) -> tuple[list[int], ...]:
    s = build_schedule(
        principal=Money(p), annual_rate=rate, months=n, method=m, start=date(2026, 1, 1)
    )
    inst = s.installments
    return (
        [i.payment.minor for i in inst],
        [i.principal.minor for i in inst],
        [i.interest.minor for i in inst],
    )


def assert_agrees(
    p: list[int], rates: list[Decimal], n: list[int], m: Method, as_float: bool
) -> None:
    rate_arg = np.array([float(r) for r in rates]) if as_float else np.array(rates, dtype=object)
    pay, prin, inte = amortize(np.array(p), rate_arg, np.array(n), m)
    assert pay.shape == (len(p), max(n))
    assert pay.dtype == prin.dtype == inte.dtype == np.int64
    for i in range(len(p)):
        want = scalar_rows(p[i], rates[i], n[i], m)
        k = n[i]
        for got, exp in zip((pay, prin, inte), want, strict=True):
            assert got[i, :k].tolist() == exp
            assert not got[i, k:].any()
        assert prin[i].sum() == p[i]


loan = st.tuples(
    st.integers(min_value=1, max_value=10**10),
    st.integers(min_value=0, max_value=10**6).map(lambda x: Decimal(x).scaleb(-6)),
    st.integers(min_value=1, max_value=60),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(loan, min_size=1, max_size=8), st.sampled_from(METHODS), st.booleans())
def test_vector_equals_scalar(
    loans: list[tuple[int, Decimal, int]], m: Method, as_float: bool
) -> None:
    p, r, n = (list(x) for x in zip(*loans, strict=True))
    assert_agrees(p, r, n, m, as_float)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=10**14, max_value=10**15),  # forces the overflow-safe split
            st.integers(min_value=1, max_value=10**8).map(lambda x: Decimal(x).scaleb(-8)),
            st.integers(min_value=1, max_value=600),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(METHODS),
)
def test_huge_principals_and_long_terms(loans: list[tuple[int, Decimal, int]], m: Method) -> None:
    p, r, n = (list(x) for x in zip(*loans, strict=True))
    assert_agrees(p, r, n, m, as_float=False)


def test_tie_fallback_path_gives_identical_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    p = rng.integers(1, 10**10, 2000)
    num = rng.integers(0, 10**8, 2000)
    n = rng.integers(1, 61, 2000)
    fast = vector.level_payments(p, num, n)
    monkeypatch.setattr(vector, "_TIE_REL", 1.0)  # every loan now takes the exact integer path
    exact = vector.level_payments(p, num, n)
    assert np.array_equal(fast, exact)


def test_rate_numerators_exact_or_refused() -> None:
    assert rate_numerators(np.array([0.0435, 0.12, 1.0, 0.0])).tolist() == [
        4_350_000,
        12_000_000,
        100_000_000,
        0,
    ]
    assert rate_numerators(np.array([Decimal("0.04350001")], dtype=object)).tolist() == [4_350_001]
    with pytest.raises(InvalidSchedule, match="decimal places"):
        rate_numerators(np.array([0.123456789]))
    with pytest.raises(InvalidSchedule, match="decimal places"):
        rate_numerators(np.array([Decimal("0.123456789")], dtype=object))
    with pytest.raises(InvalidSchedule, match="finite"):
        rate_numerators(np.array([float("nan")]))
    with pytest.raises(InvalidSchedule, match=r"0\.\.1"):
        rate_numerators(np.array([1.5]))


def test_amortize_known_answer_and_validation() -> None:
    pay, prin, _ = amortize(
        np.array([10_000_000]), np.array([0.12]), np.array([12]), "equal-installment"
    )
    assert pay[0, :11].tolist() == [888_488] * 11
    assert prin.sum() == 10_000_000
    # exact tie: 165 × 0.4 / 12 = 5.5 fen, rounded half-up to 6
    _, _, interest = amortize(np.array([165]), np.array([0.4]), np.array([1]), "interest-only")
    assert interest.tolist() == [[6]]
    with pytest.raises(InvalidSchedule, match="step-up"):
        amortize(np.array([1]), np.array([0.1]), np.array([1]), Method.STEP_UP)
    with pytest.raises(InvalidSchedule, match="months"):
        amortize(np.array([100]), np.array([0.1]), np.array([601]), Method.EQUAL_PRINCIPAL)
    with pytest.raises(InvalidSchedule, match="principals"):
        amortize(np.array([0]), np.array([0.1]), np.array([6]), Method.EQUAL_PRINCIPAL)
    with pytest.raises(InvalidSchedule, match="integers"):
        amortize(np.array([100]), np.array([0.1]), np.array([12.5]), Method.EQUAL_PRINCIPAL)
    with pytest.raises(InvalidSchedule, match="1-D"):
        amortize(np.array([1, 2]), np.array([0.1]), np.array([6]), Method.EQUAL_PRINCIPAL)
    empty = amortize(np.array([], dtype=np.int64), np.array([]), np.array([]), Method.INTEREST_ONLY)
    assert all(a.shape == (0, 0) for a in empty)
