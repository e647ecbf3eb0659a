"""Behavioural segments of delinquent accounts: ability versus willingness to pay.

A readable rule set, evaluated top to bottom; the first rule that matches decides, and every
decision carries its reasons (message id + params, rendered through the risk catalogue):

1. **unreachable** — at least ``min_attempts`` contact attempts in the window and none answered.
2. **hardship** — cannot pay: affordability (sustainable payment / amount due) below 1, or, with
   no declared statement, utilisation near the limit while payments keep shrinking.
3. **forgetful** — can pay and does: short delinquency (<= 30 DPD), a clean history of paying in
   full, and either a payment or a kept promise since the last reminder.
4. **strategic** — can pay but does not: no payment in the window, or broken promises.
5. otherwise **hardship** with low confidence (pays partially; verify the statement).

Thresholds live in :class:`SegmentPolicy` so a creditor's policy file can override them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SEGMENTS: Final = ("unreachable", "hardship", "forgetful", "strategic")


@dataclass(frozen=True, slots=True)
class SegmentInputs:
    """What we know about one delinquent account (``None`` = unknown)."""

    dpd: int
    contact_attempts: int
    contacts_answered: int
    affordability: float | None = None  # sustainable monthly payment / amount due
    util: float | None = None
    pay_ratio_trend: float | None = None  # recent minus earlier payment-to-bill ratio
    months_paid_full_before: int = 0  # months paid in full before this delinquency
    paid_in_window: bool = False
    promises_kept: int = 0
    promises_broken: int = 0


@dataclass(frozen=True, slots=True)
class SegmentPolicy:
    """Thresholds of the rule set."""

    min_attempts: int = 3
    short_dpd: int = 30
    clean_months: int = 3
    high_util: float = 0.9
    broken_promises: int = 2


@dataclass(frozen=True, slots=True)
class SegmentReason:
    """Why a rule fired: a catalogue message id and its parameters."""

    message_id: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """The segment, whether the rule is confident, and the reasons."""

    label: str
    confident: bool
    reasons: tuple[SegmentReason, ...]


def _r(message_id: str, **params: object) -> SegmentReason:
    return SegmentReason(
        f"risk.segment.{message_id}", tuple((k, str(v)) for k, v in params.items())
    )


def unable_to_pay(a: SegmentInputs, policy: SegmentPolicy) -> SegmentReason | None:
    """The 'ability' test: a reason when the account looks unable to pay, else ``None``."""
    if a.affordability is not None:
        if a.affordability < 1.0:
            return _r("low_affordability", ratio=f"{a.affordability:.2f}")
        return None
    if (
        a.util is not None
        and a.util >= policy.high_util
        and a.pay_ratio_trend is not None
        and a.pay_ratio_trend < 0
    ):
        return _r("maxed_out", util=f"{a.util:.0%}")
    return None


def segment(a: SegmentInputs, policy: SegmentPolicy = SegmentPolicy()) -> Segment:
    """Classify one account by the rules in the module docstring."""
    if a.contact_attempts >= policy.min_attempts and a.contacts_answered == 0:
        return Segment("unreachable", True, (_r("no_answer", attempts=a.contact_attempts),))
    unable = unable_to_pay(a, policy)
    if unable is not None:
        return Segment("hardship", True, (unable,))
    engaged = a.paid_in_window or a.promises_kept > 0
    if a.dpd <= policy.short_dpd and a.months_paid_full_before >= policy.clean_months and engaged:
        return Segment(
            "forgetful",
            True,
            (
                _r("short_delay", dpd=a.dpd),
                _r("clean_history", months=a.months_paid_full_before),
            ),
        )
    if not a.paid_in_window or a.promises_broken >= policy.broken_promises:
        reasons = []
        if not a.paid_in_window:
            reasons.append(_r("no_payment"))
        if a.promises_broken >= policy.broken_promises:
            reasons.append(_r("broken_promises", count=a.promises_broken))
        return Segment("strategic", a.affordability is not None, tuple(reasons))
    return Segment("hardship", False, (_r("partial_payments"),))
