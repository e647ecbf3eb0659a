"""Agreement terms as data: a versioned, validated schema (``accord.agreement-terms.v1``).

Terms are what both parties sign: the exact schedule (installments with due date and amount in
minor units of one currency), grace, tolerated missed installments, the reminder plan, hardship
and income-change rules, the early-payoff discount, breach conditions and consequence, and the
completion outcome reported to credit bureaus. Every number is an ``int`` (minor units, days or
basis points): terms never hold binary floats, so their canonical JSON (RFC 8785) and hence the
agreement hash are exact. :func:`terms_hash` binds the signatures to these bytes;
:func:`json_schema` is the exported JSON Schema (``schemas/agreement-terms.v1.json``, written
by ``python -m accord.agreements.schema_export``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zoneinfo
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import rfc8785
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.core.money import EXPONENTS

SCHEMA_ID = "accord.agreement-terms.v1"

Bps = Annotated[int, Field(ge=0, le=10_000, description="basis points (1/100 of a percent)")]
PositiveMinor = Annotated[int, Field(gt=0, le=2**53 - 1, description="amount in minor units")]
_HEX_KEY = re.compile(r"^[0-9a-f]{64}$")


class Channel(StrEnum):
    """Delivery channels a reminder plan may use."""

    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"
    IN_APP = "in_app"


class BreachConsequence(StrEnum):
    """What happens on breach: the original debt comes back, or a renegotiation is offered."""

    REINSTATE_ORIGINAL = "reinstate-original"
    OFFER_RENEGOTIATION = "offer-renegotiation"


class CompletionStatus(StrEnum):
    """Account status reported to credit bureaus when the agreement completes."""

    PAID_IN_FULL = "paid-in-full"  # the whole original debt was repaid
    SETTLED = "settled"  # repaid as agreed, for less than the original debt
    CLOSED = "closed"  # closed by agreement, no statement on the amount


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class InstallmentTerm(_Model):
    """One installment of the agreed schedule."""

    seq: Annotated[int, Field(ge=1)]
    due_date: date
    amount_minor: PositiveMinor

    @field_validator("due_date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> Any:
        return date.fromisoformat(v) if isinstance(v, str) else v


class Parties(_Model):
    """Who signs: party ids and their Ed25519 public keys (64 lower-case hex digits)."""

    debtor_id: Annotated[str, Field(min_length=1)]
    creditor_id: Annotated[str, Field(min_length=1)]
    debtor_key: str
    creditor_key: str

    @field_validator("debtor_key", "creditor_key")
    @classmethod
    def _hex_key(cls, v: str) -> str:
        if not _HEX_KEY.match(v):
            raise ValueError("expected a raw Ed25519 public key as 64 lower-case hex digits")
        return v


class ReminderPlan(_Model):
    """Reminders relative to each due date (negative = before) on the listed channels."""

    offsets_days: Annotated[list[Annotated[int, Field(ge=-60, le=120)]], Field(max_length=16)]
    channels: Annotated[list[Channel], Field(min_length=1)]
    locale: Literal["zh-CN", "en"] = "zh-CN"

    @field_validator("offsets_days")
    @classmethod
    def _sorted_unique(cls, v: list[int]) -> list[int]:
        if v != sorted(set(v)):
            raise ValueError("offsets must be strictly increasing")
        return v


class HardshipRule(_Model):
    """A hardship reason, the evidence kinds that support it, and the pause it grants."""

    reason: Annotated[str, Field(min_length=1)]
    evidence_kinds: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    pause_days: Annotated[int, Field(ge=1, le=366)]


class HardshipRules(_Model):
    """Hardship pauses: declared with evidence, effective once verified."""

    rules: list[HardshipRule]
    max_pauses: Annotated[int, Field(ge=0)]
    max_total_pause_days: Annotated[int, Field(ge=0)]


class IncomeStep(_Model):
    """When verified income drops by at least ``min_drop_bps``, future installments are
    scaled to ``payment_bps`` of their amount and the term is extended to keep the total."""

    min_drop_bps: Annotated[int, Field(ge=1, le=10_000)]
    payment_bps: Annotated[int, Field(ge=1, le=10_000)]


class IncomeChangeRules(_Model):
    """Step adjustments on a verified income change."""

    steps: list[IncomeStep]
    max_extra_installments: Annotated[int, Field(ge=0, le=120)]
    max_adjustments: Annotated[int, Field(ge=0)]

    @field_validator("steps")
    @classmethod
    def _increasing(cls, v: list[IncomeStep]) -> list[IncomeStep]:
        drops = [s.min_drop_bps for s in v]
        if drops != sorted(set(drops)):
            raise ValueError("steps must have strictly increasing min_drop_bps")
        return v


class EarlyPayoff(_Model):
    """Discount on the remaining balance when the debtor pays it all at once."""

    enabled: bool
    discount_bps: Bps
    min_installments_paid: Annotated[int, Field(ge=0)]


class BreachRules(_Model):
    """Breach: more missed installments than tolerated, or arrears older than the limit."""

    max_days_in_arrears: Annotated[int, Field(ge=1, le=365)]
    consequence: BreachConsequence
    original_debt_minor: PositiveMinor


class CompletionRules(_Model):
    """Status reported on completion by schedule and by discounted early payoff."""

    on_schedule: CompletionStatus
    on_early_payoff: CompletionStatus


class Notices(_Model):
    """Text every message carries: how to pay and how to ask for help (per locale)."""

    how_to_pay: dict[Literal["zh-CN", "en"], Annotated[str, Field(min_length=1)]]
    help_contact: dict[Literal["zh-CN", "en"], Annotated[str, Field(min_length=1)]]


class AgreementTerms(_Model):
    """The complete, signed terms of one agreement (schema ``accord.agreement-terms.v1``)."""

    schema_id: Literal["accord.agreement-terms.v1"] = Field(
        "accord.agreement-terms.v1", alias="schema"
    )
    agreement_id: Annotated[str, Field(min_length=1, max_length=64)]
    pack: Literal["cn", "us", "uk", "tw"]
    currency: str
    timezone: str
    parties: Parties
    installments: Annotated[list[InstallmentTerm], Field(min_length=1, max_length=600)]
    grace_days: Annotated[int, Field(ge=0, le=60)]
    allowed_late_payments: Annotated[int, Field(ge=0)]
    reminders: ReminderPlan
    hardship: HardshipRules
    income_change: IncomeChangeRules
    early_payoff: EarlyPayoff
    breach: BreachRules
    completion: CompletionRules
    notices: Notices

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if v not in EXPONENTS:
            raise ValueError(f"unknown currency {v!r}")
        return v

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str) -> str:
        try:
            zoneinfo.ZoneInfo(v)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    @model_validator(mode="after")
    def _schedule(self) -> AgreementTerms:
        seqs = [i.seq for i in self.installments]
        if seqs != list(range(1, len(seqs) + 1)):
            raise ValueError("installments must be numbered 1..n in order")
        dates = [i.due_date for i in self.installments]
        if any(b <= a for a, b in itertools.pairwise(dates)):
            raise ValueError("due dates must strictly increase")
        if self.breach.max_days_in_arrears <= self.grace_days:
            raise ValueError("breach.max_days_in_arrears must exceed grace_days")
        return self

    @property
    def total_minor(self) -> int:
        """Sum of all scheduled installments."""
        return sum(i.amount_minor for i in self.installments)


def parse_terms(data: dict[str, Any]) -> AgreementTerms:
    """Validate decoded JSON into :class:`AgreementTerms` (raises pydantic ``ValidationError``).

    JSON mode is used so that ISO date strings are accepted while floats are still refused.
    """
    return AgreementTerms.model_validate_json(json.dumps(data))


def terms_document(terms: AgreementTerms) -> dict[str, Any]:
    """The terms as a JSON-safe dict (dates as ISO strings, ints only), as signed."""
    return terms.model_dump(mode="json", by_alias=True)


def canonical_terms(terms: AgreementTerms) -> bytes:
    """RFC 8785 canonical JSON bytes of the terms."""
    return rfc8785.dumps(terms_document(terms))


def terms_hash(terms: AgreementTerms) -> str:
    """Agreement hash: hex SHA-256 of the canonical JSON of the terms."""
    return hashlib.sha256(canonical_terms(terms)).hexdigest()


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`AgreementTerms`, as exported to ``schemas/``."""
    schema = AgreementTerms.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://accord.invalid/schemas/agreement-terms.v1.json"
    return schema


def write_schema(path: Path) -> None:
    """Write :func:`json_schema` to ``path`` (sorted keys, two-space indent, final newline)."""
    text = json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
