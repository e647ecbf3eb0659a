"""Locating the bundled public credit data sets (Taiwan default, German credit).

The repository ships ``data/taiwan_default/UCI_Credit_Card.csv.gz`` and
``data/german_credit/german.data``; until the Taiwan file is bundled, and for checkouts that keep
the shared data beside them, the first existing of these is used: ``$ACCORD_DATA_DIR``, the
repository's ``data/``, ``../shared/data`` next to the repository, and ``/work/shared/data``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from accord.risk.errors import SchemaError

REPO_ROOT = Path(__file__).resolve().parents[3]


def _candidates(relative: str) -> list[Path]:
    roots = []
    if env := os.environ.get("ACCORD_DATA_DIR"):
        roots.append(Path(env))
    roots += [REPO_ROOT / "data", REPO_ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    return [r / relative for r in roots]


def find_data(*relatives: str) -> Path:
    """First existing file among ``relatives`` under the data roots (in root order)."""
    for root_candidates in zip(*(_candidates(r) for r in relatives), strict=True):
        for path in root_candidates:
            if path.is_file():
                found: Path = path
                return found
    raise SchemaError(f"data file not found: {relatives}")


def taiwan_path() -> Path:
    """Path of the Taiwan credit-card default table (repo .csv.gz preferred, else shared CSV)."""
    return find_data("taiwan_default/UCI_Credit_Card.csv.gz", "taiwan_default/UCI_Credit_Card.csv")


def load_taiwan() -> pd.DataFrame:
    """The Taiwan table indexed by ``ID`` (30,000 rows)."""
    return pd.read_csv(taiwan_path()).set_index("ID")


def taiwan_split() -> pd.Series:
    """The committed 70/30 stratified split (seed 42): ``part`` ("train"/"test") by ID."""
    path = REPO_ROOT / "data" / "taiwan_default" / "split_seed42.csv"
    return pd.read_csv(path).set_index("id")["part"]


def german_path() -> Path:
    """Path of the German credit ``german.data`` file (space-separated, no header)."""
    return find_data("german_credit/german.data")
