"""Vectorised valuation of a plan grid for a chunk of cases, for both sides, against BATNAs.

Amounts here are float major units: this is analytics (expected values), never booked money.
For cases ``c`` and plans ``p`` over months ``t = 1..n``:

* payments: the amount owed less the haircut, capitalised over the holiday at the plan rate
  ``i = min(contract × factor, cap) / 12``, then repaid by payments ``X·g^⌊(j−1)/12⌋``,
  ``j = 1..n−k``, where ``X`` makes their present value at ``i`` equal the balance — the same
  rules as :func:`accord.core.schedule.build_schedule` (STEP_UP with ``step_every = 12``);
* re-default: monthly hazard ``λ = λ₀·exp(κ(ρ − 1))·exp(−γ·relief)``, ``λ₀ = −ln(1 − pd)/12``,
  ``ρ`` = largest payment / sustainable payment (settlements: lump / settlement capacity);
  survival ``S_t = exp(−λt)`` (parameters and sources: :class:`~.policy.Policy`);
* creditor value: ``Σ pay_t·S_t·v^t + r·Σ (S_{t−1} − S_t)·B_{t−1}·v^{t+m} − setup − Σ
  servicing·S_{t−1}·v^t`` at the cost of funds, re-default recovery ``r`` after ``m`` months;
* debtor cost: ``Σ pay_t·S_t·w^t`` plus, on re-default, the no-agreement cost of the remaining
  balance (grown by capped charges, legal costs, credit damage), at the debtor's rate ``w``;
* relief: ``1 − PV(payments at the contract rate) / owed`` (a settlement's is its discount);
  the concession tier is the number of policy tier edges below the relief.

Payments are level within each segment (holiday, then steps of 12), so every sum over months is
a geometric series evaluated in closed form per segment: ``C × P × 6`` work instead of
``C × P × 60``. :mod:`.valuation_naive` is the month-by-month reference the tests compare with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.negotiation.plans import PlanGrid
from accord.negotiation.policy import Limits, Policy

F = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CaseArrays:
    """Per-case inputs of a chunk, float major units (length ``C``)."""

    owed: F
    rate: F
    sustainable: F
    lump: F
    pd: F
    income: F


@dataclass(frozen=True, slots=True)
class Batnas:
    """Both sides' no-agreement outcomes per case (length ``C``)."""

    creditor_collections: F
    creditor_sale: F
    creditor: F
    debtor_charges: F
    debtor_legal: F
    debtor_damage: F
    debtor: F


@dataclass(frozen=True, slots=True)
class GridValues:
    """Per case × plan results (shape ``C × P``) plus the BATNAs."""

    first_payment: F
    max_payment: F
    total: F
    plan_rate: F
    relief: F
    tier: npt.NDArray[np.int64]
    feasible: npt.NDArray[np.bool_]
    redefault_12m: F
    creditor_value: F
    debtor_cost: F
    creditor_gain: F
    debtor_gain: F
    batnas: Batnas


def batnas(x: CaseArrays, policy: Policy, limits: Limits) -> Batnas:
    """Creditor: the better of collections/litigation and a debt sale; debtor: the full liability
    grown by capped charges until judgment, legal costs and credit-record damage, discounted."""
    months = policy.collection_months
    cap = float(limits.charges_annual_cap)
    grown = x.owed * (1 + cap * months / 12)
    v_c = (1 + float(policy.cost_of_funds)) ** (-months / 12)
    w_d = (1 + float(policy.debtor_discount_rate)) ** (-months / 12)
    collections = (
        float(policy.collection_success) * float(policy.collection_recovery) * grown * v_c
        - float(policy.collection_legal_cost) * x.owed
    )
    sale = float(policy.debt_sale_price) * x.owed
    legal = float(policy.debtor_legal_cost) * x.owed
    damage = float(policy.credit_damage_months_income) * x.income
    return Batnas(
        creditor_collections=collections,
        creditor_sale=sale,
        creditor=np.maximum(collections, sale),
        debtor_charges=grown - x.owed,
        debtor_legal=legal,
        debtor_damage=damage,
        debtor=grown * w_d + legal + damage,
    )


def geo(rho: F, start: F, length: F) -> F:
    """``Σ_{t=start}^{start+length−1} exp(−rho·t)``, stable for ``rho → 0`` and ``length = 0``."""
    small = np.abs(rho) < 1e-12
    safe = np.where(small, 1.0, rho)
    ratio = np.where(small, length, np.expm1(-safe * length) / np.expm1(-safe))
    return np.exp(-rho * start) * ratio


@dataclass(frozen=True, slots=True)
class _Series:
    """Geometric sums over each segment for one monthly rate ``rho`` (``C × P × 1``)."""

    base: F  # Σ_{u=0}^{L−1} e^{−rho·u}
    shifted: F  # Σ_{t=a}^{a+L−1} e^{−rho·t}
    arith: F  # Σ_{u=0}^{L−1} u·e^{−rho·u}


def _series(rho: F, start: F, length: F, with_arith: bool) -> _Series:
    small = np.abs(rho) < 1e-9
    safe = np.where(small, 1.0, rho)
    x = np.exp(-safe)
    one_minus_x = -np.expm1(-safe)
    x_len = np.exp(-safe * length)  # x^L
    base = np.where(small, length, (1.0 - x_len) / one_minus_x)
    shifted = np.exp(-rho * start) * base
    if not with_arith:
        return _Series(base, shifted, base)
    closed = (x - length * x_len + (length - 1) * x_len * x) / one_minus_x**2
    return _Series(base, shifted, np.where(small, length * (length - 1) / 2, closed))


def evaluate(x: CaseArrays, grid: PlanGrid, policy: Policy, limits: Limits) -> GridValues:
    """Value every plan of ``grid`` for every case of the chunk ``x`` (see the module text).

    Level plans (the leading ``grid.level_count``) need only the holiday and one payment
    segment; step-ups need all six, so the two blocks are evaluated separately and joined.
    """
    m = grid.level_count
    blocks = ((slice(0, m), 2), (slice(m, None), grid.seg_start.shape[1]))
    parts = [_block(x, grid, sl, segs, policy, limits) for sl, segs in blocks if _size(grid, sl)]
    b = batnas(x, policy, limits)
    joined = {k: np.concatenate([p[k] for p in parts], axis=1) for k in parts[0]}
    return GridValues(
        **joined,
        creditor_gain=joined["creditor_value"] - b.creditor[:, None],
        debtor_gain=b.debtor[:, None] - joined["debtor_cost"],
        batnas=b,
    )


def _size(grid: PlanGrid, sl: slice) -> int:
    return len(range(*sl.indices(len(grid.specs))))


def _block(
    x: CaseArrays, grid: PlanGrid, sl: slice, segs: int, policy: Policy, limits: Limits
) -> dict[str, F]:
    a, ln, e = (arr[None, sl, :segs] for arr in (grid.seg_start, grid.seg_len, grid.seg_exp))
    k = grid.holiday[sl].astype(np.float64)[None, :]
    months = grid.months[sl].astype(np.float64)[None, :]
    cut, step, settlement = grid.cut[sl], grid.step[sl], grid.settlement[sl]
    factor = grid.rate_factor[sl]
    annual = np.minimum(x.rate[:, None] * factor[None, :], float(limits.max_annual_rate))
    i = annual / 12.0  # C × P
    free = (i == 0)[:, :, None]  # interest freeze (or a zero contract rate)
    gam = np.log1p(i)[:, :, None]  # C × P × 1, ln(1+i)
    b0 = x.owed[:, None] * (1.0 - cut)[None, :]
    bk = b0 * np.exp(gam[:, :, 0] * k)
    growth = (1.0 + step)[None, :, None] ** e
    paying = np.where(np.arange(a.shape[2]) > 0, 1.0, 0.0)[None, None, :]  # segment 0: holiday
    weight = growth * paying * (ln > 0)
    # level X: bk = X Σ_s g^e_s Σ_{t∈s} (1+i)^−(t−k)
    annuity = (weight * geo(gam, a - k[:, :, None], ln)).sum(axis=2)
    level = bk / annuity
    pay = level[:, :, None] * weight  # C × P × S, payment in each segment
    # balance at the start of each segment, B_{a−1}: roll segment by segment
    grow_seg = np.exp(gam * ln)
    i_safe = np.where(free, 1.0, i[:, :, None])
    accum = np.where(free, ln, np.expm1(gam * ln) / i_safe)  # ((1+i)^L − 1)/i
    opening = np.empty_like(pay)
    bal = b0
    for s in range(pay.shape[2]):
        opening[:, :, s] = bal
        bal = bal * grow_seg[:, :, s] - pay[:, :, s] * accum[:, :, s]
    first = pay[:, :, 1]
    max_pay = pay.max(axis=2)
    total = (pay * ln).sum(axis=2)
    settle = settlement[None, :]
    rc = np.log1p(x.rate / 12.0)[:, None, None]
    pv_contract = (pay * geo(rc, a, ln)).sum(axis=2)
    relief = np.clip(np.where(settle, cut[None, :], 1.0 - pv_contract / x.owed[:, None]), 0.0, 1.0)
    edges = np.asarray([float(t) for t in policy.relief_tiers])
    tier = np.searchsorted(edges, relief - 1e-9, side="left").astype(np.int64)
    capacity = np.where(settle, x.lump[:, None], x.sustainable[:, None])
    # the exact schedule's last instalment absorbs rounding residuals of at most half a minor
    # unit per instalment, so the float payment must fit with that much room to spare
    feasible = max_pay + 0.005 * months <= capacity
    rho = np.minimum(max_pay / np.maximum(capacity, 1e-9), 4.0)
    lam0 = -np.log1p(-np.clip(x.pd, 1e-6, 0.999))[:, None] / 12.0
    lam = (
        lam0
        * np.exp(float(policy.hazard_payment_slope) * (rho - 1.0))
        * np.exp(-float(policy.hazard_relief_slope) * relief)
    )
    redefault_12m = -np.expm1(-lam * np.minimum(months, 12.0))
    lam3 = lam[:, :, None]
    dens = np.expm1(lam3)  # S_{t−1} − S_t = e^{−λt}(e^λ − 1)
    # Σ_t dens_t B_{t−1} e^{−δt} per segment: B_{t−1} = (B_{a−1} − Y/i)(1+i)^{t−a} + Y/i,
    # or B_{a−1} − Y·(t−a) when i = 0

    any_free = bool(free.any())
    y_over_i = pay / i_safe
    start_k = opening - y_over_i

    def weighted(delta: float) -> tuple[F, F]:
        """(Σ pay_t S_t e^{−δt}, Σ dens_t B_{t−1} e^{−δt}) for monthly discount rate ``δ``."""
        rho = lam3 + delta
        g = _series(rho, a, ln, any_free)
        paid = (pay * g.shifted).sum(axis=2)
        k_part = start_k * np.exp(-gam * a) * geo(rho - gam, a, ln) + y_over_i * g.shifted
        if any_free:
            zero = np.exp(-rho * a) * (opening * g.base - pay * g.arith)
            k_part = np.where(free, zero, k_part)
        return paid, (dens * k_part).sum(axis=2)

    delta_c = math.log1p(float(policy.cost_of_funds)) / 12.0
    delta_d = math.log1p(float(policy.debtor_discount_rate)) / 12.0
    one = np.ones_like(months)
    paid_c, lost_c = weighted(delta_c)
    alive_c = np.exp(lam) * geo(lam + delta_c, one, months)  # Σ_{t≤n} S_{t−1} v^t
    v_rec = (1.0 + float(policy.cost_of_funds)) ** (-policy.redefault_recovery_months / 12)
    owed = x.owed[:, None]
    creditor = (
        paid_c
        + float(policy.redefault_recovery) * v_rec * lost_c
        - float(policy.setup_cost) * owed
        - float(policy.servicing_cost_monthly) * owed * alive_c
    )
    paid_d, lost_d = weighted(delta_d)
    cm = policy.collection_months
    grow = (1 + float(limits.charges_annual_cap) * cm / 12) * (
        1 + float(policy.debtor_discount_rate)
    ) ** (-cm / 12) + float(policy.debtor_legal_cost)
    defaults_d = np.expm1(lam) * geo(lam + delta_d, one, months)  # Σ_{t≤n} dens_t w^t
    damage = float(policy.credit_damage_months_income) * x.income[:, None]
    debtor = paid_d + grow * lost_d + damage * defaults_d
    return {
        "first_payment": first,
        "max_payment": max_pay,
        "total": total,
        "plan_rate": annual,
        "relief": relief,
        "tier": tier,
        "feasible": feasible,
        "redefault_12m": redefault_12m,
        "creditor_value": creditor,
        "debtor_cost": debtor,
    }


def monthly_hazard(pd: float, rho: float, relief: float, policy: Policy) -> float:
    """The re-default hazard of one plan (scalar twin of the vectorised formula, for tests)."""
    lam0 = -math.log1p(-pd) / 12.0
    return (
        lam0
        * math.exp(float(policy.hazard_payment_slope) * (rho - 1.0))
        * math.exp(-float(policy.hazard_relief_slope) * relief)
    )
