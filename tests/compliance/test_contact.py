"""Lawful contact: each rule blocks with its citation and reschedules to the next lawful slot;
property: a dispatcher that always waits for the next lawful slot never breaks hours or caps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compliance import (
    Attempt,
    ContactPolicy,
    ContactRecord,
    Outcome,
    check,
    next_lawful_slot,
    retained,
)
from accord.compliance.reasons import CATALOGUE, explain
from accord.core.packs import load_pack

CN = ContactPolicy.from_pack(load_pack("cn"))
US = ContactPolicy.from_pack(load_pack("us"))
SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


def at(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


def sent(t: datetime, channel: str = "sms", outcome: Outcome = Outcome.SENT) -> ContactRecord:
    return ContactRecord("d1", t, channel, "debtor", outcome)


def test_cn_night_contact_moves_to_eight_in_the_morning() -> None:
    d = check(CN, Attempt("d1", at(SH, 2025, 3, 1, 22, 0), "sms", "debtor"), [], SH)
    assert (d.allowed, d.rule) == (False, "contact.hours")
    assert d.next_slot == at(SH, 2025, 3, 2, 8, 0)
    assert "22:00" in d.source
    assert check(CN, Attempt("d1", at(SH, 2025, 3, 1, 21, 59), "sms", "debtor"), [], SH).allowed
    early = check(CN, Attempt("d1", at(SH, 2025, 3, 1, 7, 59), "sms", "debtor"), [], SH)
    assert early.next_slot == at(SH, 2025, 3, 1, 8, 0)


def test_cn_three_attempts_a_day_across_channels_then_next_morning() -> None:
    hist = [
        sent(at(SH, 2025, 3, 1, h, 0), ch) for h, ch in ((9, "sms"), (10, "email"), (11, "call"))
    ]
    d = check(CN, Attempt("d1", at(SH, 2025, 3, 1, 12, 0), "email", "debtor"), hist, SH)
    assert (d.rule, d.params, d.next_slot) == (
        "contact.daily_cap",
        {"cap": 3},
        at(SH, 2025, 3, 2, 8),
    )
    # another debtor's contacts do not count
    other = [ContactRecord("d2", r.at, r.channel, "debtor", r.outcome) for r in hist]
    assert check(CN, Attempt("d1", at(SH, 2025, 3, 1, 12), "email", "debtor"), other, SH).allowed


def test_cn_only_debtor_and_guarantor_never_third_parties() -> None:
    t = at(SH, 2025, 3, 1, 10)
    assert check(CN, Attempt("d1", t, "sms", "guarantor"), [], SH).allowed
    d = check(CN, Attempt("d1", t, "sms", "contact_person"), [], SH)
    assert (d.rule, d.permanent, d.next_slot) == ("contact.recipient", True, None)
    assert "第六十八条" in d.source
    assert next_lawful_slot(CN, Attempt("d1", t, "sms", "colleague"), [], SH) is None


@pytest.mark.parametrize("flag", ["dispute", "hardship", "representation"])
def test_flags_hold_contact(flag: str) -> None:
    d = check(CN, Attempt("d1", at(SH, 2025, 3, 1, 10), "sms", "debtor"), [], SH, frozenset({flag}))
    assert (d.allowed, d.rule, d.next_slot, d.permanent) == (
        False,
        f"contact.flag.{flag}",
        None,
        False,
    )
    assert explain(d.reason_id, d.params, "en")


def test_us_seven_in_seven_days_and_quiet_week_after_conversation() -> None:
    hist = [sent(at(NY, 2025, 3, d, 10)) for d in range(1, 8)]
    d = check(US, Attempt("d1", at(NY, 2025, 3, 7, 15), "sms", "debtor", True), hist, NY)
    assert d.rule == "contact.weekly_cap"
    assert d.next_slot == at(NY, 2025, 3, 8, 8)  # the 1 March attempt leaves the window
    talk = [sent(at(NY, 2025, 3, 10, 10), "call", Outcome.CONVERSATION)]
    q = check(US, Attempt("d1", at(NY, 2025, 3, 16, 10), "sms", "debtor", True), talk, NY)
    assert (q.rule, q.next_slot) == ("contact.after_conversation", at(NY, 2025, 3, 17, 8))
    assert "1006.14" in q.source


def test_us_electronic_messages_need_an_opt_out_notice() -> None:
    t = at(NY, 2025, 3, 3, 10)
    d = check(US, Attempt("d1", t, "email", "debtor", has_opt_out_notice=False), [], NY)
    assert (d.rule, d.permanent) == ("contact.opt_out_notice", True)
    assert check(US, Attempt("d1", t, "email", "debtor", has_opt_out_notice=True), [], NY).allowed


def test_us_hours_follow_daylight_saving_in_local_time() -> None:
    # 2025-03-09 is the spring-forward day in New York: 08:00 local is 12:00 UTC, not 13:00
    t = datetime(2025, 3, 9, 11, 30, tzinfo=UTC)  # 07:30 EDT
    slot = next_lawful_slot(US, Attempt("d1", t, "sms", "debtor", True), [], NY)
    assert slot == datetime(2025, 3, 9, 12, 0, tzinfo=UTC)


def test_retention_keeps_records_two_years_in_cn() -> None:
    now = at(SH, 2027, 3, 2, 0)
    old, young = sent(at(SH, 2025, 3, 1, 10)), sent(at(SH, 2025, 3, 3, 10))
    assert retained([old, young], now, CN) == (young,)
    assert CN.retention_days == 730


def test_every_reason_has_both_languages() -> None:
    for rid, (zh, en) in CATALOGUE.items():
        assert rid.startswith("compliance.")
        assert zh
        assert en


ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "America/Los_Angeles",
         "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    pack=st.sampled_from(["cn", "us", "uk"]),
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)),
    gaps=st.lists(st.integers(0, 36 * 3600), min_size=1, max_size=40),
    talks=st.lists(st.integers(0, 30 * 86400), max_size=2),
    channels=st.lists(st.sampled_from(["sms", "email", "webhook", "in_app"]), min_size=1),
)
def test_dispatch_at_next_lawful_slot_never_breaks_hours_or_caps(
    pack: str, zone: str, start: datetime, gaps: list[int], talks: list[int], channels: list[str]
) -> None:
    policy = ContactPolicy.from_pack(load_pack(pack))
    tz = ZoneInfo(zone)
    t0 = start.replace(tzinfo=UTC)
    history = [sent(t0 + timedelta(seconds=s), "call", Outcome.CONVERSATION) for s in talks]
    history.sort(key=lambda r: r.at)
    want = t0
    for k, gap in enumerate(gaps):
        want += timedelta(seconds=gap)
        attempt = Attempt("d1", want, channels[k % len(channels)], "debtor", True)
        # conversations are known in advance here, so the dispatcher sees all of them
        slot = next_lawful_slot(policy, attempt, history, tz)
        assert slot is not None
        assert slot >= want
        assert check(
            policy, Attempt("d1", slot, attempt.channel, "debtor", True), history, tz
        ).allowed
        history.append(sent(slot, attempt.channel))
        want = slot
    for r in history:
        if r.outcome is not Outcome.SENT:
            continue
        local = r.at.astimezone(tz)
        today = local.date()
        assert policy.start <= local.time() < policy.end
        before = [x for x in history if x.at <= r.at]
        for x in before:
            if x.outcome is Outcome.CONVERSATION and policy.quiet_days:
                assert today >= x.at.astimezone(tz).date() + timedelta(days=policy.quiet_days)
        dates = [x.at.astimezone(tz).date() for x in before]
        if policy.per_day is not None:
            assert sum(d == today for d in dates) <= policy.per_day
        if policy.per_week is not None:
            assert sum(today - timedelta(days=6) <= d <= today for d in dates) <= policy.per_week
