"""``accord agreement``: create, sign, pay, hardship, income change, cancel, show, replay, notify.

Thin commands: parse options, call one function of :mod:`accord.services.agreements`,
:mod:`accord.services.agreement_replay` or :mod:`accord.services.notifications`, render a line
or ``--json``; failures exit non-zero with a one-line reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from accord.agreements import AgreementError
from accord.cli.output import JsonOpt, TenantOpt, console, fail, fail_with, parse_date, print_json
from accord.services.agreement_replay import ReplayReport, replay_agreement, replay_from_bundle
from accord.services.agreements import (
    AgreementReport,
    cancel_agreement,
    create_agreement,
    declare_hardship,
    record_agreement_payment,
    show_agreement,
    sign_agreement,
    verify_hardship,
    verify_income_change,
)
from accord.services.context import open_context
from accord.services.notifications import channels_from_settings, dispatch_notifications

app = typer.Typer(
    name="agreement",
    help="Self-executing agreements (智能合约): create, sign, pay, replay from the ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

IdArg = Annotated[str, typer.Argument(help="Agreement id (terms.agreement_id).")]
OnOpt = Annotated[
    str | None, typer.Option("--on", help="Effective date, YYYY-MM-DD (default today).")
]
ERRORS = (LookupError, ValueError, AgreementError)


def _day(text: str | None) -> date:
    return datetime.now(UTC).date() if text is None else parse_date(text, "on")


def _show(report: AgreementReport, json_out: bool) -> None:
    if json_out:
        print_json(report)
        return
    recorded = ", ".join(report.events) or "nothing new"
    console.print(
        f"{report.agreement_id}: {report.status}, paid {report.paid_total_minor}, "
        f"remaining {report.remaining_minor} (minor units); recorded {recorded}; "
        f"state {report.state_hash[:16]}…",
        soft_wrap=True,
    )


@app.command("create")
def create_cmd(
    tenant: TenantOpt,
    terms: Annotated[Path, typer.Option("--terms", help="Terms JSON (agreement-terms.v1).")],
    on: OnOpt = None,
    email: Annotated[str | None, typer.Option("--email", help="Debtor email address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Debtor phone (SMS).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Create an agreement (pending signature) from a terms file; keys are the custodial ones.

    Example: accord agreement create --tenant demo --terms terms.json --on 2025-01-02
    """
    try:
        data = json.loads(terms.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read terms {terms}: {exc}")
    contacts = {k: v for k, v in (("email", email), ("sms", phone)) if v}
    ctx = open_context()
    try:
        report = create_agreement(
            factory=ctx.factory,
            tenant=tenant,
            terms=data,
            on=_day(on),
            contacts=contacts or None,
            cipher=ctx.cipher,
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("sign")
def sign_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    party: Annotated[str, typer.Option("--party", help="debtor or creditor.")],
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Sign the agreement hash with the party's custodial key (both signed: active).

    Example: accord agreement sign agr-1 --tenant demo --party debtor
    """
    try:
        report = sign_agreement(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            party=party,
            on=_day(on),
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("pay")
def pay_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    amount_minor: Annotated[int, typer.Option("--amount-minor", help="Minor units (分).")],
    payment_id: Annotated[str, typer.Option("--payment-id", help="Idempotency key.")],
    on: OnOpt = None,
    payoff: Annotated[bool, typer.Option("--payoff", help="Early payoff (discount).")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Record a payment for the agreement (idempotent per --payment-id).

    Example: accord agreement pay agr-1 --tenant demo --amount-minor 100000 --payment-id p-1
    """
    try:
        report = record_agreement_payment(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            payment_id=payment_id,
            amount_minor=amount_minor,
            on=_day(on),
            purpose="payoff" if payoff else "installment",
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _digest(spec: str, option: str) -> str:
    """``sha256:HEX`` as given, or the SHA-256 of the file at ``spec``."""
    if spec.startswith("sha256:"):
        digest = spec.removeprefix("sha256:").lower()
        if not _HEX64.fullmatch(digest):
            fail(f"{option}: sha256: needs 64 hex digits, got {spec!r}")
        return digest
    try:
        return hashlib.sha256(Path(spec).read_bytes()).hexdigest()
    except OSError as exc:
        fail(f"{option}: cannot read evidence file {spec}: {exc}")


@app.command("hardship")
def hardship_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    reason: Annotated[str, typer.Option("--reason", help="Hardship reason (as in the terms).")],
    evidence: Annotated[
        list[str],
        typer.Option("--evidence", help="KIND=FILE (hashed) or KIND=sha256:HEX; repeatable."),
    ],
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Declare hardship for the debtor with evidence (only its SHA-256 is recorded).

    Example: accord agreement hardship agr-1 --tenant demo --reason job_loss
    --evidence termination_letter=letter.pdf
    """
    pairs = []
    for item in evidence:
        kind, sep, spec = item.partition("=")
        if not sep or not kind or not spec:
            fail(f"--evidence: expected KIND=FILE or KIND=sha256:HEX, got {item!r}")
        pairs.append((kind, _digest(spec, "--evidence")))
    try:
        report = declare_hardship(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            reason=reason,
            evidence=pairs,
            on=_day(on),
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("verify-hardship")
def verify_hardship_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    verifier: Annotated[str, typer.Option("--verifier", help="Who checked the evidence.")],
    accept: Annotated[
        bool, typer.Option("--accept/--decline", help="Accept (pause) or decline.")
    ] = True,
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Accept (the agreement pauses as the terms preset) or decline the pending hardship.

    Example: accord agreement verify-hardship agr-1 --tenant demo --verifier v-7 --accept
    """
    try:
        report = verify_hardship(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            accepted=accept,
            verifier=verifier,
            on=_day(on),
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("income-change")
def income_change_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    previous_minor: Annotated[
        int, typer.Option("--previous-minor", help="Verified previous income (minor units).")
    ],
    current_minor: Annotated[
        int, typer.Option("--current-minor", help="Verified current income (minor units).")
    ],
    evidence: Annotated[
        str, typer.Option("--evidence", help="Evidence FILE (hashed) or sha256:HEX.")
    ],
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a verified income change; installments adjust as the terms' income rules preset.

    Example: accord agreement income-change agr-1 --tenant demo --previous-minor 1000000
    --current-minor 700000 --evidence payslip.pdf
    """
    digest = _digest(evidence, "--evidence")
    try:
        report = verify_income_change(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            previous_minor=previous_minor,
            current_minor=current_minor,
            evidence_sha256=digest,
            on=_day(on),
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("cancel")
def cancel_cmd(
    agreement_id: IdArg,
    tenant: TenantOpt,
    by: Annotated[str, typer.Option("--by", help="debtor or creditor.")],
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Withdraw an agreement not yet signed by both parties.

    Example: accord agreement cancel agr-1 --tenant demo --by creditor
    """
    try:
        report = cancel_agreement(
            factory=open_context().factory,
            tenant=tenant,
            agreement_id=agreement_id,
            by=by,
            on=_day(on),
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("show")
def show_cmd(agreement_id: IdArg, tenant: TenantOpt, json_out: JsonOpt = False) -> None:
    """Show an agreement: status, installments and notifications.

    Example: accord agreement show agr-1 --tenant demo --json
    """
    try:
        view = show_agreement(
            factory=open_context().factory, tenant=tenant, agreement_id=agreement_id
        )
    except ERRORS as exc:
        fail_with(exc)
    if json_out:
        print_json(view)
        return
    _show(view.report, False)
    for i in view.installments:
        console.print(
            f"  #{i['seq']:>3} {i['due']} {i['amount_minor']:>12} paid {i['paid_minor']:>12}"
            + (" missed" if i["missed"] else "")
        )
    console.print(f"  {len(view.messages)} notifications")


def _render_replay(report: ReplayReport, json_out: bool) -> None:
    if json_out:
        print_json(report)
    elif report.ok:
        console.print(
            f"OK: {report.agreement_id} replayed from the {report.source}: {report.events} "
            f"events, {report.status}, state {report.replayed_hash}",
            soft_wrap=True,
        )
    d = report.divergence
    if d is not None:
        where = []
        if d.index is not None:
            where.append(f"event {d.index}")
        if d.event_type:
            where.append(d.event_type)
        if d.ledger_seq is not None:
            where.append(f"ledger entry {d.ledger_seq}")
        fail(f"replay diverges at {' '.join(where) or 'the log'}: {d.reason}")


@app.command("replay")
def replay_cmd(
    agreement_id: IdArg,
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Tenant (database replay).")
    ] = None,
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Replay from an exported ledger bundle.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Recompute the agreement's state from the ledger alone and compare state hashes.

    Exit 1 naming the first diverging event. Example: accord agreement replay agr-1 --bundle ./b
    """
    if bundle is not None:
        if not bundle.is_dir():
            fail(f"{bundle} is not a directory", code=2)
        report = replay_from_bundle(bundle, agreement_id)
    elif tenant is None:
        fail("give --tenant (database) or --bundle DIR", code=2)
    else:
        try:
            report = replay_agreement(
                factory=open_context().factory, tenant=tenant, agreement_id=agreement_id
            )
        except ERRORS as exc:
            fail_with(exc)
    _render_replay(report, json_out)


@app.command("dispatch")
def dispatch_cmd(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Only this tenant (default: all).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Deliver due notifications within the contact rules (channels from ACCORD_SMTP_* etc.).

    Example: ACCORD_SMTP_HOST=127.0.0.1 accord agreement dispatch --json
    """
    ctx = open_context()
    report = dispatch_notifications(
        factory=ctx.factory,
        now=datetime.now(UTC),
        channels=channels_from_settings(ctx.settings),
        cipher=ctx.cipher,
        tenant=tenant,
        webhook_url=ctx.settings.webhook_url,
        max_attempts=ctx.settings.notify_max_attempts,
    )
    if json_out:
        print_json(report)
        return
    console.print(f"{report.tried} messages tried: {report.statuses}; blocked {report.blocked}")
