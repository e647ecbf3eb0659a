"""Group fairness of a risk model at an operating threshold.

Protected attributes never enter the model (see :mod:`accord.risk.features`) but they are used
*here*, after the fact, to check outcomes. For each attribute and group: count, observed bad
rate, flag rate (share with predicted PD at or above the threshold) and true-positive rate
(share of actual bads flagged, the "equal opportunity" rate). The report gives the largest
between-group gap of each: ``flag_rate_difference`` (demographic parity difference) and
``equal_opportunity_difference``. A gap above ``tolerance`` (0.1 by default) is flagged for review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

AGE_BANDS: tuple[tuple[int, str], ...] = ((25, "<25"), (35, "25-34"), (45, "35-44"), (55, "45-54"))


def age_band(age: ArrayLike) -> np.ndarray:
    """Age in years to bands ``<25``, ``25-34``, ``35-44``, ``45-54``, ``55+`` (``unknown``)."""
    a = np.asarray(age, dtype=float)
    out = np.full(a.shape, "55+", dtype=object)
    for upper, label in reversed(AGE_BANDS):
        out[a < upper] = label
    out[np.isnan(a)] = "unknown"
    return out


def operating_threshold(p: ArrayLike, flag_share: float) -> float:
    """The PD threshold that flags (about) the riskiest ``flag_share`` of accounts."""
    return float(np.quantile(np.asarray(p, dtype=float), 1.0 - flag_share))


def fairness_report(
    y: ArrayLike,
    p: ArrayLike,
    attributes: Mapping[str, ArrayLike],
    *,
    threshold: float,
    tolerance: float = 0.1,
    min_group: int = 30,
) -> dict[str, Any]:
    """Per-group rates and the largest gaps for each protected attribute (see module doc).

    Groups smaller than ``min_group`` are listed but excluded from the gaps (too noisy).
    """
    ya = np.asarray(y).astype(int)
    flagged = np.asarray(p, dtype=float) >= threshold
    result: dict[str, Any] = {"threshold": threshold, "tolerance": tolerance, "attributes": {}}
    for name, values in attributes.items():
        groups = np.asarray(values).astype(str)
        rows = []
        for g in sorted(set(groups.tolist())):
            m = groups == g
            bads = m & (ya == 1)
            rows.append(
                {
                    "group": g,
                    "n": int(m.sum()),
                    "bad_rate": float(ya[m].mean()),
                    "flag_rate": float(flagged[m].mean()),
                    "tpr": float(flagged[bads].mean()) if bads.any() else float("nan"),
                }
            )
        big = [r for r in rows if r["n"] >= min_group]
        fr = [r["flag_rate"] for r in big]
        tp = [r["tpr"] for r in big if not np.isnan(r["tpr"])]
        fr_gap = max(fr) - min(fr) if len(fr) > 1 else 0.0
        eo_gap = max(tp) - min(tp) if len(tp) > 1 else 0.0
        result["attributes"][name] = {
            "groups": rows,
            "flag_rate_difference": float(fr_gap),
            "equal_opportunity_difference": float(eo_gap),
            "review": bool(max(fr_gap, eo_gap) > tolerance),
        }
    return result
