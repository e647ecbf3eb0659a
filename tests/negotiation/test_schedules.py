"""Exact schedules from accord.core agree with the vectorised valuation streams."""

from __future__ import annotations

import pytest

from accord.negotiation.engine import negotiate
from accord.negotiation.examples import example_case
from accord.negotiation.plans import PlanKind
from accord.negotiation.schedules import plan_principal, schedules_available

pytestmark = pytest.mark.skipif(
    not schedules_available(), reason="accord.core.schedule / accord.core.apr not merged yet"
)


@pytest.mark.parametrize("wages", [6200, 7000, 9000, 14000])
def test_exact_schedules_reconcile_and_match_streams(wages: int) -> None:
    exact = negotiate(example_case(wages=wages, liquid=50000), schedules=True)
    approx = negotiate(example_case(wages=wages, liquid=50000), schedules=False)
    plans = [m.plan for m in exact.menu] + ([exact.recommended] if exact.recommended else [])
    twins = [m.plan for m in approx.menu] + ([approx.recommended] if approx.recommended else [])
    assert plans
    for p, q in zip(plans, twins, strict=True):
        assert p.spec == q.spec
        s = p.schedule
        assert s is not None
        principal = sum(i.principal.minor for i in s.installments)
        assert principal == plan_principal(p.spec, exact.owed).minor
        assert len(s.installments) == p.spec.months
        # float streams and exact integer schedule agree to within a few minor units a month
        assert abs(p.total_payable.minor - q.total_payable.minor) <= p.spec.months
        assert abs(p.first_payment.minor - q.first_payment.minor) <= 1
        if p.spec.kind is PlanKind.RESTRUCTURE:
            assert p.largest_payment <= exact.affordability.sustainable_payment
        else:
            assert p.largest_payment <= exact.affordability.lump_sum_capacity
        assert p.apr is not None
