"""Reason catalogue of the compliance engine (message id → zh-CN, en)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    "compliance.contact.recipient": (
        "不得向与债务无关的第三方（{role}）催收。",
        "Collection contact with an unrelated third party ({role}) is not allowed.",
    ),
    "compliance.contact.flag.dispute": (
        "存在未解决的争议，暂停联系。",
        "A dispute is recorded; contact is on hold.",
    ),
    "compliance.contact.flag.hardship": (
        "债务人已申报困难或处于暂停还款期，暂停联系。",
        "A hardship declaration or pause is recorded; contact is on hold.",
    ),
    "compliance.contact.flag.representation": (
        "债务人已委托代理人，请联系代理人。",
        "The debtor is represented; contact the representative instead.",
    ),
    "compliance.contact.opt_out_notice": (
        "{channel} 消息缺少退订说明。",
        "The {channel} message lacks the required opt-out notice.",
    ),
    "compliance.contact.hours": (
        "仅可在当地时间 {start}–{end} 联系，已顺延至下一个可联系时段。",
        "Contact is allowed only between {start} and {end} local time; moved to the next slot.",
    ),
    "compliance.contact.after_conversation": (
        "{since} 已通话，{days} 天内不再联系。",
        "A conversation took place on {since}; no contact for {days} days.",
    ),
    "compliance.contact.daily_cap": (
        "今日联系次数已达上限 {cap} 次。",
        "Today's limit of {cap} contact attempts is reached.",
    ),
    "compliance.contact.weekly_cap": (
        "{days} 天内联系次数已达上限 {cap} 次。",
        "The limit of {cap} contact attempts in {days} days is reached.",
    ),
}


def explain(reason_id: str, params: Mapping[str, Any], locale: str = "zh-CN") -> str:
    """Render a compliance reason in ``locale`` (``zh-CN`` or ``en``)."""
    zh, en = CATALOGUE[reason_id]
    return (zh if locale == "zh-CN" else en).format(**params)
