"""Affordability: sustainable payment arithmetic, plausibility findings and monotonicity."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.money import Money
from accord.negotiation.affordability import Severity, assess
from accord.negotiation.examples import cny, statement
from accord.negotiation.policy import Policy
from accord.negotiation.reference import load_reference, monthly_norm
from accord.negotiation.statement import HardshipReason, ObservedBehaviour, Region


def test_sustainable_payment_is_surplus_less_margin() -> None:
    st_ = statement(
        wages=10000,
        housing=2000,
        food=2500,
        transport=800,
        utilities=300,
        education=200,
        medical=200,
        other_debt=1000,
    )
    a = assess(st_, policy=Policy(safety_margin=Decimal("0.15")))
    assert a.surplus == cny(3000)
    assert a.sustainable_payment == cny(2550)  # 3000 × 0.85
    assert a.explanation.msg_id == "afford.summary"
    assert "2,550.00" in a.explanation.render("en")
    assert "2,550.00" in a.explanation.render("zh-CN")


def test_payment_share_cap_binds_for_frugal_high_income() -> None:
    st_ = statement(
        wages=20000, housing=1000, food=2000, transport=500, utilities=200, education=0, medical=0
    )
    a = assess(st_, policy=Policy(max_payment_share=Decimal("0.5")))
    assert a.sustainable_payment == cny(10000)
    assert a.explanation.msg_id == "afford.summary_capped"


def test_no_surplus_gives_zero_and_says_why() -> None:
    a = assess(statement(wages=3000))
    assert a.sustainable_payment.is_zero()
    assert a.surplus.minor < 0
    assert any(f.code == "no_surplus" for f in a.findings)
    assert a.explanation.msg_id == "afford.summary_none"


def test_food_far_below_norm_is_flagged_not_overridden() -> None:
    table = load_reference()
    norm = monthly_norm("food", 3, Region.URBAN, table)
    declared = round(norm * 0.55)  # 45% below
    st_ = statement(food=declared)
    a = assess(st_)
    flagged = [f for f in a.findings if f.field == "expenses.food"]
    assert len(flagged) == 1
    f = flagged[0]
    assert f.severity is Severity.REVIEW
    assert f.reason.params_dict()["pct"] == 45
    en = f.reason.render("en")
    assert "45% below the urban norm" in en
    assert "household of 3" in en
    assert "低45%" in f.reason.render("zh-CN")
    # the declared figure is still the one used
    assert a.essential_expenses == st_.expenses.total
    assert a.needs_review


def test_norm_uses_square_root_scale_and_region() -> None:
    table = load_reference()
    one = monthly_norm("food", 1, Region.NATIONAL, table)
    four = monthly_norm("food", 4, Region.NATIONAL, table)
    assert abs(four / one - 2.0) < 1e-12
    # per-capita figure × sqrt(size × mean household size), per month
    assert abs(one - 8411 / 12 * (1 * table.household_size_mean) ** 0.5) < 1e-9
    urban = monthly_norm("food", 3, Region.URBAN, table)
    rural = monthly_norm("food", 3, Region.RURAL, table)
    assert rural < monthly_norm("food", 3, Region.NATIONAL, table) < urban
    assert table.year == 2024
    assert "国家统计局" in table.source


def test_consistency_and_behaviour_findings() -> None:
    st_ = statement(hardship=HardshipReason.JOB_LOSS, evidence=(), other_debt=5000)
    observed = ObservedBehaviour(months=6, amount_paid=cny(6 * 3000), months_with_payment=6)
    a = assess(st_, observed=observed, owed=cny(4000))
    codes = {f.code for f in a.findings}
    assert {
        "job_loss_with_wages",
        "no_evidence",
        "other_debt_heavy",
        "observed_paid_more",
        "liquid_covers_debt",
    } <= codes


def test_plausible_statement_has_no_review_findings() -> None:
    a = assess(statement())
    assert not a.needs_review, [f.reason.render("en") for f in a.findings]


amounts = st.integers(min_value=0, max_value=30_000)


@settings(max_examples=150, deadline=None)
@given(wages=amounts, extra=st.integers(0, 5000), food=amounts, cut=st.integers(0, 3000))
def test_more_income_or_less_spending_never_lowers_payment(
    wages: int, extra: int, food: int, cut: int
) -> None:
    base = assess(statement(wages=wages, food=food))
    richer = assess(statement(wages=wages + extra, food=max(food - cut, 0)))
    assert richer.sustainable_payment >= base.sustainable_payment
    assert richer.lump_sum_capacity >= base.lump_sum_capacity
    assert base.sustainable_payment >= Money.zero()
    assert base.sustainable_payment <= base.income.scale(Policy().max_payment_share)


def test_same_inputs_same_outputs() -> None:
    assert assess(statement()) == assess(statement())
