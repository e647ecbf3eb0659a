"""``accord risk``: fit and evaluate risk models on one-table-per-applicant files.

Thin commands: parse options, call :mod:`accord.services.risk_tabular`, render a Rich table or
``--json``; failures exit non-zero with a one-line reason. The book-facing commands (train,
evaluate, score, segments) live in :mod:`accord.cli.risk_book` and are mounted here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.risk_book import evaluate_cmd, score_cmd, segments_cmd, train_cmd
from accord.risk.errors import RiskError
from accord.services import risk_tabular

app = typer.Typer(
    help="Risk models: train, evaluate and score on the book; fit tabular credit data.",
    no_args_is_help=True,
)
app.command("train")(train_cmd)
app.command("evaluate")(evaluate_cmd)
app.command("score")(score_cmd)
app.command("segments")(segments_cmd)
_console = Console()

DataOpt = Annotated[Path, typer.Option("--data", help="Table file (CSV/TSV/whitespace, .gz ok).")]
TargetOpt = Annotated[str, typer.Option("--target", help="Binary target column.")]
SepOpt = Annotated[
    str | None,
    typer.Option("--sep", help="Field separator: ',', 'tab', 'whitespace' (default: detect)."),
]
NoHeaderOpt = Annotated[
    bool, typer.Option("--no-header", help="First row is data; columns become c1, c2, ...")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _render(title: str, values: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(values, indent=1, default=float, ensure_ascii=False))
        return
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for k, v in values.items():
        if isinstance(v, int | float | str):
            table.add_row(k, f"{v:.4f}" if isinstance(v, float) else str(v))
    _console.print(table)


@app.command("fit-table")
def fit_table(
    data: DataOpt,
    target: TargetOpt,
    out: Annotated[Path, typer.Option("--out", help="Model root; a new version v<N> is added.")],
    id_col: Annotated[str | None, typer.Option("--id", help="Identifier column.")] = None,
    exclude: Annotated[
        str, typer.Option("--exclude", help="Comma-separated columns to leave out.")
    ] = "",
    protected: Annotated[
        str,
        typer.Option("--protected", help="Comma-separated protected columns: audited, not used."),
    ] = "",
    kind: Annotated[str, typer.Option("--kind", help="blend, boosting or scorecard.")] = "blend",
    cv: Annotated[int, typer.Option("--cv", help="Folds for reported CV metrics (0 = skip).")] = 5,
    positive: Annotated[
        str | None, typer.Option("--positive", help="Target value meaning 'bad'.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    sep: SepOpt = None,
    no_header: NoHeaderOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit a model on a table and save a versioned artifact with reports.

    Example:
    accord risk fit-table --data german.data --no-header --target c21
    --protected c9,c13,c20 --out models/german
    """
    try:
        result = risk_tabular.fit_table(
            data,
            target,
            id_col,
            tuple(c for c in exclude.split(",") if c),
            out,
            kind=kind,
            cv=cv,
            seed=seed,
            sep=sep,
            header=False if no_header else None,
            positive=positive,
            protected=tuple(c for c in protected.split(",") if c),
        )
    except (RiskError, ValueError, OSError) as exc:
        _fail(exc)
        return
    shown: dict[str, Any] = {"version_dir": result["version_dir"]}
    if result["cross_validation"]:
        shown |= {f"cv_{k}": v for k, v in result["cross_validation"]["mean"].items()}
    _render("fit-table", result if as_json else shown, as_json)


@app.command("evaluate-table")
def evaluate_table(
    model: Annotated[Path, typer.Option("--model", help="Model root or version directory.")],
    data: DataOpt,
    target: TargetOpt,
    version: Annotated[
        str | None, typer.Option("--version", help="e.g. v2 (default latest).")
    ] = None,
    cv: Annotated[
        int, typer.Option("--cv", help="Cross-validate the model's recipe with N folds instead.")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    sep: SepOpt = None,
    no_header: NoHeaderOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate a saved model on a table: AUC, Gini, KS, Brier, log-loss, calibration.

    Example:
    accord risk evaluate-table --model models/german --data german.data --no-header
    --target c21 --json
    """
    try:
        result = risk_tabular.evaluate_table(
            model,
            data,
            target,
            version=version,
            cv=cv,
            seed=seed,
            sep=sep,
            header=False if no_header else None,
        )
    except (RiskError, ValueError, OSError) as exc:
        _fail(exc)
        return
    _render("evaluate-table", result, as_json)


@app.command("train-taiwan")
def train_taiwan(
    out: Annotated[Path, typer.Option("--out", help="Model root; a new version v<N> is added.")],
    kind: Annotated[str, typer.Option("--kind", help="boosting or scorecard.")] = "boosting",
    seed: Annotated[int, typer.Option("--seed")] = 42,
    as_json: JsonOpt = False,
) -> None:
    """Train a Taiwan PD model on the committed split; report holdout, fairness and drift.

    Example: accord risk train-taiwan --out models/taiwan --kind scorecard --json
    """
    from accord.services.risk_taiwan import train_taiwan as run

    try:
        result = run(out, kind=kind, seed=seed)
    except (RiskError, ValueError, OSError) as exc:
        _fail(exc)
        return
    if as_json:
        _render("train-taiwan", result, True)
        return
    shown: dict[str, Any] = {"version_dir": result["version_dir"], **result["holdout"]}
    for name, att in result["fairness"]["attributes"].items():
        shown[f"{name}_flag_rate_diff"] = att["flag_rate_difference"]
        shown[f"{name}_equal_opportunity_diff"] = att["equal_opportunity_difference"]
    shown["score_psi"] = result["drift"]["score"]["psi"]
    _render("train-taiwan", shown, False)
