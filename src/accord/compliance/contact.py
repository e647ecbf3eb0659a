"""Lawful contact: may we contact this person now, and if not, when is the next lawful slot?

:class:`ContactPolicy` is read from a jurisdiction pack (``pack.contact``); :func:`check` decides
one attempt against the contact history of the debtor (across the creditor and its agents) and
the flags recorded on the case (dispute, hardship, representation). Service messages
(``purpose="service"``: confirmations the debtor needs, such as a granted pause) keep to the
recipient, opt-out and hours rules but are neither held by flags nor counted in the caps.
:func:`next_lawful_slot` walks forward to the earliest time every rule allows. Times are
aware datetimes; hours and day counts are taken in the debtor's local time zone
(``zoneinfo``). Checks run in a fixed order — recipient, flags, opt-out notice, hours, quiet
days after a conversation, daily cap, weekly cap — and a block names its rule, its citation
and a reason id with parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from accord.core.packs import Pack


class Outcome(StrEnum):
    """What happened to a contact attempt."""

    SENT = "sent"
    FAILED = "failed"  # attempted but not delivered: still an attempt for the caps
    BLOCKED = "blocked"  # stopped by a rule before any attempt
    CONVERSATION = "conversation"  # a telephone conversation took place (Regulation F)


ATTEMPTS = frozenset({Outcome.SENT, Outcome.FAILED, Outcome.CONVERSATION})


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """Contact limits of one pack (see :class:`accord.core.packs.ContactRules`)."""

    pack: str
    start: time
    end: time
    per_day: int | None
    per_week: int | None
    window_days: int
    quiet_days: int | None
    counted: frozenset[str]
    recipients: frozenset[str]
    opt_out_channels: frozenset[str]
    blocking_flags: frozenset[str]
    retention_days: int | None
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_pack(cls, pack: Pack) -> ContactPolicy:
        """The contact policy of ``pack``, citations included."""
        c = pack.contact
        return cls(
            pack=pack.code,
            start=c.start,
            end=c.end,
            per_day=c.max_attempts_per_day.value,
            per_week=c.max_attempts_per_week.value,
            window_days=c.window_days,
            quiet_days=c.quiet_after_conversation_days.value,
            counted=frozenset(c.counted_channels),
            recipients=frozenset(c.permitted_recipients),
            opt_out_channels=frozenset(c.opt_out_channels),
            blocking_flags=frozenset(c.blocking_flags),
            retention_days=c.record_retention_days.value,
            sources={
                "contact.hours": c.hours_source,
                "contact.daily_cap": c.max_attempts_per_day.source,
                "contact.weekly_cap": c.max_attempts_per_week.source,
                "contact.after_conversation": c.quiet_after_conversation_days.source,
                "contact.recipient": c.recipients_source,
                "contact.opt_out_notice": c.opt_out_source,
                "contact.flag": c.flags_source,
                "contact.retention": c.record_retention_days.source,
            },
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """A contact we would like to make now (``at`` must be timezone-aware)."""

    debtor_id: str
    at: datetime
    channel: str
    recipient_role: str
    has_opt_out_notice: bool = False
    message_id: str = ""
    purpose: str = "collection"


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One line of the contact log (kept at least the pack's retention period)."""

    debtor_id: str
    at: datetime
    channel: str
    recipient_role: str
    outcome: Outcome
    message_id: str = ""
    rule: str = ""
    reason_id: str = ""
    next_slot: datetime | None = None
    purpose: str = "collection"

    def to_record(self) -> dict[str, Any]:
        """JSON-safe dict (times as ISO 8601 UTC)."""
        return {
            "debtor_id": self.debtor_id,
            "at": _iso(self.at),
            "channel": self.channel,
            "recipient_role": self.recipient_role,
            "outcome": self.outcome.value,
            "message_id": self.message_id,
            "rule": self.rule,
            "reason_id": self.reason_id,
            "next_slot": _iso(self.next_slot) if self.next_slot else None,
            "purpose": self.purpose,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """Verdict on one attempt. When blocked: the rule, its citation, a reason, and when the
    same rule would next allow it (None: held until a flag is cleared, or never)."""

    allowed: bool
    rule: str = ""
    reason_id: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    next_slot: datetime | None = None
    permanent: bool = False


ALLOWED = Decision(True)


def _iso(t: datetime) -> str:
    return t.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def _opening(d: date, policy: ContactPolicy, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, policy.start, tzinfo=tz)


def _attempt_days(
    history: Iterable[ContactRecord], debtor_id: str, tz: ZoneInfo, policy: ContactPolicy
) -> list[date]:
    return [
        r.at.astimezone(tz).date()
        for r in history
        if r.debtor_id == debtor_id
        and r.outcome in ATTEMPTS
        and r.channel in policy.counted
        and r.purpose == "collection"
    ]


def _block(policy: ContactPolicy, rule: str, params: dict[str, Any], **kw: Any) -> Decision:
    source = policy.sources.get("contact.flag" if rule.startswith("contact.flag.") else rule, "")
    return Decision(False, rule, f"compliance.{rule}", params, source, **kw)


def check(
    policy: ContactPolicy,
    attempt: Attempt,
    history: Sequence[ContactRecord],
    tz: ZoneInfo | str,
    flags: frozenset[str] = frozenset(),
) -> Decision:
    """Decide whether ``attempt`` is lawful given the debtor's contact ``history`` and flags."""
    if attempt.at.tzinfo is None:
        raise ValueError("attempt time must be timezone-aware")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if attempt.recipient_role not in policy.recipients:
        return _block(policy, "contact.recipient", {"role": attempt.recipient_role}, permanent=True)
    collection = attempt.purpose == "collection"
    held = sorted(flags & policy.blocking_flags) if collection else []
    if held:
        return _block(policy, f"contact.flag.{held[0]}", {"flag": held[0]})
    if attempt.channel in policy.opt_out_channels and not attempt.has_opt_out_notice:
        return _block(
            policy, "contact.opt_out_notice", {"channel": attempt.channel}, permanent=True
        )
    local = attempt.at.astimezone(zone)
    today = local.date()
    if not policy.start <= local.time() < policy.end:
        nxt = today if local.time() < policy.start else today + timedelta(days=1)
        params: dict[str, Any] = {
            "start": policy.start.strftime("%H:%M"),
            "end": policy.end.strftime("%H:%M"),
        }
        return _block(policy, "contact.hours", params, next_slot=_opening(nxt, policy, zone))
    if not collection:
        return ALLOWED  # service messages (confirmations) keep to the hours but not the caps
    if policy.quiet_days:
        talks = [
            r.at.astimezone(zone).date()
            for r in history
            if r.debtor_id == attempt.debtor_id and r.outcome is Outcome.CONVERSATION
        ]
        last = max((d for d in talks if d <= today), default=None)
        if last is not None and today < last + timedelta(days=policy.quiet_days):
            free = last + timedelta(days=policy.quiet_days)
            params = {"since": last.isoformat(), "days": policy.quiet_days}
            return _block(
                policy, "contact.after_conversation", params, next_slot=_opening(free, policy, zone)
            )
    if attempt.channel not in policy.counted:
        return ALLOWED
    days = _attempt_days(history, attempt.debtor_id, zone, policy)
    if policy.per_day is not None and sum(d == today for d in days) >= policy.per_day:
        nxt = _opening(today + timedelta(days=1), policy, zone)
        return _block(policy, "contact.daily_cap", {"cap": policy.per_day}, next_slot=nxt)
    if policy.per_week is not None:
        w = policy.window_days
        in_window = sum(today - timedelta(days=w - 1) <= d <= today for d in days)
        if in_window >= policy.per_week:
            free = today + timedelta(days=1)
            while sum(free - timedelta(days=w - 1) <= d <= free for d in days) >= policy.per_week:
                free += timedelta(days=1)
            params = {"cap": policy.per_week, "days": w}
            return _block(
                policy, "contact.weekly_cap", params, next_slot=_opening(free, policy, zone)
            )
    return ALLOWED


def next_lawful_slot(
    policy: ContactPolicy,
    attempt: Attempt,
    history: Sequence[ContactRecord],
    tz: ZoneInfo | str,
    flags: frozenset[str] = frozenset(),
) -> datetime | None:
    """Earliest time at or after ``attempt.at`` that every rule allows (None: held or never)."""
    at = attempt.at
    for _ in range(400):
        d = check(policy, Attempt(**{**_fields(attempt), "at": at}), history, tz, flags)
        if d.allowed:
            return at
        if d.next_slot is None:
            return None
        at = max(d.next_slot, at + timedelta(seconds=1))
    raise RuntimeError("no lawful slot found within 400 steps")  # pragma: no cover


def _fields(a: Attempt) -> dict[str, Any]:
    return {f: getattr(a, f) for f in Attempt.__slots__}


def retained(
    records: Iterable[ContactRecord], now: datetime, policy: ContactPolicy
) -> tuple[ContactRecord, ...]:
    """Records still inside the retention period at ``now`` (all when there is no limit)."""
    if policy.retention_days is None:
        return tuple(records)
    limit = now - timedelta(days=policy.retention_days)
    return tuple(r for r in records if r.at >= limit)
