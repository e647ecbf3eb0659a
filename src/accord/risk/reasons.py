"""Per-account reason codes: the top adverse factors, as message ids with parameters.

A model's ``explain`` gives each feature's contribution to the log-odds of default (positive =
adverse). :func:`top_adverse` picks, fully vectorised, the ``k`` largest positive contributions per
row; :func:`reason_codes` turns them into :class:`Reason` records (message id + params, stored with
events) and :func:`render` turns a reason into zh-CN or English text through the bilingual
catalogue ``reason_catalogue.json``. Features absent from the catalogue are shown by name.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd

from accord.risk.scorecard import FACTOR

LOCALES: Final = ("zh-CN", "en")


@cache
def catalogue() -> dict[str, Any]:
    """The bilingual catalogue (messages and feature descriptions), loaded once."""
    text = resources.files("accord.risk").joinpath("reason_catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True, slots=True)
class Reason:
    """One adverse factor: ``feature`` with its displayed ``value`` added ``impact`` log-odds."""

    rank: int
    feature: str
    value: str
    impact: float
    message_id: str = "risk.reason.adverse"

    @property
    def points(self) -> float:
        """The impact on the points scale (points lost, 20 points double the odds)."""
        return self.impact * FACTOR

    def params(self) -> dict[str, str]:
        """Parameters stored with the message id (strings, JSON-ready)."""
        return {"feature": self.feature, "value": self.value, "points": f"{self.points:.0f}"}


def describe(feature: str, locale: str = "zh-CN") -> str:
    """Catalogue description of ``feature`` in ``locale``; the bare name when uncatalogued."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {LOCALES}")
    entry = catalogue()["features"].get(feature)
    return str(entry[locale]) if entry else feature


def render(reason: Reason, locale: str = "zh-CN") -> str:
    """Human-readable text of ``reason`` in ``locale`` (zh-CN or en)."""
    template = catalogue()["messages"][reason.message_id][locale]
    return str(template.format(feature=describe(reason.feature, locale), value=reason.value))


def top_adverse(contributions: np.ndarray, k: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the ``k`` largest positive contributions per row.

    Returns ``(idx, impact)``, both of shape (n, k), ordered from most to least adverse; slots
    without a positive contribution (above 1e-9) have index -1 and impact 0; among equal
    contributions the lower column comes first.
    """
    c = np.asarray(contributions, dtype=float)
    n, f = c.shape
    k = min(k, f)
    # k passes of a row-wise argmax over a working copy in which everything that cannot be a
    # reason (not positive, NaN) is -inf and each pick is knocked out: far cheaper than a
    # per-row partition and sort, because a 2-D argmax runs as one vectorised loop
    work = np.where(c > 1e-9, c, -np.inf)
    flat = work.ravel()
    row_start = np.arange(0, n * f, f)
    idx = np.empty((k, n), dtype=np.intp)
    impact = np.empty((k, n))
    for j in range(k):
        work.argmax(axis=1, out=idx[j])
        picked = row_start + idx[j]
        np.take(flat, picked, out=impact[j])
        flat[picked] = -np.inf
    found = impact > -np.inf
    idx[~found] = -1
    impact[~found] = 0.0
    return np.ascontiguousarray(idx.T), np.ascontiguousarray(impact.T)


def _display(value: Any) -> str:
    """Short display form of a raw feature value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


def reason_codes(model: Any, X: Any, k: int = 4) -> list[tuple[Reason, ...]]:  # noqa: N803
    """Top ``k`` adverse factors for every row of ``X`` under a fitted ``model``."""
    return reasons_from_contributions(model.explain(X), list(model.feature_names_), X, k)


def reasons_from_contributions(
    contributions: np.ndarray,
    names: list[str],
    X: Any,  # noqa: N803
    k: int = 4,
) -> list[tuple[Reason, ...]]:
    """Top ``k`` adverse factors per row from precomputed log-odds ``contributions`` (n, f),
    with feature ``names`` and the raw values ``X`` shown in the reasons."""
    idx, impact = top_adverse(contributions, k)
    raw = X.to_numpy(dtype=object) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=object)
    out: list[tuple[Reason, ...]] = []
    for i in range(idx.shape[0]):
        row = []
        for rank, (j, imp) in enumerate(zip(idx[i], impact[i], strict=True), start=1):
            if j < 0:
                continue
            value = raw[i, j]
            missing = value is None or (isinstance(value, float) and math.isnan(value))
            row.append(
                Reason(
                    rank=rank,
                    feature=names[j],
                    value=_display(value),
                    impact=float(imp),
                    message_id="risk.reason.missing" if missing else "risk.reason.adverse",
                )
            )
        out.append(tuple(row))
    return out
