"""The negotiation pipeline: recommendation, menu, BATNAs, no-deal, and its invariants."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.negotiation.engine import case_arrays, negotiate, negotiate_batch
from accord.negotiation.examples import cny, example_case
from accord.negotiation.plans import PlanKind, check_plan, plan_grid
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.valuation import evaluate
from accord.negotiation.valuation_naive import evaluate_naive, streams

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_recommends_affordable_plan_that_beats_both_batnas() -> None:
    o = negotiate(example_case(wages=9000), schedules=False)
    r = o.recommended
    assert r is not None
    assert r.largest_payment <= o.affordability.sustainable_payment
    assert r.creditor_value > o.creditor_batna.value
    assert r.debtor_cost < o.debtor_batna.cost
    assert r.creditor_gain.minor > 0
    assert r.debtor_gain.minor > 0
    assert o.need_tier == 0  # affordable at the contract rate: no concession needed
    assert r.relief == Decimal(0)
    assert "36 months" in r.explanation.render("en") or "months" in r.explanation.render("en")
    assert "与不达成协议相比" in r.explanation.render("zh-CN")


def test_menu_has_at_most_three_distinct_pareto_labels() -> None:
    o = negotiate(example_case(wages=9000, liquid=60000), schedules=False)
    labels = [m.label for m in o.menu]
    assert 1 <= len(labels) <= 3
    assert len(set(labels)) == len(labels)
    assert set(labels) <= {"lowest_payment", "shortest_term", "settlement"}
    by = {m.label: m.plan for m in o.menu}
    if "lowest_payment" in by and "shortest_term" in by:
        assert by["lowest_payment"].largest_payment <= by["shortest_term"].largest_payment
        assert by["shortest_term"].spec.months <= by["lowest_payment"].spec.months
    for m in o.menu:
        assert m.plan.creditor_gain.minor > 0
        assert m.plan.debtor_gain.minor > 0
        assert m.plan.tier == o.need_tier


def test_distressed_debtor_gets_concessions_and_approval_flags() -> None:
    o = negotiate(example_case(wages=6200), schedules=False)
    r = o.recommended
    assert r is not None
    assert o.need_tier is not None
    assert o.need_tier > 0
    assert "interest_freeze" in r.spec.features or "principal_reduction" in r.spec.features
    assert r.needs_approval  # deep relief is beyond auto-approval
    assert r.largest_payment <= o.affordability.sustainable_payment


def test_no_deal_says_why() -> None:
    o = negotiate(example_case(wages=5800, liquid=0), schedules=False)
    assert o.recommended is None
    assert o.menu == ()
    assert o.no_deal is not None
    assert o.no_deal.msg_id == "nodeal.unaffordable"
    assert "¥255.00" in o.no_deal.render("en")
    assert "没有可负担的方案" in o.no_deal.render("zh-CN")


def test_creditor_batna_can_block_a_deal() -> None:
    rich_batna = Policy(
        collection_success=Decimal("0.99"),
        collection_recovery=Decimal("1"),
        collection_legal_cost=Decimal(0),
    )
    o = negotiate(example_case(wages=6200, policy=rich_batna), schedules=False)
    assert o.recommended is None
    assert o.no_deal is not None
    assert o.no_deal.msg_id == "nodeal.creditor_batna"


def test_streams_match_numpy_financial_annuity() -> None:
    case = example_case()
    grid = plan_grid(case.policy, case.limits)
    pay, closing, _ = streams(
        case_arrays([case], [negotiate(case, schedules=False).affordability]), grid, case.limits
    )
    for p, spec in enumerate(grid.specs):
        if spec.kind is PlanKind.RESTRUCTURE and spec.holiday_months == 0 and spec.step_rate == 0:
            rate = min(0.18 * float(spec.rate_factor), 0.24) / 12
            principal = 43000 * (1 - float(spec.haircut))
            expected = -npf.pmt(rate, spec.months, principal) if rate else principal / spec.months
            assert pay[0, p, 0] == pytest.approx(expected, rel=1e-10)
            assert closing[0, p, spec.months - 1] == pytest.approx(0, abs=1e-6)


def test_batch_equals_single_and_is_deterministic() -> None:
    cases = [example_case(case_id=f"c{w}", wages=w) for w in (5800, 6200, 7000, 9000, 12000)]
    batch = negotiate_batch(cases, schedules=False, chunk=2)
    assert batch == [negotiate(c, schedules=False) for c in cases]
    assert batch == negotiate_batch(cases, schedules=False)


wage = st.integers(min_value=5000, max_value=16000)


@FAST
@given(wages=wage, cut=st.integers(min_value=1, max_value=4000), owed=st.integers(5000, 120000))
def test_lower_affordability_never_raises_required_payment(wages: int, cut: int, owed: int) -> None:
    hi = negotiate(example_case(wages=wages, principal=owed, charges=0), schedules=False)
    lo = negotiate(example_case(wages=wages - cut, principal=owed, charges=0), schedules=False)
    assert lo.affordability.sustainable_payment <= hi.affordability.sustainable_payment
    lo_req, hi_req = lo.required_payment, hi.required_payment
    if lo_req is not None and hi_req is not None:
        assert lo_req <= hi_req
    if lo.recommended is not None:
        assert lo.recommended.largest_payment <= lo.affordability.sustainable_payment


@FAST
@given(
    wages=wage,
    extra=st.integers(0, 4000),
    spend_cut=st.integers(0, 800),
    liquid=st.integers(0, 50000),
    more_liquid=st.integers(0, 50000),
    pd=st.integers(5, 90),
    pd_cut=st.integers(0, 40),
    owed=st.integers(5000, 120000),
)
def test_better_off_debtor_never_gets_deeper_concession(
    wages: int,
    extra: int,
    spend_cut: int,
    liquid: int,
    more_liquid: int,
    pd: int,
    pd_cut: int,
    owed: int,
) -> None:
    worse = negotiate(
        example_case(wages=wages, liquid=liquid, pd=f"0.{pd:02d}", principal=owed, charges=0),
        schedules=False,
    )
    better = negotiate(
        example_case(
            wages=wages + extra,
            food=2000 - spend_cut,
            liquid=liquid + more_liquid,
            pd=f"0.{max(pd - pd_cut, 1):02d}",
            principal=owed,
            charges=0,
        ),
        schedules=False,
    )
    if worse.recommended is not None:
        assert better.recommended is not None
        assert better.need_tier is not None
        assert worse.need_tier is not None
        assert better.need_tier <= worse.need_tier


policies = st.builds(
    Policy,
    max_haircut=st.sampled_from([Decimal(x) for x in ("0", "0.1", "0.2", "0.45")]),
    max_settlement_discount=st.sampled_from([Decimal(x) for x in ("0", "0.15", "0.3", "0.5")]),
    min_recovery=st.sampled_from([Decimal(x) for x in ("0.4", "0.6", "0.8")]),
    max_term_months=st.sampled_from([12, 24, 36, 60]),
    allow_interest_freeze=st.booleans(),
)
limits = st.builds(
    Limits,
    max_term_months=st.sampled_from([6, 18, 48, 60]),
    max_annual_rate=st.sampled_from([Decimal(x) for x in ("0.06", "0.15", "0.24")]),
    max_holiday_months=st.sampled_from([0, 3, 6]),
)


@FAST
@given(policy=policies, lim=limits, wages=wage, rate=st.sampled_from(["0.0", "0.12", "0.36"]))
def test_no_plan_ever_breaks_a_pack_or_policy_limit(
    policy: Policy, lim: Limits, wages: int, rate: str
) -> None:
    grid = plan_grid(policy, lim)
    assert all(check_plan(s, policy, lim) == () for s in grid.specs)
    o = negotiate(example_case(wages=wages, rate=rate, policy=policy, limits=lim), schedules=False)
    chosen = ([o.recommended] if o.recommended else []) + [m.plan for m in o.menu]
    for p in chosen:
        assert check_plan(p.spec, policy, lim) == ()
        assert p.spec.months <= min(policy.max_term_months, lim.max_term_months)
        assert p.annual_rate <= lim.max_annual_rate
        assert p.total_payable.minor >= (o.owed.minor * policy.min_recovery) - 1
        assert p.spec.haircut <= policy.max_haircut
        assert p.spec.discount <= policy.max_settlement_discount
        if not policy.allow_interest_freeze and p.spec.kind is PlanKind.RESTRUCTURE:
            assert p.spec.rate_factor > 0
    assert np.all(grid.months <= lim.max_term_months)


def test_money_amounts_are_money() -> None:
    o = negotiate(example_case(), schedules=False)
    assert o.owed == cny(43000)


@pytest.mark.parametrize("rate", ["0.18", "0.0", "0.30"])
def test_closed_form_valuation_matches_month_by_month_reference(rate: str) -> None:
    cases = [
        example_case(case_id=f"c{w}", wages=w, principal=p, rate=rate, liquid=cash)
        for w, p, cash in ((6200, 40000, 0), (9000, 43000, 20000), (15000, 8000, 90000))
    ]
    affs = [negotiate(c, schedules=False).affordability for c in cases]
    x = case_arrays(cases, affs)
    grid = plan_grid(Policy(), Limits())
    fast = evaluate(x, grid, Policy(), Limits())
    slow = evaluate_naive(x, grid, Policy(), Limits())
    for name in (
        "first_payment",
        "max_payment",
        "total",
        "relief",
        "redefault_12m",
        "creditor_value",
        "debtor_cost",
    ):
        np.testing.assert_allclose(
            getattr(fast, name), getattr(slow, name), rtol=1e-6, atol=1e-4, err_msg=name
        )
    assert (fast.tier == slow.tier).all()
    assert (fast.feasible == slow.feasible).all()
