"""Terms as data: validation, the exported JSON Schema, the agreement hash and signatures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from accord.agreements import (
    InvalidSignature,
    InvalidTransition,
    Sign,
    Status,
    apply,
    open_agreement,
    terms_hash,
)
from accord.agreements.signing import agreement_message, sign_terms, verify_signature
from accord.agreements.terms import canonical_terms, json_schema, parse_terms
from tests.agreements.helpers import CREDITOR_KEY, DEBTOR_KEY, make_terms, terms_data

SCHEMA = Path(__file__).parents[2] / "schemas" / "agreement-terms.v1.json"


def test_committed_schema_is_the_generated_one() -> None:
    assert json.loads(SCHEMA.read_text("utf-8")) == json_schema()


def test_schema_accepts_valid_terms_and_rejects_floats() -> None:
    schema = json_schema()
    jsonschema.validate(terms_data(), schema)
    bad = terms_data()
    bad["installments"][0]["amount_minor"] = 1000.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(ValidationError):
        parse_terms(bad)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["installments"].reverse(), "numbered 1..n"),
        (
            lambda d: d["installments"][1].update(due_date=d["installments"][0]["due_date"]),
            "strictly increase",
        ),
        (lambda d: d.update(currency="XXX"), "unknown currency"),
        (lambda d: d.update(timezone="Mars/Base"), "unknown time zone"),
        (lambda d: d["reminders"].update(offsets_days=[3, -3]), "strictly increasing"),
        (lambda d: d["parties"].update(debtor_key="AB" * 32), "64 lower-case hex"),
        (lambda d: d["breach"].update(max_days_in_arrears=3), "exceed grace_days"),
        (lambda d: d.update(extra_field=1), "Extra inputs"),
    ],
)
def test_invalid_terms_are_refused(change: Any, message: str) -> None:
    data = terms_data()
    change(data)
    with pytest.raises(ValidationError, match=message):
        parse_terms(data)


def test_hash_binds_exact_schedule_and_is_canonical() -> None:
    t = make_terms()
    assert terms_hash(t) == terms_hash(parse_terms(json.loads(canonical_terms(t))))
    moved = terms_data()
    moved["installments"][5]["amount_minor"] += 1
    assert terms_hash(parse_terms(moved)) != terms_hash(t)
    assert canonical_terms(t).startswith(b'{"agreement_id":"agr-0001"')


def test_acceptance_needs_both_valid_signatures() -> None:
    t = make_terms()
    contract, step = open_agreement(t, date(2025, 1, 1))
    s = step.state
    forged = sign_terms(CREDITOR_KEY, t)  # creditor's signature offered as the debtor's
    with pytest.raises(InvalidSignature):
        apply(contract, s, Sign(date(2025, 1, 1), "debtor", forged))
    s = apply(contract, s, Sign(date(2025, 1, 1), "debtor", sign_terms(DEBTOR_KEY, t))).state
    assert s.status is Status.PENDING_SIGNATURE
    again = apply(contract, s, Sign(date(2025, 1, 1), "debtor", sign_terms(DEBTOR_KEY, t)))
    assert again.events == ()
    step = apply(contract, s, Sign(date(2025, 1, 2), "creditor", forged))
    assert step.state.status is Status.ACTIVE
    with pytest.raises(InvalidTransition):
        apply(contract, step.state, Sign(date(2025, 1, 2), "creditor", forged))


def test_signature_message_matches_the_ledger_convention() -> None:
    h = terms_hash(make_terms())
    assert agreement_message(h) == b"accord.agreement.v1\n" + h.encode() + b"\n"
    sig = sign_terms(DEBTOR_KEY, make_terms())
    pub = make_terms().parties.debtor_key
    assert verify_signature(pub, h, sig)
    assert not verify_signature(pub, "0" * 64, sig)
    assert not verify_signature(pub, h, "not base64!")
