"""``accord simulate``: compare negotiation strategies on a synthetic population (thin)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from accord.cli.output import console, err_console, fail
from accord.negotiation.simulation.strategies import simulate as run_simulation

app = typer.Typer(name="simulate", help="Strategy simulation.", no_args_is_help=False)


@app.command()
def simulate(
    debtors: Annotated[int, typer.Option("--debtors", help="Population size.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Run collections_only, fixed_12, max_discount and accord on one synthetic population.

    Example: accord simulate --debtors 10000 --seed 1 --json
    """
    if debtors < 1:
        fail("--debtors must be positive")
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("negotiating", total=debtors)
        result = run_simulation(
            debtors=debtors, seed=seed, progress=lambda done, _: bar.update(task, completed=done)
        )
    if json_out:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    table = Table(
        "strategy", "agreement", "creditor NPV/100", "debtor cost/100", "re-default 12m", "rounds"
    )
    for name, r in result["strategies"].items():
        table.add_row(
            name,
            f"{r['agreement_rate']:.1%}",
            f"{r['creditor_npv_per_100']:.2f}",
            f"{r['debtor_cost_per_100']:.2f}",
            f"{r['redefault_12m']:.1%}",
            f"{r['mean_rounds']:.2f}",
        )
    console.print(table)
