"""Selection: the fair balance point (Nash bargaining solution) and the Pareto menu, vectorised.

Acceptable plans are affordable (largest payment ≤ sustainable payment; a settlement ≤ the
settlement capacity), inside every limit (the grid guarantees it) and better than no agreement
for both sides. Among them the engine grants the *least concession tier that works* (need-based
relief: tier = policy band of the relief measured at the contract rate), so a debtor who is
better off in every respect can never be granted a deeper concession tier than a worse-off one;
within that tier it recommends the plan maximising the Nash product (creditor gain × debtor
gain over their BATNAs). The menu offers, from the same tier, the lowest-largest-payment
restructure, the shortest restructure and the best settlement, each the Nash-best among the
plans extreme in its own criterion, hence Pareto-optimal in (criterion, creditor gain, debtor
gain). Ties resolve to the earlier grid plan, so results are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from accord.negotiation.plans import PlanGrid
from accord.negotiation.valuation import GridValues

NONE: Final = -1
_TOL: Final = 0.005
Ints = npt.NDArray[np.int64]


class NoDeal(StrEnum):
    """Why no plan beats both BATNAs."""

    UNAFFORDABLE = "unaffordable"
    CREDITOR_BATNA = "creditor_batna"
    DEBTOR_BATNA = "debtor_batna"
    NO_OVERLAP = "no_overlap"


@dataclass(frozen=True, slots=True)
class Selection:
    """Per case: recommended plan index, menu indices (``NONE`` when absent), tier, no-deal."""

    recommended: Ints
    lowest_payment: Ints
    shortest_term: Ints
    settlement: Ints
    need_tier: Ints
    acceptable_count: Ints
    no_deal: tuple[NoDeal | None, ...]


def _best(mask: npt.NDArray[np.bool_], score: npt.NDArray[np.float64]) -> Ints:
    masked = np.where(mask, score, -np.inf)
    idx = masked.argmax(axis=1)
    return np.where(mask.any(axis=1), idx, NONE).astype(np.int64)


def select(values: GridValues, grid: PlanGrid) -> Selection:
    """Pick the recommended plan and the menu for every case of the chunk."""
    gc, gd = values.creditor_gain, values.debtor_gain
    acceptable = values.feasible & (gc > 0) & (gd > 0)
    big = np.iinfo(np.int64).max
    need = np.where(acceptable, values.tier, big).min(axis=1)
    cand = acceptable & (values.tier == need[:, None])
    nash = gc * gd
    restructure = cand & ~grid.settlement[None, :]
    min_pay = np.where(restructure, values.max_payment, np.inf).min(axis=1)
    low = restructure & (values.max_payment <= min_pay[:, None] + _TOL)
    months = np.broadcast_to(grid.months[None, :], cand.shape)
    min_months = np.where(restructure, months, big).min(axis=1)
    short = restructure & (months == min_months[:, None])
    no_deal: list[NoDeal | None] = []
    feasible_any = np.asarray(values.feasible.any(axis=1), dtype=bool)
    gc_any = np.asarray((values.feasible & (gc > 0)).any(axis=1), dtype=bool)
    gd_any = np.asarray((values.feasible & (gd > 0)).any(axis=1), dtype=bool)
    for c in range(cand.shape[0]):
        if need[c] != big:
            no_deal.append(None)
        elif not feasible_any[c]:
            no_deal.append(NoDeal.UNAFFORDABLE)
        elif not gc_any[c]:
            no_deal.append(NoDeal.CREDITOR_BATNA)
        elif not gd_any[c]:
            no_deal.append(NoDeal.DEBTOR_BATNA)
        else:
            no_deal.append(NoDeal.NO_OVERLAP)
    return Selection(
        recommended=_best(cand, nash),
        lowest_payment=_best(low, nash),
        shortest_term=_best(short, nash),
        settlement=_best(cand & grid.settlement[None, :], nash),
        need_tier=np.where(need == big, NONE, need).astype(np.int64),
        acceptable_count=acceptable.sum(axis=1).astype(np.int64),
        no_deal=tuple(no_deal),
    )
