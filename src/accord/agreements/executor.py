"""The agreement executor: a deterministic state machine compiled from the terms.

``start(contract, on)`` opens an agreement (pending signature); ``apply(contract, state,
command)`` applies one command and returns the new state and the events it caused;
``tick(contract, state, as_of)`` is the daily tick. Every dated command first runs the daily
aging up to its date (:func:`advance`), so the result does not depend on how often the caller
ticks, and a tick that changes nothing records nothing: ticks are idempotent. Event order
within a batch is fixed (input, resume, missed installments, status, breach, reminders), so the
same commands always give the same events and state hashes.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date

from accord.agreements import adjust
from accord.agreements.adjust import complete
from accord.agreements.errors import InvalidCommand, InvalidSignature, InvalidTransition
from accord.agreements.events import (
    Cancel,
    Command,
    Create,
    DeclareHardship,
    Event,
    Pay,
    Sign,
    Tick,
    VerifyHardship,
    VerifyIncomeChange,
)
from accord.agreements.run import Contract, Run, compile_terms
from accord.agreements.signing import verify_signature
from accord.agreements.state import LIVE, AgreementState, InstallmentState, Status
from accord.agreements.terms import AgreementTerms

S = Status
AGING = frozenset({S.ACTIVE, S.GRACE, S.IN_ARREARS})
ROLES = ("creditor", "debtor")


@dataclass(frozen=True, slots=True)
class Step:
    """Result of one command: the new state and the events recorded (empty: nothing changed)."""

    state: AgreementState
    events: tuple[Event, ...]


def start(contract: Contract, on: date) -> Step:
    """Open the agreement on ``on``: pending signature, schedule as agreed."""
    t = contract.terms
    state = AgreementState(
        agreement_id=t.agreement_id,
        terms_hash=contract.terms_hash,
        currency=t.currency,
        status=S.PENDING_SIGNATURE,
        installments=tuple(
            InstallmentState(i.seq, i.due_date, i.amount_minor) for i in t.installments
        ),
    )
    r = Run(contract, state, on)
    cmd = Create(on, contract.terms_hash)
    params = {"installments": len(t.installments), "total_minor": t.total_minor}
    r.emit(cmd.TYPE, cmd.payload(), "input", cmd.TYPE, params)
    return Step(r.snapshot(), tuple(r.events))


def open_agreement(terms: AgreementTerms, on: date) -> tuple[Contract, Step]:
    """Compile ``terms`` and :func:`start` the agreement; convenience for callers and tests."""
    contract = compile_terms(terms)
    return contract, start(contract, on)


def tick(contract: Contract, state: AgreementState, as_of: date) -> Step:
    """The daily tick as of ``as_of`` (idempotent: a second run records nothing)."""
    return apply(contract, state, Tick(as_of))


def apply(contract: Contract, state: AgreementState, command: Command) -> Step:
    """Apply ``command`` to ``state``; raises for commands the current status does not allow."""
    if state.terms_hash != contract.terms_hash:
        raise InvalidCommand("state and contract belong to different terms")
    if isinstance(command, Tick):
        return _tick(contract, state, command)
    if state.last_on is not None and command.on < state.last_on:
        raise InvalidTransition(f"{command.TYPE} dated {command.on} is before {state.last_on}")
    if isinstance(command, Sign):
        return _sign(contract, state, command)
    if isinstance(command, Cancel):
        if state.status is not S.PENDING_SIGNATURE or command.by not in ROLES:
            raise InvalidTransition(f"cannot cancel a {state.status} agreement")
        r = Run(contract, state, command.on)
        r.set(status=S.CANCELLED)
        r.emit(command.TYPE, command.payload(), "input", command.TYPE, {"by": command.by})
        return Step(r.snapshot(), tuple(r.events))
    if isinstance(command, Pay):
        return _pay(contract, state, command)
    if isinstance(command, DeclareHardship):
        return _echo_then(contract, state, command, adjust.declare_hardship, AGING)
    if isinstance(command, VerifyHardship):
        if state.hardship_pending is None:
            raise InvalidTransition("no hardship declaration is pending")
        return _echo_then(contract, state, command, adjust.verify_hardship, AGING | {S.BREACHED})
    if isinstance(command, VerifyIncomeChange):
        if type(command.previous_minor) is not int or type(command.current_minor) is not int:
            raise InvalidCommand("incomes must be int minor units")
        if command.previous_minor <= 0 or command.current_minor < 0:
            raise InvalidCommand("previous income must be positive, current not negative")
        return _echo_then(contract, state, command, adjust.income_change, LIVE)
    raise InvalidCommand(f"unknown command {type(command).__name__}")


def _echo_then(
    contract: Contract,
    state: AgreementState,
    command: Command,
    handler: adjust.Handler,
    allowed: frozenset[Status],
) -> Step:
    if state.status not in allowed:
        raise InvalidTransition(f"{command.TYPE} is not allowed while {state.status}")
    r = Run(contract, state, command.on)
    _echo(r, command)
    advance(r, command.on)
    handler(r, command)
    return Step(r.snapshot(), tuple(r.events))


def _echo(r: Run, command: Command, params: dict[str, object] | None = None) -> None:
    if params is None:  # scalar fields of the command explain it
        params = {k: v for k, v in command.payload().items() if isinstance(v, str | int)}
    r.emit(command.TYPE, command.payload(), "input", command.TYPE, dict(params))


def _tick(contract: Contract, state: AgreementState, command: Tick) -> Step:
    if state.status not in LIVE or (state.last_on is not None and command.on < state.last_on):
        return Step(state, ())
    trial = Run(contract, state, command.on)
    advance(trial, command.on)
    if not trial.events:
        return Step(state, ())
    r = Run(contract, state, command.on)
    _echo(r, command, {"on": command.on.isoformat()})
    advance(r, command.on)
    return Step(r.snapshot(), tuple(r.events))


def _sign(contract: Contract, state: AgreementState, command: Sign) -> Step:
    if state.status is not S.PENDING_SIGNATURE:
        raise InvalidTransition(f"cannot sign a {state.status} agreement")
    if command.role not in ROLES:
        raise InvalidCommand(f"unknown role {command.role!r}")
    if command.role in state.signed_by:
        return Step(state, ())
    parties = contract.terms.parties
    key = parties.debtor_key if command.role == "debtor" else parties.creditor_key
    if not verify_signature(key, contract.terms_hash, command.signature):
        raise InvalidSignature(f"{command.role} signature does not verify")
    r = Run(contract, state, command.on)
    r.set(signed_by=tuple(sorted((*state.signed_by, command.role))))
    _echo(r, command, {"role": command.role})
    if len(r.s.signed_by) == len(ROLES):
        r.move(
            S.ACTIVE,
            "agreement.activated",
            {},
            "terms.signatures",
            "agreement.activated",
            {"on": command.on.isoformat()},
        )
        advance(r, command.on)
    return Step(r.snapshot(), tuple(r.events))


def _pay(contract: Contract, state: AgreementState, command: Pay) -> Step:
    if type(command.amount_minor) is not int or command.amount_minor <= 0:
        raise InvalidCommand("payment amount must be a positive int of minor units")
    if not isinstance(command.payment_id, str) or not command.payment_id:
        raise InvalidCommand("payment_id is required")
    if command.purpose not in ("installment", "payoff"):
        raise InvalidCommand(f"unknown payment purpose {command.purpose!r}")
    if command.payment_id in state.payment_ids:
        return Step(state, ())  # idempotent: the same payment twice changes nothing
    r = Run(contract, state, command.on)
    r.set(payment_ids=(*state.payment_ids, command.payment_id))
    _echo(r, command, {"amount_minor": command.amount_minor})
    advance(r, command.on)
    if r.status not in LIVE:
        r.set(unapplied=r.s.unapplied + command.amount_minor)
        r.emit(
            "agreement.payment_unapplied",
            {"amount_minor": command.amount_minor},
            "status",
            "agreement.payment_unapplied",
            {"amount_minor": command.amount_minor, "status": r.status.value},
        )
    elif not (command.purpose == "payoff" and adjust.early_payoff(r, command)):
        allocate(r, command.payment_id, command.amount_minor)
    return Step(r.snapshot(), tuple(r.events))


def allocate(r: Run, payment_id: str, amount: int) -> None:
    """Apply ``amount`` to installments oldest first; complete or re-classify afterwards."""
    left, lines, late = amount, [], []
    late_count = r.s.late_count
    for k, inst in enumerate(r.inst):
        if left == 0:
            break
        if inst.remaining <= 0:
            continue
        take = min(left, inst.remaining)
        left -= take
        new = replace(inst, paid=inst.paid + take)
        if new.remaining == 0 and r.on > inst.due:
            new = replace(new, late=True)
            if not inst.missed:
                late_count += 1  # paid after the due date but within grace
                late.append(inst.seq)
        r.inst[k] = new
        lines.append([inst.seq, take])
    applied = amount - left
    r.set(
        paid_total=r.s.paid_total + applied, late_count=late_count, unapplied=r.s.unapplied + left
    )
    payload = {
        "payment_id": payment_id,
        "applied_minor": applied,
        "allocations": lines,
        "late_within_grace": late,
        "excess_minor": left,
    }
    seqs = ",".join(str(line[0]) for line in lines)
    r.emit(
        "agreement.payment_applied",
        payload,
        "terms.installments",
        "agreement.payment_applied",
        {"amount_minor": applied, "seqs": seqs},
    )
    if all(i.remaining == 0 for i in r.inst):
        complete(r, r.c.terms.completion.on_schedule.value, "agreement.completed", {})
    elif r.status in AGING:
        reclassify(r, r.on)


def classify(inst: list[InstallmentState], as_of: date, grace: int) -> Status:
    """Status implied by the oldest unpaid installment as of ``as_of``."""
    for i in inst:
        if i.remaining > 0:
            late = (as_of - i.due).days
            return S.IN_ARREARS if late > grace else S.GRACE if late > 0 else S.ACTIVE
    return S.ACTIVE


_MOVES = {
    (S.ACTIVE, S.GRACE): "agreement.grace_started",
    (S.ACTIVE, S.IN_ARREARS): "agreement.arrears_started",
    (S.GRACE, S.IN_ARREARS): "agreement.arrears_started",
    (S.GRACE, S.ACTIVE): "agreement.cured",
    (S.IN_ARREARS, S.ACTIVE): "agreement.cured",
    (S.IN_ARREARS, S.GRACE): "agreement.partially_cured",
}


def reclassify(r: Run, as_of: date) -> None:
    """Move between active, grace and in_arrears as the oldest unpaid installment implies."""
    grace = r.c.terms.grace_days
    new = classify(r.inst, as_of, grace)
    if new is r.status:
        return
    kind = _MOVES[(r.status, new)]
    oldest = next((i for i in r.inst if i.remaining > 0), None)
    seq = oldest.seq if oldest else 0
    r.move(new, kind, {"seq": seq}, "terms.grace_days", kind, {"seq": seq, "grace": grace})


def advance(r: Run, as_of: date) -> None:
    """Daily aging as of ``as_of``: resume, mark missed, re-classify, breach, reminders."""
    t = r.c.terms
    if r.status not in LIVE:
        return
    if r.status is S.PAUSED:
        assert r.s.pause_until is not None
        if as_of < r.s.pause_until:
            return
        until = r.s.pause_until.isoformat()
        r.set(pause_until=None)
        r.move(
            S.ACTIVE,
            "agreement.resumed",
            {"until": until},
            "terms.hardship.pause_days",
            "agreement.resumed",
            {},
        )
    for k, inst in enumerate(r.inst):
        if inst.remaining > 0 and not inst.missed and (as_of - inst.due).days > t.grace_days:
            r.inst[k] = replace(inst, missed=True)
            r.set(missed_count=r.s.missed_count + 1)
            params = {
                "seq": inst.seq,
                "due": inst.due.isoformat(),
                "grace": t.grace_days,
                "count": r.s.missed_count,
            }
            r.emit(
                "agreement.installment_missed",
                params,
                "terms.grace_days",
                "agreement.installment_missed",
                params,
            )
    reclassify(r, as_of)
    if _breach(r, as_of):
        return
    if r.s.hardship_pending is None:
        _reminders(r, as_of)


def _breach(r: Run, as_of: date) -> bool:
    t = r.c.terms
    oldest = next((i for i in r.inst if i.remaining > 0), None)
    days = (as_of - oldest.due).days if oldest else 0
    if r.s.missed_count > t.allowed_late_payments:
        rule, cause = "terms.allowed_late_payments", "agreement.cause.missed"
    elif days > t.breach.max_days_in_arrears:
        rule, cause = "terms.breach.max_days_in_arrears", "agreement.cause.arrears"
    else:
        return False
    consequence = t.breach.consequence.value
    reinstated = max(t.breach.original_debt_minor - r.s.paid_total, 0)
    r.set(consequence=consequence)
    payload = {
        "consequence": consequence,
        "cause": cause,
        "missed_count": r.s.missed_count,
        "days_in_arrears": days,
        "reinstated_minor": reinstated if consequence == "reinstate-original" else 0,
    }
    params = {
        "cause_id": cause,
        "count": r.s.missed_count,
        "allowed": t.allowed_late_payments,
        "days": days,
        "limit": t.breach.max_days_in_arrears,
        "reinstated_minor": reinstated,
    }
    r.move(
        S.BREACHED, "agreement.breached", payload, rule, f"agreement.breached.{consequence}", params
    )
    return True


def _reminders(r: Run, as_of: date) -> None:
    offsets = r.c.offsets
    plan = r.c.terms.reminders
    for k, inst in enumerate(r.inst):
        if inst.remaining <= 0:
            continue
        level = bisect_right(offsets, (as_of - inst.due).days) - 1
        if level > inst.reminded:
            r.inst[k] = replace(inst, reminded=level)
            payload = {
                "seq": inst.seq,
                "due": inst.due.isoformat(),
                "offset": offsets[level],
                "amount_minor": inst.remaining,
                "channels": [c.value for c in plan.channels],
                "locale": plan.locale,
            }
            r.emit(
                "agreement.reminder_due",
                payload,
                "terms.reminders",
                "agreement.reminder_due",
                {"seq": inst.seq, "due": inst.due.isoformat(), "amount_minor": inst.remaining},
            )
