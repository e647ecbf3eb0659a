"""How simulated debtors behave, and what collections recover: the simulator's own model.

Nothing here uses the engine's valuation parameters. Assumptions (documented, per debtor):

* acceptance: an offer is taken if its largest monthly payment is within the debtor's
  *perceived* capacity (true surplus × misperception) — a settlement if the lump sum is within
  liquid assets — and its nominal total is below the perceived cost of no agreement;
* income shocks: each month a shock starts with probability 1% + 2% × true PD, cutting income
  to 30–70% for 3–12 months;
* paying: a due amount is paid from the month's surplus, topped up from liquid savings; what
  cannot be paid is carried as arrears; two consecutive missed months (60+ DPD) is a re-default;
  independently, a debtor walks away in any month with probability 2% × true PD;
* collections (after no agreement or a re-default), on balance ``B`` from month ``t0``: with
  probability 0.6 a judgment recovers ``min(1.36·B, 0.8 × (24 × surplus⁺ + savings))`` at
  ``t0 + 18`` (charges grow 24% a year for 18 months) and the debtor also pays court fees of
  3% of ``B``; otherwise ``min(1.36·B, 0.1 × ability)`` is recovered; the creditor pays legal
  costs of 6% of ``B`` at ``t0 + 3``; what is not recovered stays owed (grown by the capped
  charges), so the debtor's cost of collections is the whole grown balance plus court fees;
* plans cost the creditor 0.5% of the debt to set up and 0.04% a month to service.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.negotiation.simulation.population import Population

F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
HORIZON = 60
COLLECTION_MONTHS = 18


@dataclass(frozen=True, slots=True)
class Offers:
    """One offer per debtor (``active`` marks debtors who get it): monthly dues and plan rate."""

    active: B
    dues: F  # N × HORIZON
    monthly_rate: F
    settlement: B


@dataclass
class Ledger:
    """Discounted cash flows accumulated per debtor."""

    creditor: F
    debtor: F
    agreed: B
    redefault_12m: B
    rounds: F


def accepts(pop: Population, offers: Offers) -> B:
    """Which debtors take the offer (see the module text)."""
    largest = offers.dues.max(axis=1)
    total = offers.dues.sum(axis=1)
    perceived = np.maximum(pop.capacity, 0.0) * pop.perceive_capacity
    affordable = np.where(offers.settlement, largest <= pop.liquid, largest <= perceived)
    worth_it = total <= pop.owed * pop.perceive_alternative
    out: B = offers.active & affordable & worth_it
    return out


def collect(
    pop: Population,
    ledger: Ledger,
    who: B,
    balance: F,
    t0: F,
    savings: F,
    rng: np.random.Generator,
    v_c: float,
    v_d: float,
) -> None:
    """Send ``who`` to collections on ``balance`` from month ``t0`` (adds to the ledger)."""
    grown = balance * (1 + 0.24 * COLLECTION_MONTHS / 12)
    ability = np.maximum(pop.capacity, 0.0) * 24 + savings
    success = rng.uniform(size=pop.n) < 0.6
    recovered = np.minimum(grown, np.where(success, 0.8, 0.1) * ability)
    when = t0 + COLLECTION_MONTHS
    ledger.creditor += np.where(who, recovered * v_c**when - 0.06 * balance * v_c ** (t0 + 3), 0.0)
    # what collections do not recover stays owed, with its capped charges: still a liability
    fees = np.where(success, 0.03 * balance, 0.0)
    ledger.debtor += np.where(who, (np.maximum(grown, recovered) + fees) * v_d**when, 0.0)


def run_plans(
    pop: Population,
    offers: Offers,
    who: B,
    ledger: Ledger,
    rng: np.random.Generator,
    v_c: float,
    v_d: float,
) -> None:
    """Simulate the accepted plans of ``who`` month by month, then collections on re-defaults."""
    n = pop.n
    owed = pop.owed
    ledger.creditor -= np.where(who, 0.005 * owed, 0.0)
    balance = np.where(who, _opening(offers), 0.0)
    savings = pop.liquid.copy()
    arrears = np.zeros(n)
    misses = np.zeros(n)
    shock_left = np.zeros(n)
    shock_factor = np.ones(n)
    alive = who.copy()
    defaulted_at = np.full(n, np.inf)
    for t in range(1, HORIZON + 1):
        due = offers.dues[:, t - 1] + arrears
        if not (alive & (due > 0) | alive & (balance > 0.005)).any():
            break
        start = (rng.uniform(size=n) < 0.01 + 0.02 * pop.true_pd) & (shock_left <= 0)
        shock_factor = np.where(start, rng.uniform(0.3, 0.7, n), shock_factor)
        shock_left = np.where(start, rng.integers(3, 13, n), shock_left - 1)
        factor = np.where(shock_left > 0, shock_factor, 1.0)
        surplus = pop.income * factor - pop.expenses.sum(axis=1) - pop.other_debt
        can = np.maximum(surplus, 0.0) + savings
        pay = np.where(alive, np.where(due <= can, due, 0.0), 0.0)
        savings = savings - np.maximum(pay - np.maximum(surplus, 0.0), 0.0)
        missed = alive & (due > 0.005) & (pay == 0.0)
        misses = np.where(missed, misses + 1, np.where(pay > 0, 0, misses))
        arrears = np.where(missed, due, 0.0)
        balance = np.where(alive, balance * (1 + offers.monthly_rate) - pay, balance)
        ledger.creditor += pay * v_c**t - np.where(alive, 0.0004 * owed * v_c**t, 0.0)
        ledger.debtor += pay * v_d**t
        walk = rng.uniform(size=n) < 0.02 * pop.true_pd
        failed = alive & ((misses >= 2) | (walk & (balance > 0.005)))
        defaulted_at = np.where(failed, t, defaulted_at)
        alive &= ~failed
    ledger.redefault_12m |= who & (defaulted_at <= 12)
    gone = who & np.isfinite(defaulted_at)
    collect(
        pop,
        ledger,
        gone,
        np.maximum(balance, 0.0),
        np.where(gone, defaulted_at, 0.0),
        savings,
        rng,
        v_c,
        v_d,
    )


def _opening(offers: Offers) -> F:
    """Balance the dues repay at the plan rate (their present value at that rate)."""
    t = np.arange(1, HORIZON + 1)
    disc = (1 + offers.monthly_rate[:, None]) ** (-t[None, :])
    out: F = (offers.dues * disc).sum(axis=1)
    return out
