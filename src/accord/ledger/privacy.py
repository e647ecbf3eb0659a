"""Salted commitments, so ledger entries carry evidence of personal data, never the data.

``commit(value, salt) = hex(HMAC-SHA256(key=salt, msg=UTF-8(value)))``. The salt (at least 16
random bytes, kept with the personal data in the encrypted store, never in the ledger) makes the
commitment hiding — a national id cannot be found by hashing every candidate — and HMAC makes it
binding. Whoever holds the value and its salt can later open the commitment for an auditor.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from accord.ledger.errors import PreconditionError

MIN_SALT_BYTES = 16


def new_salt() -> bytes:
    """A fresh 32-byte random salt."""
    return os.urandom(32)


def commit(value: str, salt: bytes) -> str:
    """Hex HMAC-SHA256 of ``value`` keyed by ``salt`` (salt must be at least 16 bytes)."""
    if len(salt) < MIN_SALT_BYTES:
        raise PreconditionError(f"salt must be at least {MIN_SALT_BYTES} bytes")
    return hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()


def opens(commitment: str, value: str, salt: bytes) -> bool:
    """True when ``(value, salt)`` opens ``commitment`` (constant-time comparison)."""
    return hmac.compare_digest(commit(value, salt), commitment)
