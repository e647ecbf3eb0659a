"""Acceptance signatures: each party signs the agreement hash with Ed25519.

The signed bytes are ``b"accord.agreement.v1\\n" + hex(agreement_hash) + b"\\n"`` (ASCII), the
same message as :mod:`accord.ledger`'s agreement acceptance, so a signature made here verifies
there. Signatures travel as standard base64; public keys as 64 lower-case hex digits.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature as _BadSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from accord.agreements.terms import AgreementTerms, terms_hash


def agreement_message(agreement_hash: str) -> bytes:
    """The exact bytes a party signs to accept the agreement with hex hash ``agreement_hash``."""
    return b"accord.agreement.v1\n" + agreement_hash.encode("ascii") + b"\n"


def public_key_hex(key: Ed25519PrivateKey) -> str:
    """Raw public key of ``key`` as 64 lower-case hex digits (the form terms carry)."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign_terms(key: Ed25519PrivateKey, terms: AgreementTerms) -> str:
    """Base64 Ed25519 signature by ``key`` over the agreement message of ``terms``."""
    return base64.b64encode(key.sign(agreement_message(terms_hash(terms)))).decode("ascii")


def verify_signature(public_hex: str, agreement_hash: str, signature_b64: str) -> bool:
    """True when ``signature_b64`` is a valid signature by ``public_hex`` of the message."""
    try:
        pub = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        sig = base64.b64decode(signature_b64, validate=True)
        pub.verify(sig, agreement_message(agreement_hash))
    except (ValueError, binascii.Error, _BadSignature):
        return False
    return True
