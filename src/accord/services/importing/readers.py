"""Read tabular files into rows of strings, detecting the text encoding (UTF-8, GBK, GB18030).

CSV is parsed with the standard library so that every physical row, including a truncated last
line, is seen and can be reported by its line number. Parquet and Excel go through Polars.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from accord.services.importing.findings import Finding

#: Encodings we accept, in the order we try them when decoding is ambiguous.
ENCODINGS = ("utf-8", "gbk", "gb18030")


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file's header and data rows as strings; ``line_of[i]`` is the file line of row ``i``."""

    path: Path
    encoding: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line_of: tuple[int, ...]
    sha256: str


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else GBK, else GB18030 (a superset of GBK).

    The accepted set is deliberately narrow: statistical detectors mislabel short Chinese CSV
    files (GBK read as Korean CP949 is common), while these three strict decoders either
    succeed or fail, and UTF-8 almost never decodes text written in the other two.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnicodeError(f"{path.name}: not UTF-8, GBK or GB18030 text")


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    sample = text[:4096]
    delimiter = ","
    if sample.count("\t") > sample.count(",") and sample.count("\t") > 0:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    for row in reader:
        yield reader.line_num, row


def read_table(path: Path) -> tuple[RawTable | None, list[Finding]]:
    """Read ``path`` (``.csv``, ``.csv.gz``, ``.tsv``, ``.parquet``, ``.xlsx``/``.xls``).

    Returns the table and the findings about its shape: undecodable text, a row whose field count
    differs from the header (for example a truncated last line), blank header names.
    """
    findings: list[Finding] = []
    name = path.name.lower()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if name.endswith((".parquet", ".xlsx", ".xls", ".xlsm")):
        try:
            if name.endswith(".parquet"):
                frame = pl.read_parquet(io.BytesIO(data))
            else:
                frame = pl.read_excel(io.BytesIO(data), infer_schema_length=0)
        except Exception as exc:  # the readers raise many types; report, never crash
            return None, [Finding(path.name, 0, "", "", f"cannot read file: {exc}")]
        frame = frame.select(pl.all().cast(pl.String))
        header = tuple(str(c) for c in frame.columns)
        cells = tuple(tuple("" if v is None else str(v) for v in r) for r in frame.iter_rows())
        return RawTable(path, "binary", header, cells, tuple(range(2, len(cells) + 2)), digest), []

    if name.endswith(".gz"):
        data = gzip.decompress(data)
    try:
        text, encoding = _decode(data, path)
    except UnicodeError as exc:
        return None, [Finding(path.name, 0, "", "", str(exc))]
    it = _csv_rows(text)
    try:
        first = next(it, None)
        if first is None:
            return None, [Finding(path.name, 1, "", "", "file is empty")]
        header = tuple(h.strip() for h in first[1])
        rows: list[tuple[str, ...]] = []
        lines: list[int] = []
        for line, row in it:
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                findings.append(
                    Finding(
                        path.name,
                        line,
                        "",
                        ",".join(row)[:80],
                        f"expected {len(header)} fields, found {len(row)}"
                        + (" (truncated line?)" if len(row) < len(header) else ""),
                    )
                )
                continue
            rows.append(tuple(c.strip() for c in row))
            lines.append(line)
    except csv.Error as exc:
        findings.append(Finding(path.name, 0, "", "", f"malformed CSV: {exc}"))
        return None, findings
    for i, h in enumerate(header):
        if not h:
            findings.append(Finding(path.name, 1, f"#{i + 1}", "", "blank column name"))
    return RawTable(path, encoding, header, tuple(rows), tuple(lines), digest), findings
