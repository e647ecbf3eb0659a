"""Plan specifications and the plan grid: every structure the engine may offer.

A plan is an instalment restructure (个性化分期) with optional interest freeze (停息挂账, rate
factor 0), rate reduction (factor 0.5), principal reduction (haircut), payment holiday (1–6
months, interest capitalised, or frozen under a freeze) and step-up payments (+20% every 12
payments), in any combination; or a lump-sum settlement at a discount, paid within the first
month. The grid is generated once per (policy, limits) and never contains a plan that breaks
either: :func:`check_plan` is the single rule book the generator, the protocol and the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from accord.negotiation.policy import Limits, Policy
from accord.negotiation.reasons import Reason

TERMS: Final = (3, 6, 9, 12, 18, 24, 36, 48, 60)
RATE_FACTORS: Final = (Decimal(1), Decimal("0.5"), Decimal(0))
HAIRCUTS: Final = tuple(Decimal(x) for x in ("0", "0.1", "0.2", "0.3", "0.4", "0.5"))
HOLIDAYS: Final = (0, 3, 6)
STEP_RATES: Final = (Decimal(0), Decimal("0.2"))
STEP_EVERY: Final = 12
DISCOUNTS: Final = tuple(Decimal(x) for x in ("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"))
MIN_PAYMENTS: Final = 3


class PlanKind(StrEnum):
    """Instalment restructure or lump-sum settlement."""

    RESTRUCTURE = "restructure"
    SETTLEMENT = "settlement"


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """The terms of a plan, independent of the amounts of any one case.

    ``months`` includes the holiday; the plan rate is the case's contract rate × ``rate_factor``
    capped by the pack; ``haircut`` is the share of the amount owed forgiven up front; a
    settlement pays ``(1 − discount) × owed`` in month 1.
    """

    kind: PlanKind
    months: int
    rate_factor: Decimal = Decimal(1)
    haircut: Decimal = Decimal(0)
    holiday_months: int = 0
    step_rate: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)

    @property
    def features(self) -> tuple[str, ...]:
        """Which concessions the plan combines, in a fixed order (term keys for messages)."""
        if self.kind is PlanKind.SETTLEMENT:
            return ("settlement",)
        out = ["restructure"]
        if self.rate_factor == 0:
            out.append("interest_freeze")
        elif self.rate_factor < 1:
            out.append("rate_reduction")
        if self.haircut > 0:
            out.append("principal_reduction")
        if self.holiday_months:
            out.append("payment_holiday")
        if self.step_rate > 0:
            out.append("step_up")
        return tuple(out)

    def to_json(self) -> dict[str, object]:
        """JSON form (Decimals as strings)."""
        return {
            "kind": self.kind.value,
            "months": self.months,
            "rate_factor": str(self.rate_factor),
            "haircut": str(self.haircut),
            "holiday_months": self.holiday_months,
            "step_rate": str(self.step_rate),
            "discount": str(self.discount),
            "features": list(self.features),
        }


def check_plan(spec: PlanSpec, policy: Policy, limits: Limits) -> tuple[Reason, ...]:
    """Every policy or pack limit ``spec`` breaks, as reasons; empty when the plan is allowed.

    Rate caps are case-dependent and enforced where the plan rate is computed
    (``min(contract × factor, limits.max_annual_rate)``), so they cannot be broken.
    """
    out: list[Reason] = []
    max_term = min(policy.max_term_months, limits.max_term_months)
    if spec.months > max_term:
        out.append(Reason.of("limit.term", months=spec.months, limit=max_term))
    if spec.holiday_months > limits.max_holiday_months:
        out.append(
            Reason.of("limit.holiday", months=spec.holiday_months, limit=limits.max_holiday_months)
        )
    if spec.kind is PlanKind.RESTRUCTURE and spec.months - spec.holiday_months < 1:
        out.append(Reason.of("limit.no_payments", months=spec.months))
    if spec.haircut > policy.max_haircut:
        out.append(
            Reason.of("limit.haircut", pct=_pct(spec.haircut), limit=_pct(policy.max_haircut))
        )
    if spec.discount > policy.max_settlement_discount:
        out.append(
            Reason.of(
                "limit.discount",
                pct=_pct(spec.discount),
                limit=_pct(policy.max_settlement_discount),
            )
        )
    cut = spec.discount if spec.kind is PlanKind.SETTLEMENT else spec.haircut
    if 1 - cut < policy.min_recovery:
        out.append(
            Reason.of("limit.min_recovery", pct=_pct(1 - cut), limit=_pct(policy.min_recovery))
        )
    if (
        spec.rate_factor == 0
        and not policy.allow_interest_freeze
        and spec.kind is PlanKind.RESTRUCTURE
    ):
        out.append(Reason.of("limit.freeze"))
    return tuple(out)


def approval_reasons(spec: PlanSpec, relief: float, policy: Policy) -> tuple[Reason, ...]:
    """Why ``spec`` needs staff approval (beyond the creditor's auto-approval limits)."""
    out: list[Reason] = []
    if spec.haircut > policy.auto_max_haircut:
        out.append(
            Reason.of(
                "approval.haircut", pct=_pct(spec.haircut), limit=_pct(policy.auto_max_haircut)
            )
        )
    if spec.discount > policy.auto_max_settlement_discount:
        out.append(
            Reason.of(
                "approval.discount",
                pct=_pct(spec.discount),
                limit=_pct(policy.auto_max_settlement_discount),
            )
        )
    if spec.months > policy.auto_max_term_months:
        out.append(
            Reason.of("approval.term", months=spec.months, limit=policy.auto_max_term_months)
        )
    if relief > float(policy.auto_max_relief):
        out.append(
            Reason.of(
                "approval.relief", pct=round(relief * 100), limit=_pct(policy.auto_max_relief)
            )
        )
    return tuple(out)


def _pct(x: Decimal) -> int:
    return int((x * 100).to_integral_value())


def _candidates() -> list[PlanSpec]:
    out: list[PlanSpec] = []
    for n in TERMS:
        for f in RATE_FACTORS:
            for h in HAIRCUTS:
                for k in HOLIDAYS:
                    if n - k < MIN_PAYMENTS:
                        continue
                    for g in STEP_RATES:
                        # step-ups start at once (no holiday) and need more than one step
                        if g > 0 and (k > 0 or n <= STEP_EVERY):
                            continue
                        out.append(PlanSpec(PlanKind.RESTRUCTURE, n, f, h, k, g))
    out.extend(PlanSpec(PlanKind.SETTLEMENT, 1, Decimal(0), discount=d) for d in DISCOUNTS)
    # level plans first: the valuation evaluates them with two segments, step-ups with six
    return sorted(out, key=lambda s: s.step_rate > 0)


@dataclass(frozen=True, slots=True)
class PlanGrid:
    """The allowed plans for one (policy, limits) and their parameters as numpy columns."""

    specs: tuple[PlanSpec, ...]
    months: npt.NDArray[np.int64]
    holiday: npt.NDArray[np.int64]
    rate_factor: npt.NDArray[np.float64]
    cut: npt.NDArray[np.float64]  # haircut, or the discount of a settlement
    step: npt.NDArray[np.float64]
    settlement: npt.NDArray[np.bool_]
    # level segments (P × S): segment 0 is the holiday, then up to five 12-payment steps
    seg_start: npt.NDArray[np.float64]
    seg_len: npt.NDArray[np.float64]
    seg_exp: npt.NDArray[np.float64]

    @property
    def level_count(self) -> int:
        """Number of leading plans without step-up (one level payment after any holiday)."""
        return int((self.step == 0).sum())

    @property
    def max_months(self) -> int:
        """Longest plan in the grid."""
        return int(self.months.max())


@cache
def plan_grid(policy: Policy, limits: Limits) -> PlanGrid:
    """Every candidate plan that passes :func:`check_plan` under ``policy`` and ``limits``."""
    specs = tuple(s for s in _candidates() if not check_plan(s, policy, limits))
    if not specs:
        raise ValueError("policy and limits admit no plan at all")

    def col(values: list[float] | list[int] | list[bool], dtype: type) -> npt.NDArray:  # type: ignore[type-arg]
        arr: npt.NDArray = np.asarray(values, dtype=dtype)  # type: ignore[type-arg]
        arr.setflags(write=False)
        return arr

    n_seg = 1 + max(-(-(s.months - s.holiday_months) // STEP_EVERY) for s in specs)
    start = np.zeros((len(specs), n_seg))
    length = np.zeros((len(specs), n_seg))
    expo = np.zeros((len(specs), n_seg))
    for p, s in enumerate(specs):
        k, n = s.holiday_months, s.months
        start[p, 0], length[p, 0] = 1, k
        if s.step_rate == 0:  # one level segment after the holiday
            start[p, 1:], length[p, 1] = k + 1, n - k
            continue
        for seg in range(1, n_seg):
            a = k + 1 + STEP_EVERY * (seg - 1)
            start[p, seg] = a
            length[p, seg] = max(min(k + STEP_EVERY * seg, n) - a + 1, 0)
            expo[p, seg] = seg - 1
    for arr in (start, length, expo):
        arr.setflags(write=False)
    return PlanGrid(
        specs=specs,
        months=col([s.months for s in specs], np.int64),
        holiday=col([s.holiday_months for s in specs], np.int64),
        rate_factor=col([float(s.rate_factor) for s in specs], np.float64),
        cut=col(
            [float(s.discount if s.kind is PlanKind.SETTLEMENT else s.haircut) for s in specs],
            np.float64,
        ),
        step=col([float(s.step_rate) for s in specs], np.float64),
        settlement=col([s.kind is PlanKind.SETTLEMENT for s in specs], np.bool_),
        seg_start=start,
        seg_len=length,
        seg_exp=expo,
    )
