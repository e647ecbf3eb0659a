"""``accord risk train | evaluate | score | segments``: PD models on a tenant's imported book.

Thin commands: parse options, call :mod:`accord.services.risk_book` or
:mod:`accord.services.risk_scoring`, render Rich tables or ``--json``. Models live in a registry,
``$ACCORD_HOME/models/<tenant>/v<N>`` unless ``--registry`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.output import JsonOpt, TenantOpt, console, fail, parse_date, print_json
from accord.risk.book import render_message
from accord.risk.errors import RiskError
from accord.services.context import Context, open_context
from accord.services.risk_book import default_registry, evaluate_book, train_book
from accord.services.risk_scoring import score_book, segment_report

AsOfOpt = Annotated[str, typer.Option("--as-of", help="A ticked date, YYYY-MM-DD.")]
RegistryOpt = Annotated[
    Path | None,
    typer.Option("--registry", "--out", help="Model registry root (default $ACCORD_HOME/models)."),
]
VersionOpt = Annotated[
    str | None, typer.Option("--model", help="Model version, e.g. v2 (default: latest).")
]
HEADLINE = ("n", "bad_rate", "auc", "gini", "ks", "brier", "ece")


def _day(text: str) -> date:
    return parse_date(text, "as-of")


@contextmanager
def _context() -> Iterator[Context]:
    """The runtime context, its connection pool closed when the command is done."""
    ctx = open_context()
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def _metrics_table(title: str, values: dict[str, Any]) -> None:
    table = Table("metric", "value", title=title)
    for k in HEADLINE:
        v = values[k]
        table.add_row(k, f"{v:.4f}" if isinstance(v, float) else str(v))
    console.print(table)


def _fairness_lines(fair: dict[str, Any]) -> None:
    for name, att in fair["attributes"].items():
        review = " — REVIEW" if att["review"] else ""
        console.print(
            f"fairness {name}: flag-rate diff {att['flag_rate_difference']:.3f}, "
            f"equal-opportunity diff {att['equal_opportunity_difference']:.3f}{review}"
        )


def train_cmd(
    tenant: TenantOpt,
    as_of: AsOfOpt,
    kind: Annotated[str, typer.Option("--kind", help="boosting, scorecard or blend.")] = "boosting",
    registry: RegistryOpt = None,
    holdout: Annotated[float, typer.Option("--holdout", help="Share of accounts held out.")] = 0.3,
    trees: Annotated[int, typer.Option("--trees", help="Most boosting rounds.")] = 400,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """Train a PD model ("overdue at the next month end") on the book as of a date.

    Example: accord risk train --tenant demo --as-of 2005-07-31 --kind boosting
    """
    day = _day(as_of)
    try:
        with (
            _context() as ctx,
            console.status("training", spinner="dots") if not json_out else nullcontext(),
        ):
            result = train_book(
                factory=ctx.factory,
                tenant=tenant,
                as_of=day,
                registry=registry or default_registry(ctx.settings),
                kind=kind,
                holdout=holdout,
                seed=seed,
                trees=trees,
            )
    except (RiskError, ValueError, OSError) as exc:
        fail(str(exc))
    if json_out:
        print_json(result)
        return
    console.print(f"model {result['version']} saved to {result['version_dir']}")
    _metrics_table(
        f"holdout as of {result['as_of']} (target {result['label_date']})", result["holdout"]
    )
    _fairness_lines(result["fairness"])


def evaluate_cmd(
    tenant: TenantOpt,
    as_of: AsOfOpt,
    model: VersionOpt = None,
    registry: RegistryOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Evaluate a saved model on the book as of a later date (out of time) and write the report.

    Example: accord risk evaluate --tenant demo --model v1 --as-of 2005-08-31
    """
    day = _day(as_of)
    try:
        with (
            _context() as ctx,
            console.status("evaluating", spinner="dots") if not json_out else nullcontext(),
        ):
            result = evaluate_book(
                factory=ctx.factory,
                tenant=tenant,
                as_of=day,
                registry=registry or default_registry(ctx.settings),
                version=model,
            )
    except (RiskError, ValueError, OSError) as exc:
        fail(str(exc))
    if json_out:
        print_json(result)
        return
    _metrics_table(
        f"{result['version']} (trained {result['trained_as_of']}) on {result['as_of']}",
        result["metrics"],
    )
    if result.get("current_only"):
        _metrics_table("accounts current at the observation date", result["current_only"])
    if result.get("unseen_accounts"):
        _metrics_table("accounts not in the training part", result["unseen_accounts"])
    _fairness_lines(result["fairness"])
    if result["drift"]:
        console.print(
            f"score PSI {result['drift']['score']['psi']:.4f}; alerts: "
            f"{', '.join(result['drift']['alerts']) or 'none'}"
        )
    console.print(f"report: {result['report']['html']}")


def score_cmd(
    tenant: TenantOpt,
    as_of: AsOfOpt,
    model: VersionOpt = None,
    registry: RegistryOpt = None,
    show: Annotated[int, typer.Option("--show", help="Early warnings to list.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Score every account as of a ticked date; store scores, flag early warnings, check drift.

    Example: accord risk score --tenant demo --as-of 2005-09-30
    """
    day = _day(as_of)
    try:
        with (
            _context() as ctx,
            console.status("scoring", spinner="dots") if not json_out else nullcontext(),
        ):
            rep = score_book(
                factory=ctx.factory,
                tenant=tenant,
                as_of=day,
                registry=registry or default_registry(ctx.settings),
                version=model,
            )
    except (RiskError, ValueError, OSError) as exc:
        fail(str(exc))
    if json_out:
        print_json(rep)
        return
    s = rep.summary
    state = "stored" if rep.changed else "unchanged"
    console.print(
        f"{tenant} {s['as_of']} with {s['model_version']} ({s['model_kind']}): "
        f"{s['accounts']:,} accounts ({state}), mean PD {s['mean_pd']}"
    )
    console.print("bands: " + ", ".join(f"{b} {n:,}" for b, n in s["bands"].items()))
    console.print(
        f"early warnings: {s['early_warnings']:,} · band changes: {s['band_changes']:,} · "
        "segments: " + (", ".join(f"{k} {v:,}" for k, v in s["segments"].items()) or "none")
    )
    d = s["drift"]
    if d.get("available"):
        alerts = ", ".join(d["alerts"]) or "none"
        console.print(
            f"drift: score PSI {d['score_psi']} ({d['score_status']}); alerts > "
            f"{d['alert_threshold']}: {alerts}"
        )
    table = Table("account", "PD", "band", "flags", "top reason", title="early warnings")
    for e in rep.early_warnings[:show]:
        table.add_row(
            e["account"],
            e["pd"],
            e["band"],
            "; ".join(render_message(f, "zh-CN") for f in e["flags"]),
            render_message(e["reasons"][0], "zh-CN"),
        )
    if rep.early_warnings:
        console.print(table)


def segments_cmd(
    tenant: TenantOpt,
    as_of: AsOfOpt,
    model: VersionOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List delinquent accounts of a scoring run by segment (ability vs willingness) with reasons.

    Example: accord risk segments --tenant demo --as-of 2005-09-30 --json
    """
    day = _day(as_of)
    try:
        with _context() as ctx:
            rows = segment_report(factory=ctx.factory, tenant=tenant, as_of=day, version=model)
    except LookupError as exc:
        fail(str(exc))
    if json_out:
        print_json(rows)
        return
    table = Table("account", "DPD", "PD", "segment", "原因", "reason", title=f"segments {day}")
    for r in rows:
        table.add_row(
            r["account"],
            str(r["dpd"]),
            r["pd"],
            r["segment"],
            "；".join(r["zh-CN"]),
            "; ".join(r["en"]),
        )
    console.print(table)
