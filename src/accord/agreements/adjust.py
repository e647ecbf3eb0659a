"""Term adjustments on preset conditions: hardship pauses, income steps, early payoff.

Each handler runs inside :func:`accord.agreements.executor.apply` after the input event was
recorded and the agreement aged to the command's date. They change the schedule only in the
ways the signed terms allow, and every change conserves money exactly: a pause moves due dates,
an income step lowers future installments and appends new ones for the difference, an early
payoff records the agreed discount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from accord.agreements.events import DeclareHardship, Pay, VerifyHardship, VerifyIncomeChange
from accord.agreements.run import Run
from accord.agreements.state import InstallmentState, Status
from accord.core.calendar import add_months

S = Status
AGING = frozenset({S.ACTIVE, S.GRACE, S.IN_ARREARS})
Handler = Callable[[Run, Any], None]


def complete(r: Run, outcome: str, reason_id: str, extra: dict[str, Any]) -> None:
    """Move to completed with the credit-reporting ``outcome``."""
    r.set(outcome=outcome)
    payload = {
        "outcome": outcome,
        "paid_total_minor": r.s.paid_total,
        "discount_minor": r.s.discount,
        **extra,
    }
    r.move(
        S.COMPLETED,
        "agreement.completed",
        payload,
        "terms.completion",
        reason_id,
        {"outcome": outcome, **extra},
    )


def _reject(r: Run, reason_id: str, params: dict[str, Any]) -> None:
    r.set(hardship_pending=None)
    r.emit(
        "agreement.hardship_rejected", {"reason_id": reason_id}, "terms.hardship", reason_id, params
    )


def declare_hardship(r: Run, cmd: DeclareHardship) -> None:
    """Accept a declaration as pending when a rule covers its reason and evidence."""
    h = r.c.terms.hardship
    if r.status not in AGING:
        return _reject(r, "agreement.hardship_rejected.status", {"status": r.status.value})
    rule = r.c.hardship.get(cmd.reason)
    if rule is None:
        return _reject(r, "agreement.hardship_rejected.no_rule", {"reason": cmd.reason})
    if not {e.kind for e in cmd.evidence} & set(rule.evidence_kinds):
        kinds = ", ".join(rule.evidence_kinds)
        return _reject(r, "agreement.hardship_rejected.no_evidence", {"kinds": kinds})
    if (
        r.s.pauses_used >= h.max_pauses
        or r.s.pause_days_used + rule.pause_days > h.max_total_pause_days
    ):
        return _reject(r, "agreement.hardship_rejected.limit", {})
    r.set(hardship_pending=cmd.reason)
    r.emit(
        "agreement.hardship_pending",
        {"reason": cmd.reason, "pause_days": rule.pause_days},
        "terms.hardship.rules",
        "agreement.hardship_pending",
        {"reason": cmd.reason},
    )
    return None


def verify_hardship(r: Run, cmd: VerifyHardship) -> None:
    """Pause payments (due dates move back by the rule's days) or decline the declaration."""
    reason = r.s.hardship_pending
    if reason is None or r.status not in AGING:
        return _reject(r, "agreement.hardship_rejected.status", {"status": r.status.value})
    if not cmd.accepted:
        r.set(hardship_pending=None)
        r.emit(
            "agreement.hardship_declined",
            {"verifier": cmd.verifier},
            "terms.hardship",
            "agreement.hardship_declined",
            {"verifier": cmd.verifier},
        )
        return None
    days = r.c.hardship[reason].pause_days
    until = r.on + timedelta(days=days)
    shifted = []
    for k, inst in enumerate(r.inst):
        if inst.remaining > 0:
            r.inst[k] = replace(inst, due=inst.due + timedelta(days=days), reminded=-1)
            shifted.append(inst.seq)
    r.set(
        hardship_pending=None,
        pause_until=until,
        pauses_used=r.s.pauses_used + 1,
        pause_days_used=r.s.pause_days_used + days,
    )
    payload = {"reason": reason, "days": days, "until": until.isoformat(), "shifted": shifted}
    r.move(
        S.PAUSED,
        "agreement.paused",
        payload,
        "terms.hardship.rules",
        "agreement.paused",
        {"days": days, "until": until.isoformat()},
    )
    return None


def _noted(r: Run, drop_bps: int, why: str) -> None:
    r.emit(
        "agreement.income_change_noted",
        {"drop_bps": drop_bps, "why": why},
        "terms.income_change",
        "agreement.income_change_noted",
        {"drop_bps": drop_bps},
    )


def income_change(r: Run, cmd: VerifyIncomeChange) -> None:
    """Apply the highest income step reached: scale future installments, extend the term."""
    rules = r.c.terms.income_change
    drop = max(cmd.previous_minor - cmd.current_minor, 0) * 10_000 // cmd.previous_minor
    step = next((s for s in reversed(rules.steps) if s.min_drop_bps <= drop), None)
    if r.status not in (*AGING, S.PAUSED):
        return _noted(r, drop, "status")
    if step is None:
        return _noted(r, drop, "below-threshold")
    if r.s.adjustments >= rules.max_adjustments:
        return _noted(r, drop, "max-adjustments")
    future = [k for k, i in enumerate(r.inst) if i.due > r.on and i.paid == 0]
    new = {k: max((r.inst[k].amount * step.payment_bps + 5_000) // 10_000, 1) for k in future}
    shortfall = sum(r.inst[k].amount - new[k] for k in future)
    if shortfall == 0 or rules.max_extra_installments == 0:
        return _noted(r, drop, "nothing-to-adjust")
    unit = new[future[-1]]
    count = min(-(-shortfall // unit), rules.max_extra_installments, shortfall)
    base, extra = divmod(shortfall, count)
    changed = [[r.inst[k].seq, r.inst[k].amount, new[k]] for k in future]
    for k in future:
        r.inst[k] = replace(r.inst[k], amount=new[k])
    last = r.inst[-1]
    added = []
    for j in range(1, count + 1):
        amount = base + (1 if j <= extra else 0)
        due = add_months(last.due, j)
        r.inst.append(InstallmentState(last.seq + j, due, amount))
        added.append([last.seq + j, due.isoformat(), amount])
    r.set(adjustments=r.s.adjustments + 1)
    payload = {
        "drop_bps": drop,
        "payment_bps": step.payment_bps,
        "changed": changed,
        "added": added,
    }
    r.emit(
        "agreement.terms_adjusted",
        payload,
        "terms.income_change.steps",
        "agreement.terms_adjusted",
        {"drop_bps": drop, "payment_bps": step.payment_bps, "added": count},
    )
    return None


def payoff_quote(r_inst: list[InstallmentState], discount_bps: int) -> tuple[int, int]:
    """(quote, discount) for paying off the remaining balance now; discount rounds half up."""
    remaining = sum(i.remaining for i in r_inst)
    discount = (remaining * discount_bps + 5_000) // 10_000
    return remaining - discount, discount


def early_payoff(r: Run, cmd: Pay) -> bool:
    """Settle the agreement at the discounted quote if eligible; False to pay normally."""
    rules = r.c.terms.early_payoff
    quote, discount = payoff_quote(r.inst, rules.discount_bps)
    paid = sum(1 for i in r.inst if i.remaining == 0)
    if not rules.enabled or paid < rules.min_installments_paid or cmd.amount_minor < quote:
        r.emit(
            "agreement.payoff_not_eligible",
            {"quote_minor": quote},
            "terms.early_payoff",
            "agreement.payoff_not_eligible",
            {"needed": rules.min_installments_paid, "quote_minor": quote},
        )
        return False
    for k, inst in enumerate(r.inst):
        r.inst[k] = replace(inst, paid=inst.amount)
    excess = cmd.amount_minor - quote
    r.set(paid_total=r.s.paid_total + quote, discount=discount, unapplied=r.s.unapplied + excess)
    complete(
        r,
        r.c.terms.completion.on_early_payoff.value,
        "agreement.early_payoff",
        {"quote_minor": quote, "discount_minor": discount, "excess_minor": excess},
    )
    return True
