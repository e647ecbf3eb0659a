"""Naive month-by-month valuation over ``C × P × T`` arrays: the reference for :mod:`.valuation`.

Slow but obviously right; the tests check that the closed-form :func:`accord.negotiation.valuation.
evaluate` reproduces it. The model is documented in :mod:`accord.negotiation.valuation`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from accord.negotiation.plans import PlanGrid
from accord.negotiation.policy import Limits, Policy
from accord.negotiation.valuation import CaseArrays, GridValues, batnas

F = npt.NDArray[np.float64]


def streams(x: CaseArrays, grid: PlanGrid, limits: Limits) -> tuple[F, F, F]:
    """Payments and closing balances (``C × P × T``) and plan rates (``C × P``)."""
    t = np.arange(1, grid.max_months + 1, dtype=np.float64)
    annual = np.minimum(x.rate[:, None] * grid.rate_factor[None, :], float(limits.max_annual_rate))
    i = annual / 12.0  # C × P
    principal = x.owed[:, None] * (1.0 - grid.cut)[None, :]
    k = grid.holiday.astype(np.float64)
    j = t[None, :] - k[:, None]  # P × T, payment number
    active = (j >= 1) & (j <= (grid.months - grid.holiday)[:, None])
    weight = np.where(active, (1.0 + grid.step)[:, None] ** np.floor((j - 1) / 12), 0.0)
    log1p = np.log1p(i)[:, :, None]  # C × P × 1
    disc = np.exp(-log1p * t[None, None, :])  # (1+i)^-t
    balance_k = principal * np.exp(np.log1p(i) * k[None, :])
    denom = np.einsum("pt,cpt->cp", weight, disc) * np.exp(np.log1p(i) * k[None, :])
    level = balance_k / denom
    pay = level[:, :, None] * weight[None, :, :]
    # closing balance B_t = (1+i)^t (P − Σ_{u≤t} pay_u (1+i)^−u), never below zero
    closing = np.maximum((principal[:, :, None] - np.cumsum(pay * disc, axis=2)) / disc, 0.0)
    return pay, closing, annual


def evaluate_naive(x: CaseArrays, grid: PlanGrid, policy: Policy, limits: Limits) -> GridValues:
    """Value every plan of ``grid`` for every case of ``x`` month by month (reference)."""
    pay, closing, annual = streams(x, grid, limits)
    n_t = pay.shape[2]
    t = np.arange(1, n_t + 1, dtype=np.float64)
    settle = grid.settlement[None, :]
    # relief at the contract rate
    rc = np.log1p(x.rate / 12.0)[:, None]  # C × 1
    pv_contract = np.einsum("cpt,ct->cp", pay, np.exp(-rc * t[None, :]))
    relief = np.where(settle, grid.cut[None, :], 1.0 - pv_contract / x.owed[:, None])
    relief = np.clip(relief, 0.0, 1.0)
    edges = np.asarray([float(e) for e in policy.relief_tiers])
    tier = np.searchsorted(edges, relief - 1e-9, side="left").astype(np.int64)
    first = pay[
        np.arange(pay.shape[0])[:, None], np.arange(pay.shape[1])[None, :], (grid.holiday)[None, :]
    ]
    max_pay = pay.max(axis=2)
    total = pay.sum(axis=2)
    # affordability and hazard
    capacity = np.where(settle, x.lump[:, None], x.sustainable[:, None])
    # the exact schedule's last instalment absorbs rounding residuals of at most half a minor
    # unit per instalment, so the float payment must fit with that much room to spare
    slack = 0.005 * grid.months[None, :]
    feasible = max_pay + slack <= capacity
    rho = np.minimum(max_pay / np.maximum(capacity, 1e-9), 4.0)
    lam0 = -np.log1p(-np.clip(x.pd, 1e-6, 0.999))[:, None] / 12.0
    lam = (
        lam0
        * np.exp(float(policy.hazard_payment_slope) * (rho - 1.0))
        * np.exp(-float(policy.hazard_relief_slope) * relief)
    )
    surv = np.exp(-lam[:, :, None] * t[None, None, :])  # S_t
    surv_prev = np.exp(-lam[:, :, None] * (t - 1.0)[None, None, :])  # S_{t-1}
    alive = (t[None, :] <= grid.months[:, None])[None, :, :]
    dens = np.where(alive, surv_prev - surv, 0.0)
    redefault_12m = 1.0 - np.exp(-lam * np.minimum(grid.months, 12)[None, :])
    # creditor
    v = (1.0 + float(policy.cost_of_funds)) ** (-t / 12.0)
    opening = np.concatenate(
        [(x.owed[:, None] * (1 - grid.cut[None, :]))[:, :, None], closing[:, :, :-1]], axis=2
    )
    v_rec = v * (1.0 + float(policy.cost_of_funds)) ** (-policy.redefault_recovery_months / 12)
    serv = float(policy.servicing_cost_monthly) * x.owed[:, None]
    creditor = (
        np.einsum("cpt,cpt,t->cp", pay, surv, v)
        + float(policy.redefault_recovery) * np.einsum("cpt,cpt,t->cp", dens, opening, v_rec)
        - float(policy.setup_cost) * x.owed[:, None]
        - serv * np.einsum("cpt,t->cp", np.where(alive, surv_prev, 0.0), v)
    )
    # debtor
    b = batnas(x, policy, limits)
    w = (1.0 + float(policy.debtor_discount_rate)) ** (-t / 12.0)
    cm = policy.collection_months
    grow = (1 + float(limits.charges_annual_cap) * cm / 12) * (
        1 + float(policy.debtor_discount_rate)
    ) ** (-cm / 12) + float(policy.debtor_legal_cost)
    debtor = (
        np.einsum("cpt,cpt,t->cp", pay, surv, w)
        + grow * np.einsum("cpt,cpt,t->cp", dens, opening, w)
        + b.debtor_damage[:, None] * np.einsum("cpt,t->cp", dens, w)
    )
    return GridValues(
        first_payment=first,
        max_payment=max_pay,
        total=total,
        plan_rate=annual,
        relief=relief,
        tier=tier,
        feasible=feasible,
        redefault_12m=redefault_12m,
        creditor_value=creditor,
        debtor_cost=debtor,
        creditor_gain=creditor - b.creditor[:, None],
        debtor_gain=b.debtor[:, None] - debtor,
        batnas=b,
    )
