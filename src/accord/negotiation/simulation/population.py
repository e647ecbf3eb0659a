"""A synthetic population of overdue credit-card debtors, reproducible from a seed.

Distributions (documented assumptions, per debtor):

* amount owed: the Taiwan default accounts' September-2005 bill (inverse-CDF sampling of the
  bundled quantile table ``data/taiwan_bill_quantiles.json``, derived from UCI_Credit_Card.csv
  with its sha256), converted at 0.23 CNY per NT$ (2005 rate, rounded), floored at ¥1,000;
  accrued charges 2–10% of that; contract rate 18.25% (0.05%/day, the usual CN card rate) for
  70%, 15% or 12% for the rest;
* household: size 1–5 (p = .15, .25, .30, .20, .10), urban with p = .65;
* income: log-normal around the NBS 2024 median disposable income of the region scaled to the
  household (square-root scale), σ = 0.45, times a hardship factor U(0.45, 1.0);
* essential spending: each NBS norm × log-normal(σ = 0.25); other debt payments: none with
  p = .6, else 5–25% of income;
* liquid assets: none with p = .35, else log-normal around one month of income (σ = 1.0);
* true 12-month propensity to default: logistic(N(−0.3, 0.9)); the engine gets a noisy PD
  (logit + N(0, 0.5)), as a risk model would give;
* perception: capacity misjudged by U(0.85, 1.25); perceived cost of no agreement
  owed × U(0.8, 1.7).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

import numpy as np
import numpy.typing as npt

from accord.negotiation.reference import load_reference, monthly_median_income, monthly_norm
from accord.negotiation.statement import Region

TWD_TO_CNY: Final = 0.23
F = npt.NDArray[np.float64]


@cache
def bill_quantiles() -> tuple[F, F]:
    """(probabilities, NT$ quantiles) of the bundled Taiwan bill table."""
    raw = json.loads(
        resources.files("accord.negotiation")
        .joinpath("data/taiwan_bill_quantiles.json")
        .read_text("utf-8")
    )
    return np.asarray(raw["probabilities"], float), np.asarray(raw["quantiles"], float)


@dataclass(frozen=True, slots=True)
class Population:
    """Column arrays of ``n`` debtors (yuan, monthly flows)."""

    owed_principal: F
    charges: F
    rate: F
    size: npt.NDArray[np.int64]
    urban: npt.NDArray[np.bool_]
    income: F
    expenses: F  # 7 columns: housing, food, transport, utilities, education, medical, dependants
    other_debt: F
    liquid: F
    true_pd: F
    model_pd: F
    perceive_capacity: F
    perceive_alternative: F

    @property
    def n(self) -> int:
        """Number of debtors."""
        return len(self.rate)

    @property
    def owed(self) -> F:
        """Principal plus charges."""
        return self.owed_principal + self.charges

    @property
    def capacity(self) -> F:
        """True monthly surplus before any shock (may be negative)."""
        out: F = self.income - self.expenses.sum(axis=1) - self.other_debt
        return out


def _logistic(x: F) -> F:
    out: F = 1.0 / (1.0 + np.exp(-x))
    return out


def generate(n: int, seed: int) -> Population:
    """Draw ``n`` debtors with ``numpy.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    probs, qs = bill_quantiles()
    bill = np.interp(rng.uniform(0.0, 1.0, n), probs, qs)
    principal = np.maximum(np.round(bill * TWD_TO_CNY, 2), 1000.0)
    charges = np.round(principal * rng.uniform(0.02, 0.10, n), 2)
    rate = rng.choice([0.1825, 0.15, 0.12], size=n, p=[0.7, 0.15, 0.15])
    size = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.15, 0.25, 0.30, 0.20, 0.10])
    urban = rng.uniform(size=n) < 0.65
    table = load_reference()
    median = np.array(
        [
            monthly_median_income(int(s), Region.URBAN if u else Region.RURAL, table)
            for s, u in zip(size, urban, strict=True)
        ]
    )
    income = np.round(median * rng.lognormal(0.0, 0.45, n) * rng.uniform(0.45, 1.0, n), 2)
    cats = ("housing_utilities", "food", "transport", "education", "medical")
    norms = np.array(
        [
            [monthly_norm(c, int(s), Region.URBAN if u else Region.RURAL, table) for c in cats]
            for s, u in zip(size, urban, strict=True)
        ]
    )
    spend = norms * rng.lognormal(0.0, 0.25, norms.shape)
    expenses = np.zeros((n, 7))
    expenses[:, 0] = spend[:, 0] * 0.8  # housing
    expenses[:, 3] = spend[:, 0] * 0.2  # utilities
    expenses[:, 1] = spend[:, 1]
    expenses[:, 2] = spend[:, 2]
    expenses[:, 4] = spend[:, 3] * 0.5  # the essential part of education/culture/recreation
    expenses[:, 5] = spend[:, 4] * 0.5  # the essential part of healthcare and other
    expenses = np.round(expenses, 2)
    other = np.where(
        rng.uniform(size=n) < 0.6, 0.0, np.round(income * rng.uniform(0.05, 0.25, n), 2)
    )
    liquid = np.where(
        rng.uniform(size=n) < 0.35, 0.0, np.round(income * rng.lognormal(0.0, 1.0, n), 2)
    )
    latent = rng.normal(-0.3, 0.9, n)
    true_pd = _logistic(latent)
    model_pd = np.clip(_logistic(latent + rng.normal(0.0, 0.5, n)), 0.01, 0.95)
    return Population(
        owed_principal=principal,
        charges=charges,
        rate=rate,
        size=size.astype(np.int64),
        urban=urban,
        income=income,
        expenses=expenses,
        other_debt=other,
        liquid=liquid,
        true_pd=true_pd,
        model_pd=model_pd,
        perceive_capacity=rng.uniform(0.85, 1.25, n),
        perceive_alternative=rng.uniform(0.8, 1.7, n),
    )
