"""Early-warning flags for accounts that are still current (0 DPD).

Two signals, computed vectorised over a whole portfolio from the previous and the current PD:

- ``pd_jump``: PD rose by at least ``min_rise`` (absolute) *and* at least ``min_ratio`` times,
  so that tiny PDs doubling (0.1% to 0.2%) do not flood the queue;
- ``band_worse``: the account crossed into a worse risk band (A best .. F worst, see
  :data:`BANDS`).

Each flag carries a message id and parameters for the bilingual catalogue.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from accord.risk.errors import SchemaError

#: Upper PD bound (exclusive) of each band; the last band is open-ended.
BANDS: Final[tuple[tuple[str, float], ...]] = (
    ("A", 0.02),
    ("B", 0.05),
    ("C", 0.10),
    ("D", 0.20),
    ("E", 0.35),
    ("F", float("inf")),
)


def band_of(pd_values: ArrayLike) -> np.ndarray:
    """Risk band letter of each PD."""
    p = np.asarray(pd_values, dtype=float)
    edges = np.array([upper for _, upper in BANDS[:-1]])
    letters = np.array([name for name, _ in BANDS])
    out: np.ndarray = letters[np.searchsorted(edges, p, side="right")]
    return out


def early_warnings(
    frame: pl.DataFrame, *, min_rise: float = 0.05, min_ratio: float = 1.5
) -> pl.DataFrame:
    """Flags for current accounts; ``frame`` has ``account_id``, ``dpd``, ``pd_prev``, ``pd_now``.

    Returns one row per (account, flag): ``account_id``, ``flag`` (pd_jump / band_worse),
    ``message_id``, ``pd_prev``, ``pd_now``, ``band_prev``, ``band_now``. Accounts already past
    due are left to the collections process and never flagged here.
    """
    missing = {"account_id", "dpd", "pd_prev", "pd_now"} - set(frame.columns)
    if missing:
        raise SchemaError(f"early_warnings needs columns {sorted(missing)}")
    cur = frame.filter(pl.col("dpd") == 0)
    cur = cur.with_columns(
        pl.Series("band_prev", band_of(cur["pd_prev"].to_numpy())),
        pl.Series("band_now", band_of(cur["pd_now"].to_numpy())),
    )
    jump = (pl.col("pd_now") - pl.col("pd_prev") >= min_rise) & (
        pl.col("pd_now") >= min_ratio * pl.col("pd_prev")
    )
    worse = pl.col("band_now") > pl.col("band_prev")  # letters sort A < B < ... < F
    cols = ["account_id", "pd_prev", "pd_now", "band_prev", "band_now"]
    jumps = cur.filter(jump).select(
        *cols, pl.lit("pd_jump").alias("flag"), pl.lit("risk.ews.pd_jump").alias("message_id")
    )
    bands = cur.filter(worse).select(
        *cols, pl.lit("band_worse").alias("flag"), pl.lit("risk.ews.band_worse").alias("message_id")
    )
    return pl.concat([jumps, bands]).sort("account_id", "flag")
