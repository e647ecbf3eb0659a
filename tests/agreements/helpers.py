"""Builders shared by the agreement tests: deterministic keys and a 24-month CN agreement."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.agreements.signing import public_key_hex
from accord.agreements.terms import AgreementTerms, parse_terms
from accord.core.calendar import add_months

DEBTOR_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"debtor").digest())
CREDITOR_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"creditor").digest())
START = date(2025, 1, 15)


def terms_data(
    months: int = 24,
    amount: int = 100_000,
    first_due: date = START,
    **overrides: Any,
) -> dict[str, Any]:
    """Terms of a monthly agreement as JSON data (override any top-level field)."""
    data: dict[str, Any] = {
        "schema": "accord.agreement-terms.v1",
        "agreement_id": "agr-0001",
        "pack": "cn",
        "currency": "CNY",
        "timezone": "Asia/Shanghai",
        "parties": {
            "debtor_id": "debtor-1",
            "creditor_id": "creditor-1",
            "debtor_key": public_key_hex(DEBTOR_KEY),
            "creditor_key": public_key_hex(CREDITOR_KEY),
        },
        "installments": [
            {"seq": k + 1, "due_date": add_months(first_due, k).isoformat(), "amount_minor": amount}
            for k in range(months)
        ],
        "grace_days": 5,
        "allowed_late_payments": 1,
        "reminders": {"offsets_days": [-3, 0, 2, 10], "channels": ["email"], "locale": "zh-CN"},
        "hardship": {
            "rules": [
                {"reason": "job_loss", "evidence_kinds": ["termination_letter"], "pause_days": 60},
                {"reason": "illness", "evidence_kinds": ["hospital_record"], "pause_days": 90},
            ],
            "max_pauses": 2,
            "max_total_pause_days": 120,
        },
        "income_change": {
            "steps": [
                {"min_drop_bps": 2000, "payment_bps": 8000},
                {"min_drop_bps": 4000, "payment_bps": 6000},
            ],
            "max_extra_installments": 12,
            "max_adjustments": 2,
        },
        "early_payoff": {"enabled": True, "discount_bps": 500, "min_installments_paid": 6},
        "breach": {
            "max_days_in_arrears": 60,
            "consequence": "offer-renegotiation",
            "original_debt_minor": 3_000_000,
        },
        "completion": {"on_schedule": "settled", "on_early_payoff": "settled"},
        "notices": {
            "how_to_pay": {
                "zh-CN": "请通过手机银行转账至还款账户 6222 0000 0000 0000，备注协议号。",
                "en": "Pay by bank transfer to 6222 0000 0000 0000, quoting the agreement id.",
            },
            "help_contact": {
                "zh-CN": "如有困难，请拨打 400-000-0000 或在应用内留言，我们会协助您。",
                "en": "If you are struggling, call 400-000-0000 or message us in the app.",
            },
        },
    }
    data.update(overrides)
    return data


def make_terms(**kwargs: Any) -> AgreementTerms:
    """Validated terms from :func:`terms_data`."""
    return parse_terms(terms_data(**kwargs))


def signed(terms: AgreementTerms, on: date = date(2024, 12, 20)) -> tuple[Any, Any, list[Any]]:
    """(contract, state, events) of ``terms`` opened and signed by both parties on ``on``."""
    from accord.agreements import Sign, apply, open_agreement
    from accord.agreements.signing import sign_terms

    contract, step = open_agreement(terms, on)
    state, log = step.state, list(step.events)
    for role, key in (("debtor", DEBTOR_KEY), ("creditor", CREDITOR_KEY)):
        step = apply(contract, state, Sign(on, role, sign_terms(key, terms)))
        state, log = step.state, log + list(step.events)
    return contract, state, log


def random_history(seed: int, days: int | None = None) -> tuple[Any, Any, list[Any], date]:
    """A signed agreement driven through a random story; returns (contract, state, log, today).

    Random terms (months, grace, tolerance, offsets) and, day by day, random ticks, payments,
    hardship declarations and verifications and income changes. Deterministic in ``seed``.
    """
    import random
    from datetime import timedelta

    from accord.agreements import (
        DeclareHardship,
        Evidence,
        InvalidTransition,
        Pay,
        VerifyHardship,
        VerifyIncomeChange,
        apply,
        tick,
    )

    rng = random.Random(seed)
    offsets = sorted(rng.sample(range(-7, 15), rng.randint(0, 4)))
    grace = rng.randint(0, 10)
    terms = make_terms(
        months=rng.randint(3, 18),
        amount=rng.randint(1_000, 500_000),
        grace_days=grace,
        allowed_late_payments=rng.randint(0, 3),
        reminders={"offsets_days": offsets, "channels": ["email"], "locale": "en"},
    )
    data = terms.model_dump(mode="json", by_alias=True)
    data["breach"]["max_days_in_arrears"] = rng.randint(grace + 1, 90)
    terms = parse_terms(data)
    contract, state, log = signed(terms)
    today = date(2024, 12, 20)
    for _ in range(days if days is not None else rng.randint(0, 500)):
        today += timedelta(days=1)
        roll = rng.random()
        cmd: Any = None
        if roll < 0.035:
            cmd = Pay(today, f"p{today}", rng.randint(1, 2 * terms.installments[0].amount_minor))
        elif roll < 0.07:
            cmd = DeclareHardship(today, "job_loss", (Evidence("termination_letter", "00" * 32),))
        elif roll < 0.08 and state.hardship_pending:
            cmd = VerifyHardship(today, rng.random() < 0.7, "verifier-1")
        elif roll < 0.085:
            cmd = VerifyIncomeChange(today, 1_000_000, rng.randint(0, 1_000_000), "11" * 32)
        try:
            if cmd is not None:
                step = apply(contract, state, cmd)
                state, log = step.state, log + list(step.events)
        except InvalidTransition:
            pass
        if rng.random() < 0.7:
            step = tick(contract, state, today)
            state, log = step.state, log + list(step.events)
    return contract, state, log, today
