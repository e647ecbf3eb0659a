"""Executor stories: breach and its consequences, hardship rules, income steps, payoff rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from accord.agreements import (
    Cancel,
    DeclareHardship,
    Evidence,
    InvalidCommand,
    InvalidTransition,
    Pay,
    Status,
    VerifyHardship,
    VerifyIncomeChange,
    apply,
    open_agreement,
    tick,
)
from accord.agreements.reasons import CATALOGUE, explain
from tests.agreements.helpers import START, make_terms, signed, terms_data

LETTER = (Evidence("termination_letter", "ab" * 32),)


def _run_days(contract: Any, state: Any, until: date) -> tuple[Any, list[Any]]:
    log: list[Any] = []
    d = state.last_on
    while d < until:
        d += timedelta(days=1)
        step = tick(contract, state, d)
        state, log = step.state, log + list(step.events)
    return state, log


def test_second_missed_installment_breaches_and_offers_renegotiation() -> None:
    contract, state, _ = signed(make_terms())
    state, log = _run_days(contract, state, START + timedelta(days=40))
    [breach] = [e for e in log if e.type == "agreement.breached"]
    assert state.status is Status.BREACHED
    assert breach.rule == "terms.allowed_late_payments"
    assert breach.payload["consequence"] == "offer-renegotiation"
    assert "renegotiation" in explain(breach.reason_id, breach.reason_params, "en")
    assert "重新协商" in explain(breach.reason_id, breach.reason_params, "zh-CN")
    # money arriving after breach is held, not applied
    step = apply(contract, state, Pay(state.last_on, "late", 100_000))
    assert step.state.unapplied == 100_000
    assert step.events[-1].type == "agreement.payment_unapplied"


def test_arrears_beyond_the_limit_reinstate_the_original_debt() -> None:
    data = terms_data(allowed_late_payments=5)
    data["breach"].update(consequence="reinstate-original", max_days_in_arrears=20)
    from accord.agreements import parse_terms

    contract, state, _ = signed(parse_terms(data))
    state = apply(contract, state, Pay(START, "p1", 100_000)).state
    state, log = _run_days(contract, state, START + timedelta(days=60))
    [breach] = [e for e in log if e.type == "agreement.breached"]
    assert breach.rule == "terms.breach.max_days_in_arrears"
    assert breach.payload["days_in_arrears"] == 21
    assert breach.payload["reinstated_minor"] == 3_000_000 - 100_000


def test_hardship_needs_a_rule_evidence_and_room_in_the_limits() -> None:
    contract, state, _ = signed(make_terms())
    on = date(2025, 1, 2)
    cases = [
        (DeclareHardship(on, "holiday", LETTER), "agreement.hardship_rejected.no_rule"),
        (
            DeclareHardship(on, "job_loss", (Evidence("selfie", "00" * 32),)),
            "agreement.hardship_rejected.no_evidence",
        ),
    ]
    for cmd, reason in cases:
        step = apply(contract, state, cmd)
        assert step.events[-1].reason_id == reason
        assert step.state.hardship_pending is None
    step = apply(contract, state, DeclareHardship(on, "job_loss", LETTER))
    assert step.state.hardship_pending == "job_loss"
    declined = apply(contract, step.state, VerifyHardship(on, False, "v"))
    assert declined.state.hardship_pending is None
    assert declined.state.status is Status.ACTIVE
    with pytest.raises(InvalidTransition):
        apply(contract, declined.state, VerifyHardship(on, True, "v"))
    # 60 + 90 days exceed the 120 days allowed in total
    s = apply(contract, step.state, VerifyHardship(on, True, "v")).state
    assert s.status is Status.PAUSED
    assert s.installments[0].due == START + timedelta(days=60)
    s, _ = _run_days(contract, s, on + timedelta(days=60))
    assert s.status is Status.ACTIVE
    last = apply(
        contract, s, DeclareHardship(s.last_on, "illness", (Evidence("hospital_record", "1" * 64),))
    )
    assert last.events[-1].reason_id == "agreement.hardship_rejected.limit"


def test_income_rules_small_drops_and_rises_change_nothing() -> None:
    contract, state, _ = signed(make_terms())
    on = date(2025, 1, 2)
    for prev, cur in ((1000, 900), (1000, 1500)):
        step = apply(contract, state, VerifyIncomeChange(on, prev, cur, "0" * 64))
        assert step.events[-1].type == "agreement.income_change_noted"
        assert step.state.installments == state.installments
    step = apply(contract, state, VerifyIncomeChange(on, 1000, 500, "0" * 64))  # 50 % drop
    adjusted = step.state.installments
    assert {i.amount for i in adjusted[:24]} == {60_000}
    assert sum(i.amount for i in adjusted) == sum(i.amount for i in state.installments)
    assert len(adjusted) == 24 + 12  # capped at 12 extra installments
    with pytest.raises(InvalidCommand):
        apply(contract, state, VerifyIncomeChange(on, 0, 10, "0" * 64))


def test_payoff_before_enough_installments_is_an_ordinary_payment() -> None:
    contract, state, _ = signed(make_terms())
    step = apply(contract, state, Pay(START, "p", 2_280_000, "payoff"))
    types = [e.type for e in step.events]
    assert "agreement.payoff_not_eligible" in types
    assert step.state.status is Status.ACTIVE
    assert step.state.paid_total == 2_280_000
    # paying the rest completes on schedule terms, with no discount
    done = apply(contract, step.state, Pay(START, "q", 120_000))
    assert (done.state.status, done.state.outcome, done.state.discount) == (
        Status.COMPLETED,
        "settled",
        0,
    )


def test_payments_are_idempotent_and_validated() -> None:
    contract, state, _ = signed(make_terms())
    s1 = apply(contract, state, Pay(START, "same", 50_000)).state
    assert apply(contract, s1, Pay(START, "same", 50_000)).events == ()
    for bad in (Pay(START, "x", 0), Pay(START, "", 5), Pay(START, "x", 5, "gift")):
        with pytest.raises(InvalidCommand):
            apply(contract, s1, bad)
    with pytest.raises(InvalidTransition):
        apply(contract, s1, Pay(START - timedelta(days=30), "old", 5))


def test_cancel_only_before_both_signatures() -> None:
    contract, step = open_agreement(make_terms(), date(2025, 1, 1))
    done = apply(contract, step.state, Cancel(date(2025, 1, 1), "debtor"))
    assert done.state.status is Status.CANCELLED
    assert tick(contract, done.state, date(2026, 1, 1)).events == ()
    _, signed_state, _ = signed(make_terms())
    with pytest.raises(InvalidTransition):
        apply(contract, signed_state, Cancel(date(2025, 1, 1), "debtor"))


def test_catalogue_has_both_languages_for_every_reason() -> None:
    for rid, (zh, en) in CATALOGUE.items():
        assert rid.startswith("agreement.")
        assert zh.strip()
        assert en.strip()
    with pytest.raises(ValueError, match="locale"):
        explain("agreement.resumed", {}, "fr")
