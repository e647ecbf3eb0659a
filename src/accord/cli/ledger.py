"""``accord ledger``: checkpoint, export, prove and verify the shared tamper-evident ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import JsonOpt, TenantOpt, console, err_console, fail, print_json
from accord.ledger.errors import LedgerError
from accord.services.context import open_context
from accord.services.ledger import checkpoint, export, prove, verify

app = typer.Typer(
    name="ledger",
    help="The shared ledger (共享账本): signed checkpoints, audit bundles, receipts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command("checkpoint")
def checkpoint_cmd(tenant: TenantOpt, json_out: JsonOpt = False) -> None:
    """Sign a checkpoint (tree head) of a tenant's ledger now.

    Example: accord ledger checkpoint --tenant demo --json
    """
    try:
        report = checkpoint(factory=open_context().factory, tenant=tenant)
    except (LookupError, LedgerError) as exc:
        fail(str(exc))
    if json_out:
        print_json(report)
        return
    state = "signed" if report.created else "unchanged"
    console.print(
        f"{tenant}: checkpoint {state}, size {report.size}, root {report.root}", soft_wrap=True
    )


@app.command("export")
def export_cmd(
    tenant: TenantOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Bundle directory to write.")],
    json_out: JsonOpt = False,
) -> None:
    """Export a tenant's audit bundle (entries, keys, checkpoints) to a directory.

    Example: accord ledger export --tenant demo --out ./bundle
    """
    try:
        with err_console.status("exporting the ledger"):
            report = export(factory=open_context().factory, tenant=tenant, out=out)
    except (LookupError, LedgerError, OSError) as exc:
        fail(str(exc))
    if json_out:
        print_json(report)
        return
    console.print(f"{report.entries} entries, {report.checkpoints} checkpoints → {report.out}")


@app.command("verify")
def verify_cmd(
    directory: Annotated[Path, typer.Argument(help="Bundle directory.")],
    log_key: Annotated[
        str | None, typer.Option("--log-key", help="Pin the log's verifier key.")
    ] = None,
    witness_quorum: Annotated[
        int, typer.Option("--witness-quorum", help="Witness cosignatures required.")
    ] = 0,
    jobs: Annotated[int, typer.Option("--jobs", help="Worker processes.")] = 1,
    json_out: JsonOpt = False,
) -> None:
    """Verify an audit bundle offline; exit 1 naming the first bad entry.

    Example: accord ledger verify ./bundle --json
    """
    if not directory.is_dir():
        fail(f"{directory} is not a directory", code=2)
    report = verify(directory, log_key=log_key, witness_quorum=witness_quorum, jobs=jobs)
    if json_out:
        print_json(report.to_json())
    elif report.ok:
        console.print(
            f"OK: {report.entries} entries, {report.checkpoints} checkpoints, root {report.root}",
            soft_wrap=True,
        )
    if not report.ok:
        where = f"entry {report.error_index}: " if report.error_index is not None else ""
        fail(f"verification failed: {where}{report.error}")


@app.command("prove")
def prove_cmd(
    tenant: TenantOpt,
    entry: Annotated[int, typer.Option("--entry", "-n", help="Entry index (seq).")],
    json_out: JsonOpt = False,
) -> None:
    """Receipt for one entry: the entry, its inclusion proof and a signed checkpoint.

    Example: accord ledger prove --tenant demo --entry 42 --json > receipt.json
    """
    try:
        report = prove(factory=open_context().factory, tenant=tenant, entry=entry)
    except (LookupError, LedgerError) as exc:
        fail(str(exc))
    if json_out:
        print_json({"receipt": report.receipt, "trust": report.trust})
        return
    r = report.receipt
    console.print(f"entry {r['index']} of {r['size']}: {len(r['proof'])} proof hashes")
    console.print(json.loads(r["entry"]), highlight=False)
