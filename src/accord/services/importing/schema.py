"""The canonical import layout: four kinds of file, their fields, and row validation.

A file's kind is recognised from its (mapped) header. Values are parsed into typed Python values;
every problem becomes a :class:`Finding` naming the file, line, column, value and reason.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from accord.core.money import EXPONENTS
from accord.services.importing.findings import Finding


class FieldError(ValueError):
    """A single value failed to parse; the message is the finding's reason."""


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a kind: its name, whether it is required, and how to parse it."""

    name: str
    parse: Callable[[str, Mapping[str, Any]], object]
    required: bool = True
    default: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """A column-mapping file: renames foreign headers, supplies defaults and date formats."""

    columns: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path) -> ColumnMapping:
        """Read a TOML mapping file (``[columns]``, ``[defaults]``, ``date_formats``)."""
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - {"columns", "defaults", "date_formats"}
        if unknown:
            raise ValueError(f"{path.name}: unknown mapping keys {sorted(unknown)}")
        return cls(
            columns=dict(data.get("columns", {})),
            defaults=dict(data.get("defaults", {})),
            date_formats=tuple(data.get("date_formats", ())),
        )


DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")


def parse_id(value: str, _ctx: Mapping[str, Any]) -> str:
    """An identifier: 1–64 printable characters."""
    if not value:
        raise FieldError("is required")
    if len(value) > 64 or not value.isprintable():
        raise FieldError("must be 1-64 printable characters")
    return value


def parse_date(value: str, ctx: Mapping[str, Any]) -> date:
    """A calendar date in ISO form or one of the mapping's ``date_formats``."""
    return _parse_date(value, tuple(ctx.get("date_formats", ())))


@lru_cache(maxsize=65536)
def _parse_date(value: str, formats: tuple[str, ...]) -> date:
    # Books repeat the same few hundred dates many times: cache the (pure) parse.
    text = value.removesuffix(" 00:00:00").removesuffix("T00:00:00")
    for fmt in (*formats, *DEFAULT_DATE_FORMATS):
        try:
            d = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 1900 <= d.year <= 2100:
            raise FieldError("date out of range 1900-2100")
        return d
    raise FieldError("not a valid date (expected YYYY-MM-DD)")


def parse_decimal(value: str) -> Decimal:
    """A plain decimal number (thousands commas allowed)."""
    try:
        d = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise FieldError("not a number") from None
    if not d.is_finite():
        raise FieldError("not a finite number")
    return d


def _money(*, minimum: Decimal | None) -> Callable[[str, Mapping[str, Any]], object]:
    def parse(value: str, _ctx: Mapping[str, Any]) -> Decimal:
        d = parse_decimal(value)
        if minimum is not None and d < minimum:
            raise FieldError("must not be negative" if minimum == 0 else f"must be ≥ {minimum}")
        if d.as_tuple().exponent < -2:  # type: ignore[operator]
            raise FieldError("more than 2 decimal places")
        if abs(d) >= Decimal(10) ** 13:
            raise FieldError("amount too large")
        return d

    return parse


def parse_rate(value: str, _ctx: Mapping[str, Any]) -> Decimal:
    """An annual rate as a fraction between 0 and 1 (``0.12`` = 12 %)."""
    d = parse_decimal(value)
    if not Decimal(0) <= d <= Decimal(1):
        raise FieldError("rate must be a fraction between 0 and 1")
    return d


def _int(lo: int, hi: int) -> Callable[[str, Mapping[str, Any]], object]:
    def parse(value: str, _ctx: Mapping[str, Any]) -> int:
        try:
            n = int(value)
        except ValueError:
            raise FieldError("not a whole number") from None
        if not lo <= n <= hi:
            raise FieldError(f"must be between {lo} and {hi}")
        return n

    return parse


def _choice(*options: str) -> Callable[[str, Mapping[str, Any]], object]:
    def parse(value: str, _ctx: Mapping[str, Any]) -> str:
        if value not in options:
            raise FieldError(f"must be one of {', '.join(options)}")
        return value

    return parse


def parse_currency(value: str, _ctx: Mapping[str, Any]) -> str:
    """An ISO 4217 currency code Accord knows."""
    if value not in EXPONENTS:
        raise FieldError("unknown currency code")
    return value


def _text(maxlen: int) -> Callable[[str, Mapping[str, Any]], object]:
    def parse(value: str, _ctx: Mapping[str, Any]) -> str | None:
        if len(value) > maxlen:
            raise FieldError(f"longer than {maxlen} characters")
        return value or None

    return parse


KINDS: dict[str, tuple[Field, ...]] = {
    "parties": (
        Field("party_id", parse_id),
        Field("name", _text(200), required=False),
        Field("phone", _text(40), required=False),
        Field("id_number", _text(40), required=False),
        Field("sex", _text(16), required=False),
        Field("birth_year", _int(1900, 2100), required=False),
        Field("marital_status", _text(16), required=False),
        Field("education", _text(32), required=False),
        Field("region", _text(32), required=False),
    ),
    "accounts": (
        Field("account_id", parse_id),
        Field("party_id", parse_id),
        Field("product", _choice("card", "loan")),
        Field("currency", parse_currency),
        Field("principal", _money(minimum=Decimal(0))),
        Field("annual_rate", parse_rate),
        Field("open_date", parse_date),
        Field("pack", _text(16), required=False),
    ),
    "installments": (
        Field("account_id", parse_id),
        Field("seq", _int(1, 1200)),
        Field("due_date", parse_date),
        Field("principal", _money(minimum=Decimal(0))),
        Field("interest", _money(minimum=Decimal(0)), required=False, default="0"),
        Field("fees", _money(minimum=Decimal(0)), required=False, default="0"),
        Field("statement_date", parse_date, required=False),
        Field("statement_balance", _money(minimum=None), required=False),
    ),
    "payments": (
        Field("payment_id", parse_id),
        Field("account_id", parse_id),
        Field("paid_on", parse_date),
        Field("amount", _money(minimum=Decimal("0.01"))),
        Field("currency", parse_currency, required=False),
    ),
}
#: Columns that identify each kind (the first field is the row key).
SIGNATURES = {
    "parties": {"party_id"},
    "accounts": {"account_id", "party_id", "principal"},
    "installments": {"account_id", "seq", "due_date"},
    "payments": {"payment_id", "paid_on", "amount"},
}


def detect_kind(header: tuple[str, ...]) -> str | None:
    """The kind whose signature columns are all present (most specific first)."""
    cols = set(header)
    for kind in ("payments", "installments", "accounts", "parties"):
        if SIGNATURES[kind] <= cols:
            return kind
    return None


def validate_rows(
    *,
    file: str,
    kind: str,
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    lines: tuple[int, ...],
    mapping: ColumnMapping,
) -> tuple[list[dict[str, object]], list[Finding]]:
    """Parse every row of one file; return typed rows (with ``_line``) and all findings."""
    fields = KINDS[kind]
    index = {name: i for i, name in enumerate(header)}
    findings = [
        Finding(file, 1, f.name, "", "required column is missing")
        for f in fields
        if f.required and f.name not in index and f.name not in mapping.defaults
    ]
    known = {f.name for f in fields}
    findings += [Finding(file, 1, h, "", "unknown column") for h in header if h not in known]
    if findings:
        return [], findings
    ctx = {"date_formats": mapping.date_formats}
    out: list[dict[str, object]] = []
    for row, line in zip(rows, lines, strict=True):
        rec: dict[str, object] = {"_line": line}
        ok = True
        for f in fields:
            raw = row[index[f.name]] if f.name in index else ""
            if raw == "":
                raw = mapping.defaults.get(f.name, f.default or "")
            if raw == "":
                if f.required:
                    findings.append(Finding(file, line, f.name, "", "is required"))
                    ok = False
                rec[f.name] = None
                continue
            try:
                rec[f.name] = f.parse(raw, ctx)
            except FieldError as exc:
                findings.append(Finding(file, line, f.name, raw[:80], str(exc)))
                ok = False
        if ok:
            out.append(rec)
    return out, findings
