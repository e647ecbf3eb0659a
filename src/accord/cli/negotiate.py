"""``accord negotiate``: plan cases, and run persisted negotiation sessions on the ledger.

Thin commands: parse options, call one function of :mod:`accord.services.negotiate` or
:mod:`accord.services.negotiation_sessions`, render a line or ``--json``; failures exit non-zero
with a one-line reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.output import JsonOpt, TenantOpt, console, fail, fail_with, print_json
from accord.core.errors import CoreError
from accord.negotiation.errors import NegotiationError
from accord.services.context import open_context
from accord.services.negotiate import plan_file
from accord.services.negotiation_sessions import (
    NegotiationReport,
    accept_offer,
    counter_offer,
    mediate_case,
    open_negotiation,
)

app = typer.Typer(name="negotiate", help="Negotiation plans (还款方案).", no_args_is_help=True)


@app.callback()
def negotiate() -> None:
    """Negotiation plans (还款方案): affordability, BATNAs, recommended plan and menu."""


@app.command()
def plan(
    cases: Annotated[
        Path, typer.Option("--cases", help="JSON Lines file, schema negotiation-case.v1.")
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
    schedules: Annotated[
        bool, typer.Option(help="Build exact schedules for the recommended plan and menu.")
    ] = True,
) -> None:
    """Recommend a plan and a menu for every case: affordability, BATNAs, explanations.

    Example: accord negotiate plan --cases cases.jsonl --json
    """
    if not cases.is_file():
        fail(f"--cases: no such file: {cases}")
    report = plan_file(cases=cases, schedules=schedules)
    if not report.ok:
        first = report.problems[0]
        if json_out:
            sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        fail(f"{len(report.problems)} problem(s) in {cases}; first: {first}")
    if json_out:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        return
    table = Table("case", "owed", "sustainable", "recommended", "monthly", "months", "tier")
    for o in report.outcomes:
        rec = o["recommended"]
        table.add_row(
            o["case_id"],
            o["owed"],
            o["affordability"]["sustainable_payment"],
            ",".join(rec["terms"]["features"]) if rec else "no agreement",
            rec["largest_payment"] if rec else "-",
            str(rec["terms"]["months"]) if rec else "-",
            str(o["concession_tier"]),
        )
    console.print(table)


CaseOpt = Annotated[
    Path, typer.Option("--case", help="One case as a JSON object, schema negotiation-case.v1.")
]
IdArg = Annotated[str, typer.Argument(help="Negotiation session id (from `open`).")]
ERRORS = (LookupError, ValueError, NegotiationError, CoreError)


def _read_case(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read case {path}: {exc}".splitlines()[0])
    if not isinstance(data, dict):
        fail(f"--case: {path} must hold one JSON object")
    return data


def _show(report: NegotiationReport, json_out: bool) -> None:
    if json_out:
        print_json(report)
        return
    offer = report.offer or {}
    plan = offer.get("plan") or {}
    detail = f", plan {plan.get('months')} months" if plan else ""
    if "amount" in offer and offer["amount"] is not None:
        detail += f", amount {offer['amount']}"
    console.print(
        f"{report.session_id} ({report.case_id}): {report.status}, round {report.round}"
        f"{detail}; recorded {', '.join(report.events) or 'nothing'}",
        soft_wrap=True,
        highlight=False,
    )


@app.command("open")
def open_cmd(
    tenant: TenantOpt,
    case: CaseOpt,
    deadline: Annotated[int, typer.Option(help="Rounds until the agent's floor.")] = 6,
    beta: Annotated[float, typer.Option(help="Concession curve: <1 Boulware, >1 Conceder.")] = 0.5,
    session_id: Annotated[str | None, typer.Option("--id", help="Session id to use.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Open an alternating-offers session: the agent's opening offer, recorded on the ledger.

    Example: accord negotiate open --tenant bank1 --case case.json --json
    """
    data = _read_case(case)
    try:
        report = open_negotiation(
            factory=open_context().factory,
            tenant=tenant,
            case=data,
            deadline=deadline,
            beta=beta,
            session_id=session_id,
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("counter")
def counter_cmd(
    session_id: IdArg,
    tenant: TenantOpt,
    monthly: Annotated[
        str | None, typer.Option("--monthly", help="Largest monthly payment, e.g. 1600.00.")
    ] = None,
    months: Annotated[int | None, typer.Option("--months", help="Term in months.")] = None,
    settlement: Annotated[
        str | None, typer.Option("--settlement", help="One-off settlement sum.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The debtor counters; the agent accepts, counters back, or the deadline passes.

    Example: accord negotiate counter neg-1a2b --tenant bank1 --monthly 1600 --months 24
    """
    try:
        report = counter_offer(
            factory=open_context().factory,
            tenant=tenant,
            session_id=session_id,
            monthly=monthly,
            months=months,
            settlement=settlement,
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("accept")
def accept_cmd(session_id: IdArg, tenant: TenantOpt, json_out: JsonOpt = False) -> None:
    """The debtor accepts the standing offer (agreed, or pending staff approval).

    Example: accord negotiate accept neg-1a2b --tenant bank1
    """
    try:
        report = accept_offer(factory=open_context().factory, tenant=tenant, session_id=session_id)
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)


@app.command("mediate")
def mediate_cmd(
    tenant: TenantOpt,
    case: CaseOpt,
    creditor_floor: Annotated[
        str, typer.Option("--creditor-floor", help="Sealed least total the creditor accepts.")
    ],
    debtor_ceiling: Annotated[
        str, typer.Option("--debtor-ceiling", help="Sealed most total the debtor pays.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Blind-bidding mediation: overlap settles at the midpoint, else a fair proposal.

    Example: accord negotiate mediate -t bank1 --case case.json --creditor-floor 40000
    --debtor-ceiling 50000
    """
    data = _read_case(case)
    try:
        report = mediate_case(
            factory=open_context().factory,
            tenant=tenant,
            case=data,
            creditor_floor=creditor_floor,
            debtor_ceiling=debtor_ceiling,
        )
    except ERRORS as exc:
        fail_with(exc)
    _show(report, json_out)
