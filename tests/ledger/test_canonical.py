"""RFC 8785 canonical JSON: known answers, cross-check against the rfc8785 package, rejections."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.ledger.canonical import MAX_SAFE_INTEGER, canonicalize, parse_canonical
from accord.ledger.errors import CanonicalizationError

# RFC 8785 §3.2.3 sorting example: members must come out in UTF-16 code unit order.
RFC_SORT_EXAMPLE = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\U0001f600": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
}


def test_rfc_sorting_example_orders_by_utf16_code_units() -> None:
    out = canonicalize(RFC_SORT_EXAMPLE).decode()
    order = ["\\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    positions = [out.index(f'"{k}"') for k in order]
    assert positions == sorted(positions)
    # The emoji (surrogates D83D DE00) sorts before U+FB33 in UTF-16 but after it by code point.
    assert out.index("\U0001f600") < out.index("\ufb33")
    assert canonicalize(RFC_SORT_EXAMPLE) == rfc8785.dumps(RFC_SORT_EXAMPLE)


def test_string_escapes_follow_ecmascript() -> None:
    value = '"\\/\b\f\n\r\t\x00\x1f\x7f\u2028é'
    assert canonicalize(value) == b'"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\xe2\x80\xa8\xc3\xa9"'
    assert canonicalize(value) == rfc8785.dumps(value)


def test_literals_and_whitespace() -> None:
    assert canonicalize({"b": [True, False, None], "a": -0}) == b'{"a":0,"b":[true,false,null]}'


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_agrees_with_rfc8785_package(value: Any) -> None:
    ours = canonicalize(value)
    assert ours == rfc8785.dumps(value)
    assert parse_canonical(ours) == value


@pytest.mark.parametrize(
    "bad",
    [1.5, 0.0, {"x": [1e300]}, 2**53, -(2**53), "\ud800", {1: "int key"}, {"s": {1, 2}}, b"x"],
    ids=repr,
)
def test_rejects_values_outside_the_profile(bad: Any) -> None:
    with pytest.raises(CanonicalizationError):
        canonicalize(bad)


@pytest.mark.parametrize(
    "data",
    [
        b'{"b":1,"a":2}',  # member order
        b'{"a": 1}',  # whitespace
        b'{"a":1,"a":1}',  # duplicate member
        b'{"a":1.0}',  # float
        b'{"a":1e2}',  # exponent
        b'"\\u00e9"',  # needless escape
        b'{"a":NaN}',
        b"\xff",  # invalid UTF-8
        b"[1,]",
    ],
)
def test_parse_rejects_non_canonical_bytes(data: bytes) -> None:
    with pytest.raises(CanonicalizationError):
        parse_canonical(data)
