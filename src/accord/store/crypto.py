"""Field-level encryption of personal data at rest (AES-256-GCM, per-field associated data).

The associated data binds a ciphertext to its tenant, table and column, so a value copied into
another row or tenant fails to decrypt instead of leaking.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
VERSION = b"\x01"


class FieldCipher:
    """Encrypts and decrypts short text values with one 32-byte key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("field encryption key must be 32 bytes")
        self._aead = AESGCM(key)

    def encrypt(self, value: str | None, *, context: str) -> bytes | None:
        """``version || nonce || ciphertext+tag`` for ``value``; ``None`` stays ``None``."""
        if value is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        ct = self._aead.encrypt(nonce, value.encode("utf-8"), context.encode("utf-8"))
        return VERSION + nonce + ct

    def decrypt(self, blob: bytes | None, *, context: str) -> str | None:
        """Inverse of :meth:`encrypt`; raises ``cryptography.exceptions.InvalidTag`` if tampered."""
        if blob is None:
            return None
        if blob[:1] != VERSION:
            raise ValueError("unknown ciphertext version")
        nonce, ct = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        return self._aead.decrypt(nonce, ct, context.encode("utf-8")).decode("utf-8")


def mask_phone(phone: str) -> str:
    """Display form that never shows a full number: ``138****5678``."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(id_number: str) -> str:
    """Display form of an ID number: first 3 and last 2 characters only."""
    s = id_number.strip()
    if len(s) <= 5:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 5) + s[-2:]
