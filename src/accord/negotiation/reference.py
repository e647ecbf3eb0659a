"""Reference living costs: NBS 2024 per-capita consumption, scaled to a household and a region.

The bundled table ``data/cn_household_2024.json`` carries its source and year. Household norms use
the square-root equivalence scale anchored on the census mean household size (a household of 2.62
persons spends the per-capita figure × 2.62); urban and rural norms scale the national category
figures by the ratio of that region's mean consumption to the national mean. These are review
thresholds for plausibility checks, not budgets imposed on anyone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from accord.negotiation.statement import Region

#: Statement category → NBS category. Housing and utilities are compared together because NBS
#: 居住 includes rent, water, electricity and fuel; dependants have no NBS counterpart.
CATEGORY_MAP: Final[dict[str, tuple[str, ...]]] = {
    "food": ("food_tobacco_liquor",),
    "housing_utilities": ("housing",),
    "transport": ("transport_communication",),
    "education": ("education_culture_recreation",),
    "medical": ("healthcare_and_other",),
}


@dataclass(frozen=True, slots=True)
class ReferenceTable:
    """The loaded reference table: figures per person per year, plus provenance."""

    year: int
    source: str
    currency: str
    household_size_mean: float
    consumption_mean: dict[str, float]
    categories: dict[str, float]
    income_median: dict[str, float]


@cache
def load_reference(name: str = "cn_household_2024") -> ReferenceTable:
    """Load a bundled reference table by name (cached; the file is validated on load)."""
    raw: dict[str, Any] = json.loads(
        resources.files("accord.negotiation").joinpath(f"data/{name}.json").read_text("utf-8")
    )
    pc = raw["per_capita"]
    cats = {k: float(v["cny"]) for k, v in raw["consumption_by_category_national"].items()}
    if not raw.get("source") or not raw.get("year"):
        raise ValueError(f"reference table {name} lacks source or year")
    return ReferenceTable(
        year=int(raw["year"]),
        source=str(raw["source"]),
        currency=str(raw["currency"]),
        household_size_mean=float(raw["household_size_mean"]["value"]),
        consumption_mean={k: float(v) for k, v in pc["consumption_mean"].items()},
        categories=cats,
        income_median={k: float(v) for k, v in pc["disposable_income_median"].items()},
    )


def household_factor(size: int, table: ReferenceTable) -> float:
    """Multiplier from a per-capita figure to a household of ``size`` (square-root scale)."""
    return math.sqrt(size * table.household_size_mean)


def monthly_norm(category: str, size: int, region: Region, table: ReferenceTable) -> float:
    """Reference monthly spending (major units) on statement ``category`` for the household."""
    national = sum(table.categories[c] for c in CATEGORY_MAP[category])
    regional = national * table.consumption_mean[region.value] / table.consumption_mean["national"]
    return regional * household_factor(size, table) / 12.0


def monthly_median_income(size: int, region: Region, table: ReferenceTable) -> float:
    """Median disposable income of the region scaled to the household, per month (major units)."""
    return table.income_median[region.value] * household_factor(size, table) / 12.0
