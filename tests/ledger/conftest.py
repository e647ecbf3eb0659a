"""Shared fixtures for the ledger tests: the committed known-answer vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

VECTORS = Path(__file__).parent / "vectors"


def load_vectors(name: str) -> dict[str, Any]:
    """Load one committed JSON vector file by name."""
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def ref() -> dict[str, Any]:
    """The RFC 6962 reference tree (leaves, node hashes, roots, proofs, plans)."""
    return load_vectors("rfc6962_reference.json")


@pytest.fixture(scope="session")
def ref_leaves(ref: dict[str, Any]) -> list[bytes]:
    """Raw leaf data of the 8-leaf reference tree."""
    return [bytes.fromhex(x) for x in ref["leaves"]]
