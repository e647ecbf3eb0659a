"""Agreement use cases: create, sign, pay, hardship, income change, cancel, tick, show.

Each function is one transaction: it locks the agreement row, applies one command with the
executor (:mod:`accord.agreements`), appends every event it produced to the tenant's ledger as
``agreement.*`` entries (payload ``Event.to_record()`` plus ``agreement_id``; the creation
entry also carries the terms), updates the projection (status, state, state hash) and queues
the notifications the events call for — all in the same transaction. The parties' keys are the
custodial ledger keys (:mod:`accord.store.ledger_keys`): the terms name their public keys, each
party signs the agreement hash with its key, and when both have signed an
``agreement.accepted`` entry carries both signatures (:func:`accord.store.ledger_log.
accept_agreement`). Ticks are idempotent: a second tick for the same day records nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from accord.agreements import (
    AgreementTerms,
    Cancel,
    DeclareHardship,
    Evidence,
    Pay,
    Sign,
    Status,
    Tick,
    VerifyHardship,
    VerifyIncomeChange,
    apply,
    open_agreement,
    parse_terms,
)
from accord.agreements.executor import Step
from accord.agreements.state import LIVE
from accord.agreements.terms import terms_document
from accord.compliance.outbox import Message
from accord.ledger.agreement import agreement_hash
from accord.ledger.agreement import sign_agreement as sign_hash
from accord.services.agreement_exec import (
    ACTOR,
    AgreementNotFound,
    AgreementReport,
    ProjectionCorrupt,
    compiled,
    debtor_party,
    execute,
    ledger_events,
    load_state,
    locked,
    make_report,
    project,
    run_command,
    utc_now,
    with_entries,
)
from accord.store import book
from accord.store.agreements import agreement_subject, agreements_in, get_agreement, messages_of
from accord.store.crypto import FieldCipher
from accord.store.db import transaction
from accord.store.events import append_events
from accord.store.ledger_keys import creditor_party, signing_key
from accord.store.ledger_log import accept_agreement, make_checkpoint, tree_size
from accord.store.models import AgreementRow

__all__ = [
    "AgreementNotFound",
    "AgreementReport",
    "AgreementTickReport",
    "AgreementView",
    "ProjectionCorrupt",
    "cancel_agreement",
    "create_agreement",
    "debtor_party",
    "declare_hardship",
    "record_agreement_payment",
    "show_agreement",
    "sign_agreement",
    "tick_agreements",
    "verify_hardship",
    "verify_income_change",
]
ROLES = ("creditor", "debtor")


@dataclass(frozen=True, slots=True)
class AgreementTickReport:
    """What an agreements tick did for one tenant."""

    tenant: str
    as_of: date
    agreements: int
    changed: int
    events: int
    messages: int


def create_agreement(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    terms: Mapping[str, Any],
    on: date,
    contacts: Mapping[str, str] | None = None,
    cipher: FieldCipher | None = None,
    now: datetime | None = None,
) -> AgreementReport:
    """Open an agreement from its terms (pending signature) and record ``agreement.created``.

    The parties' public keys in the terms are the custodial ledger keys of
    ``debtor:<debtor_id>`` and ``creditor:<tenant>`` (filled in when absent; a different key is
    refused, since custody could not sign for it). ``contacts`` (channel -> address) are stored
    encrypted with ``cipher``. Creating the same terms again returns the existing agreement;
    other terms under an existing id are refused.
    """
    at = utc_now(now)
    with transaction(factory) as session:
        if book.get_tenant(session, tenant) is None:
            raise LookupError(f"unknown tenant {tenant!r}")
        tree_size(session, tenant, lock=True)  # serialise first-use key creation
        data = copy.deepcopy(dict(terms))
        parties = data.get("parties")
        if not isinstance(parties, dict) or not isinstance(parties.get("debtor_id"), str):
            raise ValueError("terms need parties.debtor_id")
        for role, party in (
            ("debtor", debtor_party(parties["debtor_id"])),
            ("creditor", creditor_party(tenant)),
        ):
            key = signing_key(session, tenant, party).public.raw.hex()
            given = parties.get(f"{role}_key")
            if given not in (None, key):
                raise ValueError(f"parties.{role}_key is not the custodial key of {party}")
            parties[f"{role}_key"] = key
        try:
            parsed = parse_terms(data)
        except ValidationError as exc:
            raise ValueError(f"invalid terms: {exc}") from None
        contract, step = open_agreement(parsed, on)
        existing = get_agreement(session, tenant, parsed.agreement_id, lock=True)
        if existing is not None:
            if existing.terms_hash != contract.terms_hash:
                raise ValueError(f"agreement {parsed.agreement_id!r} exists with other terms")
            return make_report(existing, load_state(existing), (), (), 0)
        blob = json.dumps(dict(contacts), sort_keys=True) if contacts else None
        if blob is not None and cipher is None:
            raise ValueError("contacts are personal data: pass the field cipher to store them")
        row = AgreementRow(
            tenant_id=tenant,
            agreement_id=parsed.agreement_id,
            debtor_id=parsed.parties.debtor_id,
            status=step.state.status.value,
            terms=json.dumps(terms_document(parsed), sort_keys=True, ensure_ascii=False),
            terms_hash=contract.terms_hash,
            state="",
            state_hash="",
            signatures="{}",
            event_count=0,
            contacts_enc=cipher.encrypt(blob, context=f"agreement:{tenant}") if cipher else None,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        seqs = append_events(session, tenant, ledger_events(row, step.events, parsed), at=at)
        queued = project(session, row, parsed, step, at)
        return make_report(row, step.state, step.events, seqs, queued)


def sign_agreement(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    party: str,
    on: date,
    now: datetime | None = None,
) -> AgreementReport:
    """``party`` (``debtor`` or ``creditor``) signs the agreement hash with its custodial key.

    The signature is recorded as ``agreement.signed`` (authored by that party). When both have
    signed, the agreement activates and an ``agreement.accepted`` entry authored by the debtor
    and cosigned by the creditor carries both signatures. Signing twice records nothing.
    """
    if party not in ROLES:
        raise ValueError(f"party must be one of {ROLES}, not {party!r}")
    at = utc_now(now)
    with transaction(factory) as session:
        row = locked(session, tenant, agreement_id)
        terms, _ = compiled(row.terms)
        name = debtor_party(row.debtor_id) if party == "debtor" else creditor_party(tenant)
        key = signing_key(session, tenant, name)
        sig = sign_hash(bytes.fromhex(row.terms_hash), key)["sig"]
        report, step = execute(session, row, Sign(on, party, sig), name, at)
        if not step.events:
            return report
        row.signatures = json.dumps({**json.loads(row.signatures), party: sig}, sort_keys=True)
        if step.state.status is Status.ACTIVE and report.events[-1] != "agreement.signed":
            doc = terms_document(terms)
            if agreement_hash(doc).hex() != row.terms_hash:
                raise RuntimeError("ledger and engine disagree on the agreement hash")
            seq = accept_agreement(
                session,
                tenant,
                terms=doc,
                debtor=debtor_party(row.debtor_id),
                subject=agreement_subject(agreement_id),
                actor=ACTOR,
                at=at,
            )
            report = with_entries(report, ("agreement.accepted",), (seq,))
        return report


def record_agreement_payment(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    payment_id: str,
    amount_minor: int,
    on: date,
    purpose: str = "installment",
    now: datetime | None = None,
) -> AgreementReport:
    """Record money received for the agreement (idempotent per ``payment_id``; creditor signs)."""
    command = Pay(on, payment_id, amount_minor, purpose)
    return run_command(factory, tenant, agreement_id, command, "creditor", now)


def declare_hardship(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    reason: str,
    evidence: Sequence[tuple[str, str]],
    on: date,
    now: datetime | None = None,
) -> AgreementReport:
    """The debtor declares hardship with evidence ``(kind, sha256)`` pairs (debtor signs)."""
    command = DeclareHardship(on, reason, tuple(Evidence(k, h) for k, h in evidence))
    return run_command(factory, tenant, agreement_id, command, "debtor", now)


def verify_hardship(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    accepted: bool,
    verifier: str,
    on: date,
    now: datetime | None = None,
) -> AgreementReport:
    """Accept or decline the pending hardship declaration (a pause on acceptance)."""
    command = VerifyHardship(on, accepted, verifier)
    return run_command(factory, tenant, agreement_id, command, "creditor", now)


def verify_income_change(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    previous_minor: int,
    current_minor: int,
    evidence_sha256: str,
    on: date,
    now: datetime | None = None,
) -> AgreementReport:
    """Record a verified income change; the terms adjust as their income rules preset."""
    command = VerifyIncomeChange(on, previous_minor, current_minor, evidence_sha256)
    return run_command(factory, tenant, agreement_id, command, "creditor", now)


def cancel_agreement(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    agreement_id: str,
    by: str,
    on: date,
    now: datetime | None = None,
) -> AgreementReport:
    """Withdraw an agreement that is not yet signed by both parties (``by`` a role)."""
    return run_command(factory, tenant, agreement_id, Cancel(on, by), by, now)


def tick_agreements(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    now: datetime | None = None,
) -> AgreementTickReport:
    """Tick every live agreement of ``tenant`` as of ``as_of`` (idempotent).

    All events of the tick are appended in one batch (vouched for by the creditor) in the same
    transaction as the row updates; a checkpoint is signed when anything changed.
    """
    at = utc_now(now)
    with transaction(factory) as session:
        if book.get_tenant(session, tenant) is None:
            raise LookupError(f"unknown tenant {tenant!r}")
        rows = agreements_in(session, tenant, [s.value for s in LIVE], lock=True)
        work: list[tuple[AgreementRow, AgreementTerms, Step]] = []
        for row in rows:
            terms, contract = compiled(row.terms)
            step = apply(contract, load_state(row), Tick(as_of))
            if step.events:
                work.append((row, terms, step))
        if not work:
            return AgreementTickReport(tenant, as_of, len(rows), 0, 0, 0)
        entries = [e for row, terms, step in work for e in ledger_events(row, step.events, terms)]
        append_events(session, tenant, entries, at=at)
        queued = sum(project(session, row, terms, step, at) for row, terms, step in work)
        make_checkpoint(session, tenant)
        return AgreementTickReport(tenant, as_of, len(rows), len(work), len(entries), queued)


@dataclass(frozen=True, slots=True)
class AgreementView:
    """An agreement as stored: projection, installments and its outbox."""

    report: AgreementReport
    installments: tuple[dict[str, Any], ...]
    messages: tuple[dict[str, Any], ...]


def show_agreement(
    *, factory: sessionmaker[Session], tenant: str, agreement_id: str
) -> AgreementView:
    """The agreement's current projection, installments and notifications."""
    with factory() as session:
        row = get_agreement(session, tenant, agreement_id)
        if row is None:
            raise AgreementNotFound(f"no agreement {agreement_id!r} in tenant {tenant!r}")
        state = load_state(row)
        installments = tuple(
            {
                "seq": i.seq,
                "due": i.due.isoformat(),
                "amount_minor": i.amount,
                "paid_minor": i.paid,
                "missed": i.missed,
                "late": i.late,
            }
            for i in state.installments
        )
        messages = tuple(_message_view(m) for m in messages_of(session, tenant, row.id))
        return AgreementView(make_report(row, state, (), (), 0), installments, messages)


def _message_view(m: Message) -> dict[str, Any]:
    return {
        k: v
        for k, v in m.to_record().items()
        if k in ("id", "channel", "template_id", "status", "attempts", "blocked_rule", "sent_at")
    }
