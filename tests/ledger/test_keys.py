"""Ed25519 keys, key ids, custody wrapping and salted commitments."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from accord.ledger.errors import KeyCustodyError, PreconditionError
from accord.ledger.keys import (
    PublicKey,
    SigningKey,
    WrappedKey,
    generate_signing_key,
    key_id,
    unwrap_private_key,
    wrap_private_key,
)
from accord.ledger.privacy import commit, new_salt, opens

KEK = bytes(range(32))


def test_kid_is_the_first_8_bytes_of_sha256_of_the_raw_key() -> None:
    key = generate_signing_key("creditor:acme")
    raw = key.public.raw
    assert key.kid == hashlib.sha256(raw).hexdigest()[:16] == key_id(raw)


def test_sign_and_verify() -> None:
    key = generate_signing_key("debtor:1")
    sig = key.sign(b"hello")
    assert key.public.verify(sig, b"hello")
    assert not key.public.verify(sig, b"hellO")
    assert not generate_signing_key("debtor:1").public.verify(sig, b"hello")


def test_public_key_json_round_trip_checks_the_kid() -> None:
    pub = generate_signing_key("mediator:m").public
    assert PublicKey.from_json(pub.to_json()) == pub
    forged = {**pub.to_json(), "kid": "00" * 8}
    with pytest.raises(PreconditionError):
        PublicKey.from_json(forged)


def test_party_names_must_be_note_safe() -> None:
    with pytest.raises(PreconditionError):
        generate_signing_key("has space")
    with pytest.raises(PreconditionError):
        generate_signing_key("a+b")


def test_wrap_unwrap_round_trip_through_json() -> None:
    key = generate_signing_key("creditor:acme")
    wrapped = WrappedKey.from_json(wrap_private_key(key, KEK).to_json())
    back = unwrap_private_key(wrapped, KEK)
    assert back.kid == key.kid
    assert back.sign(b"m") == key.sign(b"m")  # Ed25519 is deterministic
    assert key.private.private_bytes_raw() not in repr(wrapped.to_json()).encode()


def test_unwrap_fails_with_wrong_kek_or_tampering() -> None:
    key = generate_signing_key("creditor:acme")
    wrapped = wrap_private_key(key, KEK)
    with pytest.raises(KeyCustodyError):
        unwrap_private_key(wrapped, bytes(32))
    flipped = bytearray(wrapped.ciphertext)
    flipped[0] ^= 1
    with pytest.raises(KeyCustodyError):
        unwrap_private_key(dataclasses.replace(wrapped, ciphertext=bytes(flipped)), KEK)
    with pytest.raises(KeyCustodyError):  # relabelled to another party: AAD no longer matches
        unwrap_private_key(dataclasses.replace(wrapped, party="debtor:x"), KEK)


def test_signing_key_repr_hides_the_secret() -> None:
    key = SigningKey.from_seed("log:x", bytes(32))
    assert "private" not in repr(key)
    assert key.kid in repr(key)


def test_commitments_hide_and_bind() -> None:
    salt = new_salt()
    c = commit("110101199003077777", salt)
    assert len(c) == 64
    assert "110101199003077777" not in c
    assert opens(c, "110101199003077777", salt)
    assert not opens(c, "110101199003077778", salt)
    assert commit("110101199003077777", new_salt()) != c
    with pytest.raises(PreconditionError):
        commit("x", b"short")
