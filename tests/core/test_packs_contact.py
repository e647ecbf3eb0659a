"""Lawful-contact fields of the jurisdiction packs: values, citations and validation."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from accord.core.errors import PackError
from accord.core.packs import load_pack, parse_pack


def _raw(code: str) -> dict[str, Any]:
    text = resources.files("accord.core").joinpath("packs", f"{code}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_cn_contact_rules_from_the_collection_guideline() -> None:
    c = load_pack("cn").contact
    assert (c.start.hour, c.end.hour) == (8, 22)
    assert c.max_attempts_per_day.value == 3
    assert c.permitted_recipients == ("debtor", "guarantor")
    assert c.record_retention_days.value == 730
    assert "第六十八条" in c.recipients_source
    assert "verify:" in c.hours_source  # the standard number is not confirmed yet


def test_us_regulation_f_rules() -> None:
    c = load_pack("us").contact
    assert c.max_attempts_per_week.value == 7
    assert c.window_days == 7
    assert c.quiet_after_conversation_days.value == 7
    assert c.opt_out_channels == ("email", "sms")
    assert "1006.6(e)" in c.opt_out_source


def test_uk_forbearance_duties_are_listed() -> None:
    c = load_pack("uk").contact
    assert any("CONC 7.3.4R" in f.source for f in c.forbearance)
    assert "hardship" in c.blocking_flags


def test_pack_without_new_fields_gets_conservative_defaults() -> None:
    c = load_pack("tw").contact
    assert c.permitted_recipients == ("debtor",)
    assert set(c.blocking_flags) == {"dispute", "hardship", "representation"}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda c: c["hours"].update(start="23:00"), "cn.contact.hours"),
        (lambda c: c.update(window_days=0), "cn.contact.window_days"),
        (lambda c: c["permitted_recipients"].update(values=["debtor", 3]), "permitted_recipients"),
        (lambda c: c["blocking_flags"].pop("source"), "cn.contact.blocking_flags.source"),
    ],
)
def test_broken_contact_rules_name_the_field(mutate: Any, field: str) -> None:
    raw = copy.deepcopy(_raw("cn"))
    mutate(raw["contact"])
    with pytest.raises(PackError, match=field.replace(".", r"\.")):
        parse_pack(raw, where="cn")
