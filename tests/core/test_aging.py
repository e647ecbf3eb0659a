"""Vectorised aging agrees with the exact scalar replay, and buckets map like ``bucket``."""

from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.aging import BUCKETS, PAD_DAY, bucket_codes, dpd_matrix, ordinals, pad_rows
from accord.core.delinquency import Account, bucket, replay
from tests.core.servicing_helpers import OPEN, payment_lists, schedules


def test_bucket_codes_match_scalar() -> None:
    dpd = np.arange(0, 400, dtype=np.int64)
    codes = bucket_codes(dpd)
    assert [BUCKETS[c] for c in codes] == [bucket(int(d)) for d in dpd]


def test_simple_known_case() -> None:
    day0 = OPEN.toordinal()
    due_days = np.array([[day0 + 30, day0 + 60]])
    due_amounts = np.array([[100, 100]])
    pay_days = np.array([[day0 + 30, day0]])
    pay_amounts = np.array([[100, 0]])
    as_of = np.array([day0 + 30, day0 + 31, day0 + 61, day0 + 95])
    got = dpd_matrix(due_days, due_amounts, pay_days, pay_amounts, as_of)
    assert got.tolist() == [[0, 0, 1, 35]]


def test_empty_and_padded_rows() -> None:
    days, amounts = pad_rows([[(5, 10)], []])
    assert days.shape == (2, 1)
    assert days[1, 0] == PAD_DAY
    out = dpd_matrix(
        days, amounts, np.zeros((2, 0), np.int64), np.zeros((2, 0), np.int64), np.array([100])
    )
    assert out.tolist() == [[95], [0]]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(schedules(), payment_lists()), min_size=1, max_size=12))
def test_vector_agrees_with_scalar_replay(accounts) -> None:  # type: ignore[no-untyped-def]
    as_of = [OPEN + timedelta(days=d) for d in (0, 15, 31, 45, 90, 200, 400)]
    end = as_of[-1]
    dues = [[(i.due_date.toordinal(), i.payment.minor) for i in s] for s, _ in accounts]
    pays = [[(p.paid_on.toordinal(), p.amount.minor) for p in ps] for _, ps in accounts]
    dd, da = pad_rows(dues)
    pd, pa = pad_rows(pays, pad_day=0)
    fast = dpd_matrix(dd, da, pd, pa, ordinals(as_of))
    for row, (sched, ps) in enumerate(accounts):
        state = replay(Account(OPEN, sched[0].opening_principal, sched), ps, end)
        assert fast[row].tolist() == [state.dpd_on(t) for t in as_of]
