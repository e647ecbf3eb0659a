"""Rendering helpers shared by the commands: JSON encoding, errors, consoles."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from accord.core.money import Money

console = Console()
err_console = Console(stderr=True)


def to_jsonable(value: Any) -> Any:
    """Convert records to JSON values: Money → {amount, currency}, Decimal/date → strings."""
    if isinstance(value, Money):
        return {"amount": value.amount_str(), "currency": value.currency}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Print ``value`` as JSON on stdout (and nothing else there)."""
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def fail_with(exc: Exception) -> NoReturn:
    """Exit with the first line of ``exc``, prefixed by its type (domain errors of a service)."""
    fail(f"{type(exc).__name__}: {exc}".splitlines()[0])


def parse_date(text: str, option: str) -> date:
    """An ISO date given to ``--option``, or a one-line error naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--{option}: not a date (YYYY-MM-DD): {text!r}")


#: Options every command shares.
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant (creditor) id.")]
