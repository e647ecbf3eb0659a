"""Money: parsing, formatting, currency safety and loss-free splitting."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.errors import CurrencyMismatch, InvalidAmount
from accord.core.money import Money, total


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("¥-12.3", -1230),
        ("-¥12.30", -1230),
        ("0.01", 1),
        ("100000", 10000000),
        (".5", 50),
    ],
)
def test_parse(text: str, minor: int) -> None:
    assert Money.parse(text) == Money(minor, "CNY")


@pytest.mark.parametrize("text", ["", "abc", "12,34", "1.234", "--1", "1e5", "１２"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidAmount):
        Money.parse(text)


def test_format() -> None:
    assert Money.parse("1234.56").format() == "¥1,234.56"
    assert Money(-1000, "TWD").format() == "-NT$10.00"
    assert Money(5, "JPY").format(symbol=False) == "5"
    assert Money(123456).amount_str() == "1234.56"
    assert Money(-5).amount_str() == "-0.05"


def test_mixed_currencies_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(1, "CNY") + Money(1, "USD")
    with pytest.raises(CurrencyMismatch):
        _ = Money(1, "CNY") < Money(1, "USD")


def test_nonsense_refused() -> None:
    with pytest.raises(TypeError):
        Money(1) * Money(1)  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1) * 1.5  # type: ignore[operator]
    with pytest.raises(InvalidAmount):
        Money(1.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        Money.from_decimal(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        Money(1, "XXX")


def test_scale_rounds_half_up() -> None:
    assert Money(5).scale(Decimal("0.5")) == Money(3)
    assert Money(-5).scale(Decimal("0.5")) == Money(-3)
    assert Money(100).scale(Decimal("0.0049")) == Money(0)


def test_split_examples() -> None:
    assert [m.minor for m in Money(10000000).split(3)] == [3333334, 3333333, 3333333]
    assert [m.minor for m in Money(10).allocate([0, 1, 1])] == [0, 5, 5]
    with pytest.raises(ValueError, match="not all be zero"):
        Money(10).allocate([0, 0])


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(any),
)
def test_allocate_conserves_every_minor_unit(amount: int, weights: list[int]) -> None:
    parts = Money(amount).allocate(weights)
    assert total(parts).minor == amount
    wsum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        exact = Decimal(amount) * w / wsum
        assert abs(Decimal(part.minor) - exact) < 1


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["CNY", "TWD", "JPY"]))
def test_parse_format_roundtrip(minor: int, currency: str) -> None:
    m = Money(minor, currency)
    assert Money.parse(m.amount_str(), currency) == m
    assert Money.parse(m.format(symbol=False), currency) == m
