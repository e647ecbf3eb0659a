"""Deliver due outbox messages through the channels, inside the contact rules.

For each due message (in a fixed order) :func:`dispatch` asks :func:`accord.compliance.check`
first; a blocked attempt is logged with its rule and the message is deferred to the next lawful
slot (or held, or rejected). An allowed one is rendered (with the pack's opt-out notice where
required) and sent; failures are logged, counted as attempts and retried with back-off.
Returns the updated messages and the new contact-log records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from accord.compliance.contact import (
    Attempt,
    ContactPolicy,
    ContactRecord,
    Outcome,
    check,
    next_lawful_slot,
)
from accord.compliance.outbox import Message, is_due, mark_blocked, mark_failed, mark_sent
from accord.notify.channels import Channel, DeliveryError, Outgoing
from accord.notify.templates import render


@dataclass(frozen=True, slots=True)
class DispatchResult:
    """Messages after this run (same order as given) and the contact records it wrote."""

    messages: tuple[Message, ...]
    records: tuple[ContactRecord, ...]


def dispatch(
    messages: Sequence[Message],
    *,
    now: datetime,
    policy: ContactPolicy,
    history: Sequence[ContactRecord],
    channels: Mapping[str, Channel],
    address_for: Callable[[Message], str | None],
    tz_for: Callable[[str], ZoneInfo],
    flags_for: Callable[[str], frozenset[str]] = lambda _debtor: frozenset(),
    max_attempts: int = 5,
) -> DispatchResult:
    """Try every message due at ``now``; see the module docstring for the rules."""
    result = list(messages)
    records: list[ContactRecord] = []
    order = sorted(
        (i for i, m in enumerate(result) if is_due(m, now)),
        key=lambda i: (result[i].next_attempt_at, result[i].id),
    )
    for i in order:
        m = result[i]
        tz, flags = tz_for(m.debtor_id), flags_for(m.debtor_id)
        notice = m.channel in policy.opt_out_channels
        attempt = Attempt(m.debtor_id, now, m.channel, m.recipient_role, notice, m.id, m.purpose)
        seen = [*history, *records]
        decision = check(policy, attempt, seen, tz, flags)
        if not decision.allowed:
            slot = None
            if not decision.permanent and decision.next_slot is not None:
                slot = next_lawful_slot(policy, attempt, seen, tz, flags)
            result[i] = mark_blocked(m, now, decision.rule, slot, decision.permanent)
            records.append(
                ContactRecord(
                    m.debtor_id,
                    now,
                    m.channel,
                    m.recipient_role,
                    Outcome.BLOCKED,
                    m.id,
                    decision.rule,
                    decision.reason_id,
                    slot,
                    m.purpose,
                )
            )
            continue
        address = address_for(m)
        channel = channels.get(m.channel)
        if address is None or channel is None:
            result[i] = mark_failed(
                m, now, f"no {'address' if channel else 'channel'} for {m.channel}", max_attempts
            )
            continue
        text = render(
            m.template_id, m.locale, m.params, opt_out_channel=m.channel if notice else None
        )
        out = Outgoing(m.id, m.channel, address, text.subject, text.body, m.locale)
        try:
            channel.send(out)
        except DeliveryError as e:
            result[i] = mark_failed(m, now, str(e), max_attempts)
            outcome = Outcome.FAILED
        else:
            result[i] = mark_sent(m, now)
            outcome = Outcome.SENT
        records.append(
            ContactRecord(
                m.debtor_id, now, m.channel, m.recipient_role, outcome, m.id, purpose=m.purpose
            )
        )
    return DispatchResult(tuple(result), tuple(records))
