"""Dispatch: retries with back-off are visible; blocked attempts are logged and rescheduled;
property: whatever the schedule and time zone, nothing is sent outside the pack's hours or
beyond its caps, counting failed deliveries as attempts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compliance import ContactPolicy, Message, MessageStatus, Outcome, message_id
from accord.core.packs import load_pack
from accord.notify.channels import DeliveryError, InAppChannel, Outgoing
from accord.notify.dispatch import dispatch

PARAMS = {
    "agreement_id": "A",
    "seq": 1,
    "due": "2025-03-15",
    "amount": "¥1.00",
    "how_to_pay": "pay",
    "help": "help",
}


class Flaky:
    """A channel that fails the first ``fail`` sends of each message, then delivers."""

    name = "sms"

    def __init__(self, fail: int) -> None:
        self.fail = fail
        self.tries: Counter[str] = Counter()
        self.delivered: list[Outgoing] = []

    def send(self, out: Outgoing) -> None:
        self.tries[out.message_id] += 1
        if self.tries[out.message_id] <= self.fail:
            raise DeliveryError("gateway: status 503")
        self.delivered.append(out)


def _message(k: int, at: datetime, channel: str = "sms", role: str = "debtor") -> Message:
    return Message(
        message_id("A", k, channel), "A", "d1", channel, role, "reminder.due", "en", PARAMS, at, at
    )


def test_failures_retry_with_backoff_and_stay_visible() -> None:
    policy = ContactPolicy.from_pack(load_pack("uk"))
    tz = ZoneInfo("Europe/London")
    t0 = datetime(2025, 3, 3, 9, 0, tzinfo=tz)
    flaky = Flaky(fail=2)
    kw = {
        "policy": policy,
        "channels": {"sms": flaky},
        "address_for": lambda m: "+44",
        "tz_for": lambda _: tz,
    }
    msgs, log = [_message(1, t0)], []
    r = dispatch(msgs, now=t0, history=log, **kw)
    [m] = r.messages
    assert (m.status, m.attempts, m.last_error) == (
        MessageStatus.RETRYING,
        1,
        "gateway: status 503",
    )
    assert m.next_attempt_at == t0 + timedelta(minutes=5)
    log += r.records
    assert dispatch([m], now=t0 + timedelta(minutes=4), history=log, **kw).messages == (m,)
    m2 = dispatch([m], now=t0 + timedelta(minutes=5), history=log, **kw).messages[0]
    assert (m2.attempts, m2.next_attempt_at) == (2, t0 + timedelta(minutes=15))
    # the third attempt would exceed the UK policy cap of 3 a day? no: 2 attempts so far
    m3 = dispatch([m2], now=t0 + timedelta(minutes=15), history=log, **kw).messages[0]
    assert (m3.status, m3.attempts, m3.last_error) == (MessageStatus.SENT, 3, None)
    assert [h.split(" ", 1)[1] for h in m3.history] == [
        "failed: gateway: status 503",
        "failed: gateway: status 503",
        "sent",
    ]


def test_gives_up_after_max_attempts_and_rejects_third_parties() -> None:
    policy = ContactPolicy.from_pack(load_pack("us"))
    tz = ZoneInfo("America/Chicago")
    t = datetime(2025, 3, 4, 10, 0, tzinfo=tz)
    kw = {
        "policy": policy,
        "channels": {"sms": Flaky(fail=99)},
        "address_for": lambda m: "+1",
        "tz_for": lambda _: tz,
        "max_attempts": 1,
    }
    [dead] = dispatch([_message(1, t)], now=t, history=[], **kw).messages
    assert (dead.status, dead.next_attempt_at) == (MessageStatus.FAILED, None)
    r = dispatch([_message(2, t, role="neighbour")], now=t, history=[], **kw)
    assert r.messages[0].status is MessageStatus.REJECTED
    assert r.records[0].rule == "contact.recipient"


ZONES = [
    "Asia/Shanghai",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Pacific/Kiritimati",
]


@settings(max_examples=30, deadline=None)
@given(
    pack=st.sampled_from(["cn", "us", "uk"]),
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1)),
    offsets=st.lists(st.integers(0, 6 * 86_400), min_size=1, max_size=25),
    fail=st.integers(0, 2),
    step_minutes=st.sampled_from([17, 60, 180]),
)
def test_no_message_is_sent_outside_hours_or_beyond_caps(
    pack: str, zone: str, start: datetime, offsets: list[int], fail: int, step_minutes: int
) -> None:
    policy = ContactPolicy.from_pack(load_pack(pack))
    tz = ZoneInfo(zone)
    t0 = start.replace(tzinfo=UTC)
    channel = Flaky(fail)
    outbox = [
        _message(k, t0 + timedelta(seconds=s), "sms" if k % 2 else "email")
        for k, s in enumerate(offsets)
    ]
    channels = {"sms": channel, "email": InAppChannel(name="email")}
    log: list = []
    now = t0
    while now < t0 + timedelta(days=14):
        r = dispatch(
            outbox,
            now=now,
            policy=policy,
            history=log,
            channels=channels,
            address_for=lambda m: "x",
            tz_for=lambda _: tz,
        )
        outbox, log = list(r.messages), log + list(r.records)
        now += timedelta(minutes=step_minutes)
    attempts = [c for c in log if c.outcome in (Outcome.SENT, Outcome.FAILED)]
    assert attempts  # something was delivered in two weeks
    for c in attempts:
        assert policy.start <= c.at.astimezone(tz).time() < policy.end
    days = Counter(c.at.astimezone(tz).date() for c in attempts)
    if policy.per_day is not None:
        assert max(days.values(), default=0) <= policy.per_day
    if policy.per_week is not None:
        for d in days:
            week = sum(n for e, n in days.items() if d - timedelta(days=6) <= e <= d)
            assert week <= policy.per_week
    # nothing is lost: every message was sent, or is still waiting for a lawful slot
    for m in outbox:
        assert m.status in (MessageStatus.SENT, MessageStatus.DEFERRED, MessageStatus.RETRYING)
    if pack == "us":  # every electronic message carried the opt-out notice
        assert all("STOP" in o.body for o in channel.delivered)
