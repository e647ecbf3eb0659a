"""Validation findings: where, which field, what value, why — returned as data, never raised."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with an input: ``file`` line ``row`` (1 = header; 0 = whole file)."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        """Plain dict for JSON output."""
        return asdict(self)
