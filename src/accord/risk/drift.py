"""Population stability: PSI per feature and for the score, with an alert threshold.

``PSI = sum((a - e) * ln(a / e))`` over bins, where ``e`` and ``a`` are the shares of the
expected (reference, e.g. training) and actual (current) populations in each bin. Numerical
features use the reference's decile edges (ties merged); categorical ones their categories;
missing values are a bin of their own. Shares are floored at 1e-4 so empty bins stay finite.
Rule of thumb: < 0.1 stable, 0.1-0.25 watch, > 0.25 shifted (alert).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

ALERT: Final = 0.25
WATCH: Final = 0.10
_FLOOR: Final = 1e-4


def _shares(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    shares: np.ndarray = np.maximum(counts / total if total else counts.astype(float), _FLOOR)
    return shares


def psi(expected: ArrayLike, actual: ArrayLike, bins: int = 10) -> float:
    """PSI between two samples of one variable (numeric or categorical)."""
    e = pd.Series(np.asarray(expected))
    a = pd.Series(np.asarray(actual))
    if pd.api.types.is_numeric_dtype(e) and pd.api.types.is_numeric_dtype(a):
        ef, af = e.astype(float), a.astype(float)
        edges = np.unique(np.nanquantile(ef, np.linspace(0, 1, bins + 1)[1:-1]))
        ec = np.bincount(
            np.where(ef.isna(), len(edges) + 1, np.searchsorted(edges, ef, side="right")),
            minlength=len(edges) + 2,
        )
        ac = np.bincount(
            np.where(af.isna(), len(edges) + 1, np.searchsorted(edges, af, side="right")),
            minlength=len(edges) + 2,
        )
    else:
        es, as_ = e.astype(str), a.astype(str)
        cats = sorted(set(es) | set(as_))
        ec = es.value_counts().reindex(cats, fill_value=0).to_numpy()
        ac = as_.value_counts().reindex(cats, fill_value=0).to_numpy()
    pe, pa = _shares(ec.astype(float)), _shares(ac.astype(float))
    return float(np.sum((pa - pe) * np.log(pa / pe)))


def status(value: float) -> str:
    """``stable``, ``watch`` or ``alert`` for a PSI value."""
    return "alert" if value > ALERT else "watch" if value > WATCH else "stable"


def drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    features: Sequence[str],
    *,
    score_reference: ArrayLike | None = None,
    score_current: ArrayLike | None = None,
    alert: float = ALERT,
) -> dict[str, Any]:
    """PSI of every feature (and the score when given) between two populations.

    Returns ``{"features": {name: {"psi", "status"}}, "score": {...}, "alerts": [names]}``;
    a name is in ``alerts`` when its PSI exceeds ``alert``.
    """
    out: dict[str, Any] = {"alert_threshold": alert, "features": {}, "alerts": []}
    for f in features:
        v = psi(reference[f], current[f])
        out["features"][f] = {"psi": v, "status": status(v)}
        if v > alert:
            out["alerts"].append(f)
    if score_reference is not None and score_current is not None:
        v = psi(score_reference, score_current)
        out["score"] = {"psi": v, "status": status(v)}
        if v > alert:
            out["alerts"].append("score")
    return out
