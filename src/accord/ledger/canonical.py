"""RFC 8785 JSON Canonicalization Scheme (JCS), restricted to the values ledger entries use.

Canonical form: no whitespace; object members sorted by the UTF-16 code units of their names;
strings written as ECMAScript ``JSON.stringify`` does — ``"`` and ``\\`` escaped, U+0008, U+0009,
U+000A, U+000C, U+000D as ``\\b \\t \\n \\f \\r``, every other control character below U+0020 as
``\\u00xx`` (lower-case hex), everything else (including non-ASCII) as raw UTF-8; ``true``,
``false``, ``null``; integers in plain decimal.

**Numbers: integers only, and only within ±(2**53 − 1).** RFC 8785 serialises numbers as IEEE-754
doubles using ECMAScript's shortest round-trip formatting. Ledger entries never need binary
floats — money is integer minor units and rates are decimal *strings* — so floats are rejected
rather than reproduced, which removes the one subtle part of JCS and any chance that two
implementations disagree on a booked amount. Integers beyond 2**53 − 1 are rejected because a
double cannot represent them exactly (I-JSON, RFC 7493). Strings with lone surrogates are
rejected (they are not valid UTF-8). For these inputs the output is byte-identical to RFC 8785.

Standard library only: the verifier must run with nothing but ``cryptography`` installed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from accord.ledger.errors import CanonicalizationError

JsonValue = None | bool | int | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
MAX_SAFE_INTEGER = 2**53 - 1

# json.dumps with ensure_ascii=False escapes exactly '"', '\\' and U+0000..U+001F, using the
# short forms \b \t \n \f \r and \u00xx (lower-case) for the rest: the ECMAScript rules.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _utf16_key(name: str) -> bytes:
    # Big-endian UTF-16 bytes compare exactly like sequences of UTF-16 code units.
    return name.encode("utf-16-be", "surrogatepass")


def _normalise(value: Any, path: str) -> Any:
    """Validate ``value`` and return a copy whose dicts are in canonical member order."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return int(value)
        raise CanonicalizationError(f"{path}: integer {value} outside ±(2**53 - 1)")
    if isinstance(value, float):
        raise CanonicalizationError(f"{path}: floats are not allowed in ledger JSON ({value!r})")
    if isinstance(value, Mapping):
        out = {}
        for name in value:
            if not isinstance(name, str):
                raise CanonicalizationError(f"{path}: object key {name!r} is not a string")
        names = sorted(value) if all(k.isascii() for k in value) else sorted(value, key=_utf16_key)
        for name in names:
            out[name] = _normalise(value[name], f"{path}.{name}")
        return out
    if isinstance(value, list | tuple):
        return [_normalise(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise CanonicalizationError(f"{path}: {type(value).__name__} is not a JSON value")


def canonicalize(value: JsonValue) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value`` (see the module notes on numbers).

    Accepts ``None``, ``bool``, ``int`` (|n| <= 2**53 - 1), ``str``, lists/tuples and mappings
    with string keys; raises :class:`CanonicalizationError` for anything else (floats included).
    """
    text = _ENCODER.encode(_normalise(value, "$"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalizationError(f"string contains a lone surrogate: {exc.reason}") from None


def _reject_float(text: str) -> Any:
    raise CanonicalizationError(f"non-integer number {text} in ledger JSON")


def _reject_constant(text: str) -> Any:
    raise CanonicalizationError(f"{text} is not JSON")


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise CanonicalizationError(f"integer {text} outside ±(2**53 - 1)")
    return value


def _before(a: str, b: str) -> bool:
    """True when ``a`` sorts strictly before ``b`` in UTF-16 code unit order."""
    if a.isascii() and b.isascii():
        return a < b  # the common case: code point order equals code unit order
    return _utf16_key(a) < _utf16_key(b)


def _canonical_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Members must already be in strictly increasing canonical order; this also rules out
    # duplicates. Keeping document order lets the C encoder reproduce the input exactly.
    for (a, _), (b, _) in pairwise(pairs):
        if not _before(a, b):
            if a == b:
                raise CanonicalizationError(f"duplicate object member {a!r}")
            raise CanonicalizationError(f"members {a!r} and {b!r} are not in canonical order")
    return dict(pairs)


_DECODER = json.JSONDecoder(
    parse_float=_reject_float,
    parse_int=_safe_int,
    parse_constant=_reject_constant,
    object_pairs_hook=_canonical_members,
)


def encode_parsed(value: Any) -> bytes:
    """Serialise a value returned by :func:`parse_canonical` (or a part of one) canonically.

    Such values already have canonical member order and only safe integers, so the C JSON
    encoder alone produces the canonical bytes; used by the verifier's hot path.
    """
    return _ENCODER.encode(value).encode("utf-8", "surrogatepass")


def parse_canonical(data: bytes) -> Any:
    """Parse bytes that must already be canonical JSON; raise if they are not.

    Rejects invalid UTF-8, duplicate or unsorted member names, non-integer or unsafe numbers and
    any other byte difference from the canonical form (whitespace, escapes, ``1E2``...).
    """
    try:
        text = data.decode("utf-8")
        value = _DECODER.decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CanonicalizationError(f"not JSON: {exc}") from None
    if encode_parsed(value) != data:
        raise CanonicalizationError("JSON is valid but not in RFC 8785 canonical form")
    return value
