"""Builders shared by the agreement tests: deterministic keys and a 24-month CN agreement."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accord.agreements.terms import AgreementTerms, parse_terms
from accord.agreements.signing import public_key_hex
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
                "en": "Pay by bank transfer to account 6222 0000 0000 0000, quoting the agreement id.",
            },
            "help_contact": {
                "zh-CN": "如有困难，请拨打 400-000-0000 或在应用内留言，我们会协助您。",
                "en": "If you are struggling, call 400-000-0000 or message us in the app; we will help.",
            },
        },
    }
    data.update(overrides)
    return data


def make_terms(**kwargs: Any) -> AgreementTerms:
    """Validated terms from :func:`terms_data`."""
    return parse_terms(terms_data(**kwargs))
