"""Ed25519 party keys: generation, key ids, public-key serialisation, custody at rest.

A *key id* (``kid``) is the first 8 bytes of ``SHA-256(raw 32-byte public key)`` in lower-case
hex (16 characters), in the spirit of the key hashes of C2SP signed notes. Each key belongs to a
*party* (``creditor:acme``, ``debtor:7f3a…``, ``log:accord.example/demo``): the name under which it
signs entries and, for the log and witnesses, checkpoint notes (a note name must contain no
whitespace and no ``+``).

Custody: :func:`wrap_private_key` encrypts the 32-byte private seed with AES-256-GCM under a
key-encryption key (KEK) supplied by the caller (from a KMS, an HSM or a passphrase KDF — not our
concern here). The associated data binds the ciphertext to the party and kid, so a wrapped key
cannot be relabelled; :func:`unwrap_private_key` checks the unwrapped key's kid.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from accord.ledger.canonical import canonicalize
from accord.ledger.errors import KeyCustodyError, PreconditionError

KID_BYTES = 8
WRAP_FORMAT = "accord-wrapped-ed25519-v1"


def key_id(raw_public_key: bytes) -> str:
    """Key id of a raw Ed25519 public key: hex of the first 8 bytes of its SHA-256."""
    if len(raw_public_key) != 32:
        raise PreconditionError("an Ed25519 public key is 32 bytes")
    return hashlib.sha256(raw_public_key).digest()[:KID_BYTES].hex()


@lru_cache(maxsize=4096)
def _ed25519(raw: bytes) -> Ed25519PublicKey:
    # Loading a key costs about a tenth of a verification; a bundle reuses a handful of keys.
    return Ed25519PublicKey.from_public_bytes(raw)


def _check_party(party: str) -> None:
    if not party or any(c.isspace() for c in party) or "+" in party:
        raise PreconditionError(f"party name {party!r} must be non-empty, no spaces, no '+'")


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A party's Ed25519 public key (32 raw bytes) and the party name it signs as."""

    party: str
    raw: bytes

    def __post_init__(self) -> None:
        _check_party(self.party)
        if len(self.raw) != 32:
            raise PreconditionError("an Ed25519 public key is 32 bytes")

    @property
    def kid(self) -> str:
        """Key id: hex of the first 8 bytes of SHA-256(raw)."""
        return key_id(self.raw)

    def verify(self, signature: bytes, message: bytes) -> bool:
        """True when ``signature`` is a valid Ed25519 signature of ``message`` by this key."""
        try:
            _ed25519(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, str]:
        """``{"party", "kid", "public_key"}`` with the key in standard base64 (keys.json form)."""
        return {
            "party": self.party,
            "kid": self.kid,
            "public_key": base64.b64encode(self.raw).decode(),
        }

    @classmethod
    def from_json(cls, obj: Any) -> PublicKey:
        """Inverse of :meth:`to_json`; checks that the stated kid matches the key."""
        try:
            key = cls(obj["party"], base64.b64decode(obj["public_key"], validate=True))
            stated = obj["kid"]
        except (KeyError, TypeError, ValueError) as exc:
            raise PreconditionError(f"malformed public key record: {exc}") from None
        if stated != key.kid:
            raise PreconditionError(f"kid {stated} does not match key (computed {key.kid})")
        return key


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A party's Ed25519 private key. Never logged, never serialised except wrapped."""

    party: str
    private: Ed25519PrivateKey

    def __post_init__(self) -> None:
        _check_party(self.party)

    def __repr__(self) -> str:
        return f"SigningKey(party={self.party!r}, kid={self.kid!r})"

    @property
    def public(self) -> PublicKey:
        """The matching public key."""
        return PublicKey(self.party, self.private.public_key().public_bytes_raw())

    @property
    def kid(self) -> str:
        """Key id of the public key."""
        return self.public.kid

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature (64 bytes, deterministic per RFC 8032) of ``message``."""
        return self.private.sign(message)

    @classmethod
    def from_seed(cls, party: str, seed: bytes) -> SigningKey:
        """Rebuild a key from its 32-byte private seed."""
        if len(seed) != 32:
            raise PreconditionError("an Ed25519 private seed is 32 bytes")
        return cls(party, Ed25519PrivateKey.from_private_bytes(seed))


def generate_signing_key(party: str) -> SigningKey:
    """Generate a fresh Ed25519 key for ``party`` from the operating system's CSPRNG."""
    return SigningKey(party, Ed25519PrivateKey.generate())


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A private key encrypted at rest: AES-256-GCM of the seed, bound to party and kid."""

    party: str
    kid: str
    nonce: bytes
    ciphertext: bytes

    def associated_data(self) -> bytes:
        """AAD of the encryption: canonical JSON of the format, party and kid."""
        return canonicalize({"format": WRAP_FORMAT, "kid": self.kid, "party": self.party})

    def to_json(self) -> dict[str, str]:
        """JSON form, with nonce and ciphertext in standard base64."""
        return {
            "format": WRAP_FORMAT,
            "party": self.party,
            "kid": self.kid,
            "nonce": base64.b64encode(self.nonce).decode(),
            "ciphertext": base64.b64encode(self.ciphertext).decode(),
        }

    @classmethod
    def from_json(cls, obj: Any) -> WrappedKey:
        """Inverse of :meth:`to_json`."""
        try:
            if obj["format"] != WRAP_FORMAT:
                raise KeyCustodyError(f"unknown wrapped key format {obj['format']!r}")
            return cls(
                obj["party"],
                obj["kid"],
                base64.b64decode(obj["nonce"], validate=True),
                base64.b64decode(obj["ciphertext"], validate=True),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyCustodyError(f"malformed wrapped key: {exc}") from None


def _check_kek(kek: bytes) -> None:
    if len(kek) != 32:
        raise PreconditionError("the key-encryption key must be 32 bytes (AES-256)")


def wrap_private_key(key: SigningKey, kek: bytes) -> WrappedKey:
    """Encrypt ``key``'s seed under the 32-byte ``kek`` with AES-256-GCM and a random nonce."""
    _check_kek(kek)
    seed = key.private.private_bytes_raw()
    shell = WrappedKey(key.party, key.kid, os.urandom(12), b"")
    ct = AESGCM(kek).encrypt(shell.nonce, seed, shell.associated_data())
    return WrappedKey(shell.party, shell.kid, shell.nonce, ct)


def unwrap_private_key(wrapped: WrappedKey, kek: bytes) -> SigningKey:
    """Decrypt a wrapped key; raise :class:`KeyCustodyError` on a wrong KEK or any tampering."""
    _check_kek(kek)
    try:
        seed = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, wrapped.associated_data())
    except InvalidTag:
        raise KeyCustodyError(f"cannot unwrap key {wrapped.kid}: wrong KEK or tampered") from None
    key = SigningKey.from_seed(wrapped.party, seed)
    if key.kid != wrapped.kid:
        raise KeyCustodyError(f"unwrapped key has kid {key.kid}, expected {wrapped.kid}")
    return key
