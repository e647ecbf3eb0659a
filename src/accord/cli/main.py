"""The ``accord`` command: book, servicing, risk, negotiation, ledger and benchmarks."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from accord.cli.agreement import app as agreement_app
from accord.cli.ledger import app as ledger_app
from accord.cli.negotiate import app as negotiate_app
from accord.cli.output import JsonOpt, TenantOpt, console, fail, parse_date, print_json, to_jsonable
from accord.cli.risk import app as risk_app
from accord.cli.simulate import simulate as simulate_command
from accord.core.errors import CoreError
from accord.core.money import Money
from accord.core.schedule import HolidayMode
from accord.core.types import Method
from accord.services.accounts import account_view
from accord.services.agreements import AgreementTickReport, tick_agreements
from accord.services.context import open_context, reset_embedded
from accord.services.demo import run_demo
from accord.services.importing.schema import ColumnMapping
from accord.services.importing.service import import_book
from accord.services.portfolio import (
    NoTickError,
    PortfolioReport,
    RollMatrix,
    list_tenants,
    portfolio,
    roll_rates,
)
from accord.services.schedules import preview_schedule
from accord.services.servicing import tick
from accord.store.config import Settings

app = typer.Typer(
    name="accord",
    help="Accord: fair, verifiable negotiation of overdue loans (逾期协商).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

app.add_typer(agreement_app, name="agreement")
app.add_typer(ledger_app, name="ledger")
app.add_typer(negotiate_app, name="negotiate")
app.add_typer(risk_app, name="risk")
app.command("simulate")(simulate_command)


@app.command()
def init(json_out: JsonOpt = False) -> None:
    """Create or upgrade the database schema.

    Example: ACCORD_HOME=./.accord accord init
    """
    ctx = open_context()
    result = {"database": ctx.engine.url.render_as_string(hide_password=True), "schema": "head"}
    if json_out:
        print_json(result)
    else:
        console.print(f"database ready: {result['database']}")


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="CSV, Parquet or Excel files.")],
    tenant: TenantOpt,
    mapping: Annotated[
        Path | None, typer.Option(help="TOML column-mapping file for foreign layouts.")
    ] = None,
    pack: Annotated[str, typer.Option(help="Jurisdiction pack of a new tenant.")] = "cn",
    currency: Annotated[str, typer.Option(help="Currency of a new tenant.")] = "CNY",
    json_out: JsonOpt = False,
) -> None:
    """Import accounts, installments, payments and parties — all or nothing.

    Example: accord import --tenant bank1 parties.csv accounts.csv installments.csv payments.csv
    """
    for f in files:
        if not f.is_file():
            fail(f"{f}: no such file")
    ctx = open_context()
    col_map = ColumnMapping.load(mapping) if mapping else None
    with Progress(console=console, transient=True, disable=json_out) as bar:
        task = bar.add_task("importing", total=None)

        def note(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{stage}: {done:,}")

        report = import_book(
            factory=ctx.factory,
            cipher=ctx.cipher,
            tenant=tenant,
            paths=files,
            mapping=col_map,
            pack=pack,
            currency=currency,
            progress=note,
        )
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "tenant": report.tenant,
                "files": report.files,
                "new": report.new,
                "unchanged": report.unchanged,
                "findings": [x.as_dict() for x in report.findings],
            }
        )
    elif report.ok:
        table = Table("kind", "new", "unchanged", title=f"import into {tenant}")
        for kind in report.new:
            table.add_row(kind, f"{report.new[kind]:,}", f"{report.unchanged[kind]:,}")
        console.print(table)
    else:
        table = Table("file", "row", "column", "value", "reason", title="rejected rows")
        for finding in report.findings[:200]:
            table.add_row(
                finding.file, str(finding.row), finding.column, finding.value, finding.reason
            )
        console.print(table)
        if len(report.findings) > 200:
            console.print(f"… and {len(report.findings) - 200} more (use --json for all)")
    if not report.ok:
        fail(f"import rejected: {len(report.findings)} problem(s); nothing was written")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def bench(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="Benchmark: schedule, ledger, score, negotiate, tick.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """Run a benchmark and print its JSON result (CONVENTIONS.md §13); extra --key value pairs
    are passed to the benchmark.

    Example: accord bench schedule --loans 1000000 --json
    """
    try:
        module = importlib.import_module(f"accord.benchmarks.{name}")
    except ModuleNotFoundError:
        fail(f"unknown benchmark {name!r}")
    kwargs: dict[str, int | str] = {}
    args = list(ctx.args)
    while args:
        key = args.pop(0)
        if not key.startswith("--") or not args:
            fail(f"expected --key value pairs, got {key!r}")
        raw = args.pop(0)
        kwargs[key[2:].replace("-", "_")] = int(raw) if raw.lstrip("-").isdigit() else raw
    try:
        result = module.run(**kwargs)
    except TypeError as exc:
        fail(f"bad parameters for benchmark {name!r}: {exc}")
    if json_out:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        console.print_json(json.dumps(result))


@app.command()
def schedule(
    principal: Annotated[str, typer.Option(help="Amount borrowed, e.g. 100000.00.")],
    rate: Annotated[str, typer.Option(help="Annual nominal rate as a fraction, e.g. 0.12.")],
    months: Annotated[int, typer.Option(help="Number of monthly installments.")],
    start: Annotated[str, typer.Option(help="Loan start date, YYYY-MM-DD.")],
    method: Annotated[
        str, typer.Option(help="equal-installment | equal-principal | interest-only | step-up")
    ] = "equal-installment",
    currency: Annotated[str, typer.Option(help="ISO currency code.")] = "CNY",
    holiday_months: Annotated[int, typer.Option(help="Payment holiday at the start (months).")] = 0,
    holiday_mode: Annotated[str, typer.Option(help="capitalise | freeze")] = "capitalise",
    step_rate: Annotated[str, typer.Option(help="step-up: growth per step, e.g. 0.05")] = "0",
    step_every: Annotated[int, typer.Option(help="step-up: installments per step")] = 12,
    json_out: JsonOpt = False,
) -> None:
    """Print an exact repayment schedule with totals and the APR by IRR.

    Example: accord schedule --principal 100000.00 --rate 0.12 --months 12
    --method equal-installment --start 2026-01-15 --json
    """
    try:
        preview = preview_schedule(
            principal=Money.parse(principal, currency),
            annual_rate=Decimal(rate),
            months=months,
            method=Method(method),
            start=date.fromisoformat(start),
            holiday_months=holiday_months,
            holiday_mode=HolidayMode(holiday_mode),
            step_rate=Decimal(step_rate),
            step_every=step_every,
        )
    except (CoreError, ValueError, InvalidOperation) as exc:
        fail(str(exc) or exc.__class__.__name__)
    s = preview.schedule
    if json_out:
        print_json(
            {
                "principal": s.principal,
                "annual_rate": s.annual_rate,
                "method": s.method,
                "start": s.start,
                "apr": preview.apr,
                "total_interest": preview.total_interest,
                "total_payment": preview.total_payment,
                "installments": [
                    {
                        "seq": i.seq,
                        "due_date": i.due_date,
                        "payment": i.payment,
                        "principal": i.principal,
                        "interest": i.interest,
                        "fees": i.fees,
                        "closing_principal": i.closing_principal,
                    }
                    for i in s.installments
                ],
            }
        )
        return
    table = Table(
        "#", "due", "payment", "principal", "interest", "balance", title=f"{s.method} schedule"
    )
    for i in s.installments:
        table.add_row(
            str(i.seq),
            i.due_date.isoformat(),
            i.payment.format(),
            i.principal.format(),
            i.interest.format(),
            i.closing_principal.format(),
        )
    console.print(table)
    console.print(
        f"total interest {preview.total_interest.format()} · total paid "
        f"{preview.total_payment.format()} · APR (IRR) {preview.apr:.4%}"
    )


@app.command("tick")
def tick_cmd(
    as_of: Annotated[str, typer.Option("--as-of", help="Servicing date, YYYY-MM-DD.")],
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Only this tenant (default: all).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Age every account as of a date (DPD, bucket, capped charges), then tick the live
    agreements (reminders, grace, breach); idempotent.

    Example: accord tick --as-of 2026-03-31 --tenant demo
    """
    day = parse_date(as_of, "as-of")
    ctx = open_context()
    tenants = [tenant] if tenant else list_tenants(factory=ctx.factory)
    if not tenants:
        fail("no tenants yet: import a book first (accord import --tenant T FILE...)")
    reports = []
    agreements: list[AgreementTickReport] = []
    with Progress(console=console, transient=True, disable=json_out) as bar:
        for t in tenants:
            task = bar.add_task(f"ticking {t}", total=None)

            def note(done: int, total: int, task: TaskID = task) -> None:
                bar.update(task, completed=done, total=total)

            try:
                reports.append(tick(factory=ctx.factory, tenant=t, as_of=day, progress=note))
                agreements.append(tick_agreements(factory=ctx.factory, tenant=t, as_of=day))
            except LookupError as exc:
                fail(str(exc))
    if json_out:
        print_json(
            [
                {**to_jsonable(r), "agreements": to_jsonable(a)}
                for r, a in zip(reports, agreements, strict=True)
            ]
        )
        return
    for r, a in zip(reports, agreements, strict=True):
        state = "updated" if r.changed else "unchanged"
        console.print(
            f"{r.tenant} {r.as_of}: {r.accounts:,} accounts, {r.bucket_changes:,} bucket changes,"
            f" charges {r.charges.format()} ({state}); agreements: {a.agreements:,} live,"
            f" {a.changed:,} changed, {a.events:,} events, {a.messages:,} notifications queued"
        )


@app.command("portfolio")
def portfolio_cmd(
    as_of: Annotated[str, typer.Option("--as-of", help="A ticked date, YYYY-MM-DD.")],
    tenant: TenantOpt,
    roll_from: Annotated[
        str | None,
        typer.Option("--roll-from", help="Also print the roll-rate matrix from this date."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Accounts and balances by DPD bucket; optionally the roll-rate matrix between two dates.

    Example: accord portfolio --tenant demo --as-of 2005-09-30 --roll-from 2005-08-31
    """
    day = parse_date(as_of, "as-of")
    ctx = open_context()
    try:
        report = portfolio(factory=ctx.factory, tenant=tenant, as_of=day)
        matrix = (
            roll_rates(
                factory=ctx.factory,
                tenant=tenant,
                start=parse_date(roll_from, "roll-from"),
                end=day,
            )
            if roll_from
            else None
        )
    except (LookupError, NoTickError) as exc:
        fail(str(exc))
    if json_out:
        print_json({"portfolio": report, "roll_rates": matrix})
        return
    render_portfolio(report)
    if matrix is not None:
        render_roll(matrix)


def render_portfolio(report: PortfolioReport) -> None:
    """Print a portfolio as a Rich table."""
    table = Table(
        "bucket",
        "accounts",
        "share",
        "outstanding",
        "overdue",
        "charges",
        title=f"portfolio {report.tenant} as of {report.as_of}",
    )
    for line in report.lines:
        share = line.accounts / report.total_accounts if report.total_accounts else 0.0
        table.add_row(
            line.bucket,
            f"{line.accounts:,}",
            f"{share:.1%}",
            line.outstanding.format(),
            line.overdue.format(),
            line.charges.format(),
        )
    table.add_row("total", f"{report.total_accounts:,}", "", report.total_outstanding.format())
    console.print(table)


def render_roll(matrix: RollMatrix) -> None:
    """Print a roll-rate matrix as a Rich table."""
    table = Table("from \\ to", *matrix.buckets, title=f"roll rates {matrix.start} → {matrix.end}")
    for name, row in zip(matrix.buckets, matrix.rates, strict=True):
        table.add_row(name, *(f"{float(x):.1%}" if x else "·" for x in row))
    console.print(table)


@app.command()
def demo(
    json_out: JsonOpt = False,
    risk: Annotated[
        bool, typer.Option("--risk/--no-risk", help="Also train and score the PD model (~25 s).")
    ] = True,
) -> None:
    """Run the demo on a clean embedded database: import the Taiwan book (tenant ``demo``, tw
    pack, TWD), age it month by month, print the portfolio, roll rates and the agreement of
    Accord's buckets with the dataset's own repayment status; then train a PD model as of
    2005-08-31 (target: September status), score 2005-08-31 and 2005-09-30, and print the
    holdout metrics and early warnings (skip with --no-risk).

    Example: ACCORD_HOME=./.accord accord demo
    """
    settings = Settings()
    try:
        reset_embedded(settings)
    except RuntimeError as exc:
        fail(f"{exc} (unset ACCORD_DATABASE_URL to run the demo on the embedded database)")
    ctx = open_context(settings)

    with console.status("starting", spinner="dots") as status:

        def say(message: str) -> None:
            if not json_out:
                status.update(message)

        report = run_demo(ctx, note=say, with_risk=risk)
    if json_out:
        print_json(report)
        return
    console.print(f"database: {ctx.engine.url.render_as_string(hide_password=True)}")
    console.print("imported: " + ", ".join(f"{v:,} {k}" for k, v in report.imported.new.items()))
    render_portfolio(report.portfolio)
    render_roll(report.roll)
    months = " ".join(f"{m} {r:.1%}" for m, r in report.agreement_by_month)
    console.print(
        f"bucket agreement with the dataset's PAY_x status: {report.agreement_rate:.2%} of "
        f"{report.agreement_pairs:,} card-months ({months})"
    )
    if report.risk is not None:
        r = report.risk
        h = r.holdout
        console.print(
            f"PD model {r.version} (boosting, trained as of 2005-08-31 on {r.n_train:,} accounts,"
            f" target: overdue at 2005-09-30): holdout AUC {h['auc']:.4f} · KS {h['ks']:.4f} · "
            f"Brier {h['brier']:.4f} · n {h['n']:,}"
        )
        console.print(
            f"scored {r.accounts:,} accounts as of 2005-09-30: {r.early_warnings:,} early "
            f"warnings · score PSI {r.score_psi} · drift alerts: "
            f"{', '.join(r.drift_alerts) or 'none'} ({r.seconds:.0f} s)"
        )


@app.command("account")
def account_cmd(
    account_id: Annotated[str, typer.Argument(help="The account's id in the book.")],
    tenant: TenantOpt,
    json_out: JsonOpt = False,
) -> None:
    """Show one account: terms, schedule, payments and DPD history from the ticks.

    Example: accord account TWC00001 --tenant demo
    """
    ctx = open_context()
    try:
        view = account_view(factory=ctx.factory, tenant=tenant, account_id=account_id)
    except LookupError as exc:
        fail(str(exc))
    if json_out:
        print_json(view)
        return
    console.print(
        f"[bold]{view.account_id}[/] ({view.product}, party {view.party_id}) · principal "
        f"{view.principal.format()} · rate {view.annual_rate} · opened {view.open_date} · "
        f"pack {view.pack}"
    )
    sched = Table("#", "due", "principal", "interest", "fees", "statement", title="schedule")
    for i in view.schedule:
        sched.add_row(
            str(i.seq),
            i.due_date.isoformat(),
            i.principal.format(),
            i.interest.format(),
            i.fees.format(),
            i.statement_balance.format() if i.statement_balance is not None else "",
        )
    console.print(sched)
    pays = Table("payment", "paid on", "amount", title="payments")
    for p in view.payments:
        pays.add_row(p.payment_id, p.paid_on.isoformat(), p.amount.format())
    console.print(pays)
    hist = Table("as of", "DPD", "bucket", "overdue", "outstanding", "charges", title="DPD history")
    for h in view.history:
        hist.add_row(
            h.as_of.isoformat(),
            str(h.dpd),
            h.bucket,
            h.overdue.format(),
            h.outstanding.format(),
            h.charges.format(),
        )
    console.print(hist)
