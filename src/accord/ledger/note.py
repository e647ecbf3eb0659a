"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.

A signed note is UTF-8 text ending in a newline, a blank line, then one or more signature lines
``"— " name " " base64(key_hash || signature) "\\n"`` (U+2014 EM DASH and a space). ``key_hash``
is the first 4 bytes of ``SHA-256(name || "\\n" || 0x01 || public_key)`` (0x01 = Ed25519) and the
signature covers the text including its final newline but not the blank line. Verifiers ignore
lines from keys they do not know, fail on a known key whose signature is bad, and require at least
one verified signature. Text must contain no control characters other than newline.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.ledger.errors import MalformedNote, PreconditionError, SignatureError
from accord.ledger.keys import PublicKey, SigningKey

ALG_ED25519 = b"\x01"
SIG_PREFIX = "— "
MAX_SIGNATURES = 100


def note_key_hash(name: str, raw_public_key: bytes) -> bytes:
    """C2SP key hash: first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    return hashlib.sha256(name.encode() + b"\n" + ALG_ED25519 + raw_public_key).digest()[:4]


def verifier_key(key: PublicKey) -> str:
    """The note verifier key string ``name+hex(key_hash)+base64(0x01 || key)``."""
    raw = ALG_ED25519 + key.raw
    return f"{key.party}+{note_key_hash(key.party, key.raw).hex()}+{base64.b64encode(raw).decode()}"


def parse_verifier_key(vkey: str) -> PublicKey:
    """Parse a verifier key string (Ed25519 only); the key hash must match."""
    name, _, rest = vkey.partition("+")
    hash_hex, _, key64 = rest.partition("+")
    try:
        raw = base64.b64decode(key64, validate=True)
        stated = bytes.fromhex(hash_hex)
    except ValueError:
        raise PreconditionError(f"malformed verifier key {vkey!r}") from None
    if len(hash_hex) != 8 or raw[:1] != ALG_ED25519 or len(raw) != 33:
        raise PreconditionError(f"malformed or non-Ed25519 verifier key {vkey!r}")
    key = PublicKey(name, raw[1:])
    if note_key_hash(name, key.raw) != stated:
        raise PreconditionError(f"verifier key hash mismatch in {vkey!r}")
    return key


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise MalformedNote("note text must end with a newline and contain no blank line")
    if any(c < " " and c != "\n" for c in text):
        raise MalformedNote("note text contains a control character")


def signature_line(text: str, key: SigningKey) -> str:
    """One signature line (with its newline) by ``key`` over the note ``text``."""
    _check_text(text)
    blob = note_key_hash(key.party, key.public.raw) + key.sign(text.encode())
    return f"{SIG_PREFIX}{key.party} {base64.b64encode(blob).decode()}\n"


def sign_note(text: str, keys: Iterable[SigningKey]) -> str:
    """Sign ``text`` with each key and return the complete note."""
    lines = [signature_line(text, k) for k in keys]
    if not lines:
        raise PreconditionError("a note needs at least one signer")
    return text + "\n" + "".join(lines)


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """A parsed signature line."""

    name: str
    key_hash: bytes
    signature: bytes
    line: str


def parse_note(note: str) -> tuple[str, tuple[NoteSignature, ...]]:
    """Split a note into its text and signature lines, checking the syntax only."""
    _reject_controls(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedNote("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNote("signature block must end with a newline")
    sigs = []
    for line in block[:-1].split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise MalformedNote(f"bad signature line {line!r}")
        name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(b64, validate=True)
        except ValueError:
            raise MalformedNote(f"bad base64 in signature line {line!r}") from None
        if not name or "+" in name or any(c.isspace() for c in name) or len(blob) < 5:
            raise MalformedNote(f"bad signature line {line!r}")
        sigs.append(NoteSignature(name, blob[:4], blob[4:], line))
    if len(sigs) > MAX_SIGNATURES:
        raise MalformedNote("too many signatures")
    return text, tuple(sigs)


def _reject_controls(note: str) -> None:
    if any(c < " " and c != "\n" for c in note):
        raise MalformedNote("note contains a control character")


def open_note(note: str, known: Sequence[PublicKey]) -> tuple[str, tuple[PublicKey, ...]]:
    """Verify a note against known keys; return its text and the keys that signed it.

    Lines from unknown (name, key hash) pairs are ignored; a known key with a bad signature raises
    :class:`SignatureError`; so does a note that no known key signed.
    """
    text, sigs = parse_note(note)
    by_id = {(k.party, note_key_hash(k.party, k.raw)): k for k in known}
    verified: dict[str, PublicKey] = {}
    for s in sigs:
        key = by_id.get((s.name, s.key_hash))
        if key is None:
            continue
        if not key.verify(s.signature, text.encode()):
            raise SignatureError(f"invalid note signature by {s.name}+{s.key_hash.hex()}")
        verified.setdefault(key.kid, key)
    if not verified:
        raise SignatureError("note has no signature by a trusted key")
    return text, tuple(verified.values())
