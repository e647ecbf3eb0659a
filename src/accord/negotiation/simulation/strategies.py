"""Strategies compared on one synthetic population, and the ``accord simulate`` report.

* ``collections_only``: no offer; every debtor goes to collections at once;
* ``fixed_12``: the same 12-month instalment plan at the contract rate for everyone;
* ``max_discount``: a lump-sum settlement at the policy's maximum discount for everyone;
* ``accord``: the engine's recommended plan, then the other menu options, in order; the debtor
  takes the first acceptable one (``mean_rounds`` counts offers made).

Per strategy: ``agreement_rate``; ``creditor_npv_per_100`` and ``debtor_cost_per_100`` (present
values at 8% and 12% a year of what the creditor nets and the debtor pays, per 100 owed);
``redefault_12m`` (share of agreements re-defaulting within 12 months); ``mean_rounds``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from accord.core.money import Money
from accord.negotiation.case import Case, Debt
from accord.negotiation.engine import negotiate_batch
from accord.negotiation.plans import PlanKind, PlanSpec
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.simulation.behaviour import (
    HORIZON,
    F,
    Ledger,
    Offers,
    accepts,
    collect,
    run_plans,
)
from accord.negotiation.simulation.population import Population, generate
from accord.negotiation.statement import (
    Assets,
    Expenses,
    FinancialStatement,
    HardshipReason,
    Income,
    Region,
)

V_C = (1.08) ** (-1 / 12)
V_D = (1.12) ** (-1 / 12)
AS_OF = date(2025, 6, 1)


def plan_dues(spec: PlanSpec, owed: float, annual_rate: float, limits: Limits) -> tuple[F, float]:
    """Monthly dues (length ``HORIZON``) and monthly rate of ``spec`` for one debtor."""
    dues = np.zeros(HORIZON)
    if spec.kind is PlanKind.SETTLEMENT:
        dues[0] = round(owed * (1 - float(spec.discount)), 2)
        return dues, 0.0
    i = min(annual_rate * float(spec.rate_factor), float(limits.max_annual_rate)) / 12
    bal = owed * (1 - float(spec.haircut)) * (1 + i) ** spec.holiday_months
    n_pay = spec.months - spec.holiday_months
    g = 1 + float(spec.step_rate)
    weights = np.array([g ** (j // 12) for j in range(n_pay)])
    disc = (1 + i) ** -np.arange(1, n_pay + 1)
    level = bal / float((weights * disc).sum())
    dues[spec.holiday_months : spec.months] = np.round(level * weights, 2)
    return dues, i


def _m(x: float) -> Money:
    return Money(round(x * 100), "CNY")


def to_cases(pop: Population, policy: Policy, limits: Limits) -> list[Case]:
    """The engine's view of each debtor: the declared (true) statement and the model PD."""
    out = []
    for k in range(pop.n):
        e = pop.expenses[k]
        st = FinancialStatement(
            income=Income(_m(pop.income[k]), _m(0), _m(0), _m(0)),
            expenses=Expenses(*(_m(float(v)) for v in e)),
            other_debt_payments=_m(pop.other_debt[k]),
            assets=Assets(_m(pop.liquid[k]), _m(0)),
            household_size=int(pop.size[k]),
            region=Region.URBAN if pop.urban[k] else Region.RURAL,
            hardship=HardshipReason.OTHER,
        )
        out.append(
            Case(
                case_id=f"sim-{k}",
                debts=(
                    Debt(
                        "card",
                        _m(pop.owed_principal[k]),
                        _m(pop.charges[k]),
                        Decimal(str(pop.rate[k])),
                        95,
                    ),
                ),
                statement=st,
                as_of=AS_OF,
                pd=Decimal(f"{pop.model_pd[k]:.4f}"),
                policy=policy,
                limits=limits,
            )
        )
    return out


def _offers(pop: Population, specs: list[PlanSpec | None], limits: Limits) -> Offers:
    dues = np.zeros((pop.n, HORIZON))
    rate = np.zeros(pop.n)
    active = np.zeros(pop.n, bool)
    settle = np.zeros(pop.n, bool)
    for k, spec in enumerate(specs):
        if spec is None:
            continue
        dues[k], rate[k] = plan_dues(spec, float(pop.owed[k]), float(pop.rate[k]), limits)
        active[k] = True
        settle[k] = spec.kind is PlanKind.SETTLEMENT
    return Offers(active, dues, rate, settle)


def _run(
    pop: Population, rounds: list[list[PlanSpec]], limits: Limits, seed: int
) -> dict[str, float]:
    rng = np.random.default_rng([seed, 7])
    n = pop.n
    ledger = Ledger(np.zeros(n), np.zeros(n), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n))
    taken = np.zeros(n, bool)
    chosen = Offers(np.zeros(n, bool), np.zeros((n, HORIZON)), np.zeros(n), np.zeros(n, bool))
    depth = max((len(r) for r in rounds), default=0)
    for r in range(depth):
        specs = [
            offers[r] if r < len(offers) and not taken[k] else None
            for k, offers in enumerate(rounds)
        ]
        offer = _offers(pop, specs, limits)
        ledger.rounds += offer.active
        yes = accepts(pop, offer) & ~taken
        chosen = Offers(
            chosen.active | yes,
            np.where(yes[:, None], offer.dues, chosen.dues),
            np.where(yes, offer.monthly_rate, chosen.monthly_rate),
            chosen.settlement | (yes & offer.settlement),
        )
        taken |= yes
    ledger.agreed = taken
    run_plans(pop, chosen, taken, ledger, rng, V_C, V_D)
    collect(pop, ledger, ~taken, pop.owed, np.zeros(n), pop.liquid, rng, V_C, V_D)
    owed = float(pop.owed.sum())
    agreed = int(taken.sum())
    return {
        "agreement_rate": round(agreed / n, 4),
        "creditor_npv_per_100": round(100 * float(ledger.creditor.sum()) / owed, 3),
        "debtor_cost_per_100": round(100 * float(ledger.debtor.sum()) / owed, 3),
        "redefault_12m": round(float(ledger.redefault_12m.sum()) / agreed, 4) if agreed else 0.0,
        "mean_rounds": round(float(ledger.rounds.mean()), 3),
    }


def simulate(
    *,
    debtors: int,
    seed: int,
    policy: Policy | None = None,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run every strategy on one population of ``debtors`` drawn with ``seed``."""
    pol, lim = policy or Policy(), limits or Limits()
    pop = generate(debtors, seed)
    outcomes = []
    cases = to_cases(pop, pol, lim)
    step = 1000
    for start in range(0, len(cases), step):
        outcomes.extend(negotiate_batch(cases[start : start + step], schedules=False))
        if progress is not None:
            progress(min(start + step, len(cases)), len(cases))
    accord_rounds: list[list[PlanSpec]] = []
    for o in outcomes:
        seq: list[PlanSpec] = []
        for p in ([o.recommended] if o.recommended else []) + [m.plan for m in o.menu]:
            if p.spec not in seq:
                seq.append(p.spec)
        accord_rounds.append(seq)
    fixed = PlanSpec(PlanKind.RESTRUCTURE, 12)
    discount = PlanSpec(PlanKind.SETTLEMENT, 1, Decimal(0), discount=pol.max_settlement_discount)
    strategies: dict[str, list[list[PlanSpec]]] = {
        "collections_only": [[] for _ in range(debtors)],
        "fixed_12": [[fixed] for _ in range(debtors)],
        "max_discount": [[discount] for _ in range(debtors)],
        "accord": accord_rounds,
    }
    return {
        "seed": seed,
        "debtors": debtors,
        "strategies": {name: _run(pop, r, lim, seed) for name, r in strategies.items()},
    }
