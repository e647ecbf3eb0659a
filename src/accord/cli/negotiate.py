"""``accord negotiate``: plan negotiations for a file of cases (thin: parse, call, render)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.output import console, fail
from accord.services.negotiate import plan_file

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
