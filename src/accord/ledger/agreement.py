"""Agreement acceptance: both parties sign the hash of the agreed terms.

``agreement_hash = SHA-256(canonical JSON of the terms)``. Each party signs the message
``b"accord.agreement.v1\\n" + hex(agreement_hash) + b"\\n"`` (ASCII); the fixed prefix separates
these signatures from entry signatures, which always cover a JSON object. The acceptance entry
(type ``agreement.accepted``) carries the payload::

    {"agreement_hash": hex, "creditor": party, "debtor": party,
     "signatures": {"creditor": {"kid": ..., "sig": base64}, "debtor": {"kid": ..., "sig": ...}}}

and the verifier checks both signatures, and that each key belongs to the named party.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from accord.ledger.canonical import JsonValue, canonicalize
from accord.ledger.errors import EntryError, SignatureError, UnknownKey
from accord.ledger.keys import PublicKey, SigningKey

ACCEPTANCE_TYPE = "agreement.accepted"
ROLES = ("creditor", "debtor")


def agreement_hash(terms: Mapping[str, JsonValue]) -> bytes:
    """SHA-256 of the canonical JSON of the agreement terms."""
    return hashlib.sha256(canonicalize(terms)).digest()


def agreement_message(digest: bytes) -> bytes:
    """The exact bytes each party signs to accept the agreement with hash ``digest``."""
    return b"accord.agreement.v1\n" + digest.hex().encode() + b"\n"


def sign_agreement(digest: bytes, key: SigningKey) -> dict[str, str]:
    """One party's acceptance signature as ``{"kid", "sig"}`` (base64 signature)."""
    sig = key.sign(agreement_message(digest))
    return {"kid": key.kid, "sig": base64.b64encode(sig).decode()}


def acceptance_payload(
    digest: bytes, *, creditor: SigningKey, debtor: SigningKey
) -> dict[str, JsonValue]:
    """Payload of an ``agreement.accepted`` entry signed by both parties' keys."""
    return {
        "agreement_hash": digest.hex(),
        "creditor": creditor.party,
        "debtor": debtor.party,
        "signatures": {
            "creditor": sign_agreement(digest, creditor),
            "debtor": sign_agreement(digest, debtor),
        },
    }


def verify_acceptance(payload: Mapping[str, Any], keys: Mapping[str, PublicKey]) -> None:
    """Check both parties' signatures over the agreement hash in an acceptance payload."""
    try:
        digest = bytes.fromhex(payload["agreement_hash"])
        sigs = payload["signatures"]
        if len(digest) != 32 or set(sigs) != set(ROLES):
            raise ValueError("need a 32-byte hash and exactly a creditor and a debtor signature")
        for role in ROLES:
            party, kid = payload[role], sigs[role]["kid"]
            sig = base64.b64decode(sigs[role]["sig"], validate=True)
            key = keys.get(kid)
            if key is None:
                raise UnknownKey(f"{role} acceptance by unknown key id {kid}")
            if key.party != party:
                raise SignatureError(f"{role} key {kid} belongs to {key.party}, not {party}")
            if not key.verify(sig, agreement_message(digest)):
                raise SignatureError(f"bad {role} acceptance signature by {party}")
    except (KeyError, TypeError, ValueError) as exc:
        raise EntryError(f"malformed acceptance payload: {exc}") from None
