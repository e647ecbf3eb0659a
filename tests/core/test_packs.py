"""Jurisdiction packs: bundled packs load, every limit is cited, broken packs name the field."""

import copy
import json
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from accord.core.allocation import AllocationMode, Component
from accord.core.errors import PackError
from accord.core.money import Money
from accord.core.packs import BUNDLED, load_pack, parse_pack


def _raw(code: str) -> dict[str, Any]:
    text = resources.files("accord.core").joinpath("packs", f"{code}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.mark.parametrize("code", BUNDLED)
def test_bundled_packs_load(code: str) -> None:
    pack = load_pack(code)
    assert pack.code == code
    assert pack.product().code == pack.default_product
    assert pack.bucket_upper_dpd == (0, 30, 60, 90, 180)


def _walk(node: Any, path: str, out: list[tuple[str, dict[str, Any]]]) -> None:
    if isinstance(node, dict):
        out.append((path, node))
        for k, v in node.items():
            _walk(v, f"{path}.{k}", out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk(v, f"{path}[{i}]", out)


@pytest.mark.parametrize("code", BUNDLED)
def test_every_limit_carries_a_source(code: str) -> None:
    objs: list[tuple[str, dict[str, Any]]] = []
    _walk(_raw(code), code, objs)
    limit_keys = {"value", "rate", "kind", "table", "start", "upper_dpd", "order"}
    # rows of a rate table are covered by the table's own source
    limits = [(p, o) for p, o in objs if limit_keys & o.keys() and ".table[" not in p]
    assert len(limits) >= 10
    for path, obj in limits:
        assert isinstance(obj.get("source"), str), f"{path} has no source"
        assert len(obj["source"]) > 10, path


@pytest.mark.parametrize("code", BUNDLED)
def test_rates_are_strings_in_json(code: str) -> None:
    objs: list[tuple[str, dict[str, Any]]] = []
    _walk(_raw(code), code, objs)
    for path, obj in objs:
        for key in ("rate", "multiple", "amount", "minimum"):
            if key in obj and obj[key] is not None:
                assert isinstance(obj[key], str), f"{path}.{key}"


def test_cn_lpr_and_private_lending_cap() -> None:
    cn = load_pack("cn")
    lpr = cn.reference("lpr_1y")
    assert lpr.rate_on(date(2019, 8, 20)) == Decimal("0.0425")
    assert lpr.rate_on(date(2024, 10, 20)) == Decimal("0.0335")
    assert lpr.rate_on(date(2024, 10, 21)) == Decimal("0.0310")
    assert lpr.rate_on(date(2025, 5, 20)) == Decimal("0.0300")
    # 4 x LPR in force on the contract date
    assert cn.cap_rate(date(2024, 12, 1), "private_loan") == Decimal("0.1240")
    assert cn.cap_rate(date(2025, 6, 1), "private_loan") == Decimal("0.1200")
    with pytest.raises(PackError, match="no rate before"):
        cn.cap_rate(date(2019, 8, 19), "private_loan")
    dates = [d for d, _ in lpr.entries]
    assert dates == sorted(dates)
    assert all(Decimal("0.02") < r < Decimal("0.05") for _, r in lpr.entries)


def test_cn_card_rules() -> None:
    card = load_pack("cn").product("card")
    assert card.max_restructure_months.value == 60
    assert "第七十条" in card.max_restructure_months.source
    assert card.penalty.daily_rate(Decimal("0.1")) == Decimal("0.0005")
    assert card.late_fee.fee(Money(10000)) == Money(500)
    assert card.late_fee.fee(Money(0)).is_zero()
    loan = load_pack("cn").product("loan")
    assert loan.penalty.daily_rate(Decimal("0.072")) == Decimal("0.108") / 360
    alloc = load_pack("cn").allocation
    assert alloc.mode is AllocationMode.INSTALLMENT_FIRST
    assert alloc.order == (
        Component.FEES,
        Component.PENALTY,
        Component.INTEREST,
        Component.PRINCIPAL,
    )


def test_tw_card_cap_changes_on_2015_09_01() -> None:
    tw = load_pack("tw")
    assert tw.currency == "TWD"
    assert tw.cap_rate(date(2005, 9, 30)) == Decimal("0.20")
    assert tw.cap_rate(date(2015, 8, 31)) == Decimal("0.20")
    assert tw.cap_rate(date(2015, 9, 1)) == Decimal("0.15")
    assert "第四十七條之一" in tw.product("card").cap.source


def test_us_uk_contact_and_caps() -> None:
    us = load_pack("us")
    assert us.cap_rate(date(2025, 1, 1)) is None
    assert (us.contact.start.hour, us.contact.end.hour) == (8, 21)
    assert us.contact.max_attempts_per_week.value == 7
    uk = load_pack("uk")
    assert uk.cap_rate(date(2025, 1, 1), "hcstc") == Decimal("2.92")
    assert uk.product("hcstc").late_fee.fee(Money(1, "GBP")) == Money(1500, "GBP")


def test_unknown_pack_and_product() -> None:
    with pytest.raises(PackError, match="unknown pack"):
        load_pack("xx")
    with pytest.raises(PackError, match="no product"):
        load_pack("cn").product("mortgage")


def _broken(mutate: Any) -> dict[str, Any]:
    raw = copy.deepcopy(_raw("cn"))
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["products"]["card"]["cap"].pop("source"), "cn.products.card.cap.source"),
        (lambda r: r["products"]["loan"]["cap"].update(rate=0.24), "cn.products.loan.cap.rate"),
        (lambda r: r.update(currency="XXX"), "cn.currency"),
        (lambda r: r.update(timezone="Mars/Base"), "cn.timezone"),
        (lambda r: r["allocation"].update(order=["fees"]), "cn.allocation.order"),
        (lambda r: r["allocation"].update(mode="random"), "cn.allocation.mode"),
        (lambda r: r["buckets"].update(upper_dpd=[0, 30, 20, 90, 180]), "cn.buckets.upper_dpd"),
        (
            lambda r: r["reference_rates"]["lpr_1y"]["table"][1].update({"from": "2019-01-01"}),
            "cn.reference_rates.lpr_1y.table",
        ),
        (
            lambda r: r["products"]["private_loan"]["cap"].update(reference="shibor"),
            "cn.products.private_loan.cap.reference",
        ),
        (lambda r: r["contact"]["hours"].update(start="8am"), "cn.contact.hours.start"),
        (lambda r: r.pop("version"), "cn.version"),
        (lambda r: r.update(default_product="mortgage"), "no product"),
        (
            lambda r: r["products"]["card"]["late_fee"].update(rate="-1"),
            "cn.products.card.late_fee.rate",
        ),
    ],
)
def test_broken_pack_names_the_field(mutate: Any, field: str) -> None:
    with pytest.raises(PackError, match=field.replace("[", r"\[").replace(".", r"\.")):
        parse_pack(_broken(mutate), where="cn")


def test_pack_is_frozen() -> None:
    pack = load_pack("cn")
    with pytest.raises(AttributeError):
        pack.code = "us"  # type: ignore[misc]
