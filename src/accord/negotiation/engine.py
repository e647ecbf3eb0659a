"""The pipeline: affordability → plan grid → valuation → selection → outcome, batched.

:func:`negotiate_batch` groups cases by (policy, limits), evaluates each group's plan grid in
vectorised chunks, and builds exact schedules only for the recommended plan and the menu.
:func:`negotiate` is the single-case form. Both are pure: the same cases give the same outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

from accord.core.money import Money, exponent
from accord.negotiation import explain
from accord.negotiation.affordability import Affordability, assess
from accord.negotiation.case import Case
from accord.negotiation.outcome import CreditorBatna, DebtorBatna, MenuOption, Outcome, PlanValue
from accord.negotiation.plans import PlanGrid, PlanSpec, approval_reasons, plan_grid
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.schedules import (
    exact_schedule,
    plan_principal,
    plan_rate,
    schedule_apr,
    schedules_available,
)
from accord.negotiation.selection import NONE, Selection, select
from accord.negotiation.valuation import CaseArrays, GridValues, evaluate

CHUNK = 256


def _money(x: float, currency: str) -> Money:
    return Money(round(x * 10 ** exponent(currency)), currency)


def _major(m: Money) -> float:
    return float(m.minor / 10 ** exponent(m.currency))


def _dec(x: float, places: str = "0.0001") -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def case_arrays(cases: Sequence[Case], affs: Sequence[Affordability]) -> CaseArrays:
    """Stack the per-case inputs of a chunk into float arrays (major units)."""
    return CaseArrays(
        owed=np.array([_major(c.owed) for c in cases]),
        rate=np.array([float(c.contract_rate) for c in cases]),
        sustainable=np.array([_major(a.sustainable_payment) for a in affs]),
        lump=np.array([_major(a.lump_sum_capacity) for a in affs]),
        pd=np.array([float(c.pd if c.pd is not None else c.policy.default_pd) for c in cases]),
        income=np.array([_major(a.income) for a in affs]),
    )


def _batnas(case: Case, v: GridValues, c: int) -> tuple[CreditorBatna, DebtorBatna]:
    cur, b, pol = case.currency, v.batnas, case.policy
    coll, sale = _money(b.creditor_collections[c], cur), _money(b.creditor_sale[c], cur)
    path = "collections" if coll >= sale else "debt_sale"
    value = coll if path == "collections" else sale
    why_c = explain.creditor_batna_reason(
        path=path, value=value, collections=coll, sale=sale, owed=case.owed, policy=pol
    )
    cost, charges = _money(b.debtor[c], cur), _money(b.debtor_charges[c], cur)
    legal, damage = _money(b.debtor_legal[c], cur), _money(b.debtor_damage[c], cur)
    why_d = explain.debtor_batna_reason(
        cost=cost,
        charges=charges,
        legal=legal,
        damage=damage,
        owed=case.owed,
        policy=pol,
        limits=case.limits,
    )
    return (
        CreditorBatna(value, path, coll, sale, why_c),
        DebtorBatna(cost, charges, legal, damage, why_d),
    )


def _plan_value(
    case: Case,
    aff: Affordability,
    grid: PlanGrid,
    v: GridValues,
    c: int,
    p: int,
    batnas: tuple[CreditorBatna, DebtorBatna],
    with_schedule: bool,
) -> PlanValue:
    cur = case.currency
    spec = grid.specs[p]
    schedule = None
    apr = None
    principal = plan_principal(spec, case.owed)
    if with_schedule:
        schedule = exact_schedule(
            spec,
            owed=case.owed,
            contract_rate=case.contract_rate,
            limits=case.limits,
            start=case.as_of,
        )
        payments = [i.payment for i in schedule.installments if not i.payment.is_zero()]
        first, largest = payments[0], max(payments)
        total_payable = schedule.total_payment
        apr = schedule_apr(schedule, advanced=principal)
    else:
        first = _money(v.first_payment[c, p], cur)
        largest = _money(v.max_payment[c, p], cur)
        total_payable = _money(v.total[c, p], cur)
    relief = float(v.relief[c, p])
    income = aff.income.minor
    creditor_value = _money(v.creditor_value[c, p], cur)
    debtor_cost = _money(v.debtor_cost[c, p], cur)
    reason = explain.plan_reason(
        spec,
        owed=case.owed,
        first=first,
        largest=largest,
        total_payable=total_payable,
        debtor_cost=debtor_cost,
        creditor_value=creditor_value,
        redefault_12m=float(v.redefault_12m[c, p]),
        creditor_batna=batnas[0],
        debtor_batna=batnas[1],
        limits=case.limits,
    )
    return PlanValue(
        spec=spec,
        annual_rate=plan_rate(spec, case.contract_rate, case.limits),
        principal=principal,
        first_payment=first,
        largest_payment=largest,
        total_payable=total_payable,
        relief=_dec(relief),
        tier=int(v.tier[c, p]),
        creditor_value=creditor_value,
        debtor_cost=debtor_cost,
        creditor_gain=_money(v.creditor_gain[c, p], cur),
        debtor_gain=_money(v.debtor_gain[c, p], cur),
        redefault_12m=_dec(float(v.redefault_12m[c, p])),
        income_share=_dec(largest.minor / income) if income > 0 else Decimal(0),
        approval=approval_reasons(spec, relief, case.policy),
        explanation=reason,
        schedule=schedule,
        apr=apr,
    )


def _outcome(
    case: Case,
    aff: Affordability,
    grid: PlanGrid,
    v: GridValues,
    sel: Selection,
    c: int,
    with_schedules: bool,
) -> Outcome:
    cur = case.currency
    batnas = _batnas(case, v, c)
    cache: dict[int, PlanValue] = {}

    def valued(p: int) -> PlanValue:
        if p not in cache:
            cache[p] = _plan_value(case, aff, grid, v, c, p, batnas, with_schedules)
        return cache[p]

    rec_idx = int(sel.recommended[c])
    recommended = valued(rec_idx) if rec_idx != NONE else None
    menu: list[MenuOption] = []
    seen: set[int] = set()
    for label, arr in (
        ("lowest_payment", sel.lowest_payment),
        ("shortest_term", sel.shortest_term),
        ("settlement", sel.settlement),
    ):
        p = int(arr[c])
        if p != NONE and p not in seen:
            seen.add(p)
            menu.append(MenuOption(label, valued(p)))
    no_deal = None
    why = sel.no_deal[c]
    if why is not None:
        restructure = ~grid.settlement
        smallest = float(v.max_payment[c][restructure].min())
        feasible = v.feasible[c]
        best = float(v.creditor_value[c][feasible].max()) if feasible.any() else 0.0
        no_deal = explain.no_deal_reason(
            why,
            sustainable=aff.sustainable_payment,
            smallest_payment=_money(smallest, cur),
            lump_capacity=aff.lump_sum_capacity,
            best_creditor_value=_money(best, cur),
            creditor_batna=batnas[0],
            debtor_batna=batnas[1],
        )
    tier = int(sel.need_tier[c])
    return Outcome(
        case_id=case.case_id,
        owed=case.owed,
        affordability=aff,
        creditor_batna=batnas[0],
        debtor_batna=batnas[1],
        recommended=recommended,
        menu=tuple(menu),
        need_tier=None if tier == NONE else tier,
        no_deal=no_deal,
        plans_considered=len(grid.specs),
        plans_acceptable=int(sel.acceptable_count[c]),
    )


def _chunks(
    cases: Sequence[Case], affs: Sequence[Affordability], chunk: int
) -> Iterator[tuple[list[int], PlanGrid, GridValues, Selection]]:
    """Evaluate and select per (policy, limits) group in chunks; yields case indices too."""
    groups: dict[tuple[Policy, Limits], list[int]] = {}
    for i, c in enumerate(cases):
        groups.setdefault((c.policy, c.limits), []).append(i)
    for (policy, limits), idxs in groups.items():
        grid = plan_grid(policy, limits)
        for start in range(0, len(idxs), chunk):
            part = idxs[start : start + chunk]
            arrays = case_arrays([cases[i] for i in part], [affs[i] for i in part])
            values = evaluate(arrays, grid, policy, limits)
            yield part, grid, values, select(values, grid)


@dataclass(frozen=True, slots=True)
class BatchSelection:
    """The vectorised pipeline's decisions without rendered outcomes (for scoring at scale)."""

    affordability: tuple[Affordability, ...]
    recommended: tuple[PlanSpec | None, ...]
    largest_payment: npt.NDArray[np.float64]  # major units; NaN without agreement
    creditor_value: npt.NDArray[np.float64]
    need_tier: npt.NDArray[np.int64]


def select_batch(cases: Sequence[Case], *, chunk: int = CHUNK) -> BatchSelection:
    """Affordability, plan grid, valuation and selection for ``cases`` — no explanations and no
    exact schedules (:func:`negotiate_batch` adds those)."""
    affs = [assess(c.statement, policy=c.policy, observed=c.observed, owed=c.owed) for c in cases]
    n = len(cases)
    rec: list[PlanSpec | None] = [None] * n
    pay, value = np.full(n, np.nan), np.full(n, np.nan)
    tier = np.full(n, NONE, dtype=np.int64)
    for part, grid, values, sel in _chunks(cases, affs, chunk):
        for row, i in enumerate(part):
            p = int(sel.recommended[row])
            tier[i] = sel.need_tier[row]
            if p != NONE:
                rec[i] = grid.specs[p]
                pay[i] = values.max_payment[row, p]
                value[i] = values.creditor_value[row, p]
    return BatchSelection(tuple(affs), tuple(rec), pay, value, tier)


def negotiate_batch(
    cases: Sequence[Case], *, schedules: bool | None = None, chunk: int = CHUNK
) -> list[Outcome]:
    """Outcomes for ``cases`` in input order; exact schedules for recommended plan and menu.

    ``schedules=None`` builds them when :mod:`accord.core.schedule` is available.
    """
    with_schedules = schedules_available() if schedules is None else schedules
    affs = [assess(c.statement, policy=c.policy, observed=c.observed, owed=c.owed) for c in cases]
    out: list[Outcome | None] = [None] * len(cases)
    for part, grid, values, sel in _chunks(cases, affs, chunk):
        for row, i in enumerate(part):
            out[i] = _outcome(cases[i], affs[i], grid, values, sel, row, with_schedules)
    return [o for o in out if o is not None]


def negotiate(case: Case, *, schedules: bool | None = None) -> Outcome:
    """The outcome of one case (see :func:`negotiate_batch`)."""
    return negotiate_batch([case], schedules=schedules)[0]
