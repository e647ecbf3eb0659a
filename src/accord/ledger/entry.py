"""Ledger entries: canonical JSON records, their leaf bytes and their signatures.

An entry is the RFC 8785 canonical JSON object::

    {"actor": str, "payload": {...}, "seq": int, "sigs": [{"kid": str, "sig": base64}, ...],
     "subjects": [str, ...], "tenant": str, "time": "YYYY-MM-DDTHH:MM:SS[.ffffff]Z",
     "type": str, "v": 1}

with exactly these members. ``seq`` is the entry's 0-based position in the log (also its Merkle
leaf index). ``time`` is RFC 3339 in UTC with a ``Z`` suffix. ``payload`` holds only strings,
integers, booleans, null, arrays and objects (no floats: see :mod:`accord.ledger.canonical`);
personal data appears only as salted commitments (:mod:`accord.ledger.privacy`).

**Leaf data** is the canonical bytes of the whole entry, signatures included. **Signed bytes**
are the canonical bytes of the entry with the ``sigs`` member removed (everything else, in the same
canonical form). Each ``sigs`` item is an Ed25519 signature over the signed bytes by the key whose
id is ``kid``; items are sorted by ``kid`` and a kid appears at most once.

**Who signs.** An entry authored by a party (``creditor:…``, ``debtor:…``, a mediator) must carry a
signature by a key of its ``actor`` party: that is the party's own, non-repudiable statement. A
**system entry** — ``actor`` ``system:<process>``, a fact the platform derives on its own account
from entries already in the log and the calendar, which anyone can recompute (the month-end
tick's days past due and bucket changes) — carries no signatures: no party asserted it, and the
log's signed checkpoints, which cover every entry, already vouch for it. No party key may be
named ``system:…``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from accord.ledger.canonical import JsonValue, canonicalize, encode_parsed, parse_canonical
from accord.ledger.errors import CanonicalizationError, EntryError, SignatureError, UnknownKey
from accord.ledger.keys import PublicKey, SigningKey

SCHEMA_VERSION = 1
SYSTEM_PREFIX = "system:"
_FIELDS = frozenset({"v", "seq", "tenant", "type", "time", "actor", "subjects", "payload", "sigs"})
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z\Z")


@dataclass(frozen=True, slots=True)
class EntrySignature:
    """One signature of an entry: key id and the 64-byte Ed25519 signature."""

    kid: str
    sig: bytes


@dataclass(frozen=True, slots=True)
class Entry:
    """A ledger entry (see the module docstring for the exact JSON form)."""

    seq: int
    tenant: str
    type: str
    time: str
    actor: str
    subjects: tuple[str, ...]
    payload: Mapping[str, Any]
    sigs: tuple[EntrySignature, ...] = ()
    v: int = SCHEMA_VERSION

    def to_json(self, *, with_sigs: bool = True) -> dict[str, JsonValue]:
        """The entry as a JSON object (optionally without ``sigs``, i.e. what is signed)."""
        obj: dict[str, JsonValue] = {
            "v": self.v,
            "seq": self.seq,
            "tenant": self.tenant,
            "type": self.type,
            "time": self.time,
            "actor": self.actor,
            "subjects": list(self.subjects),
            "payload": self.payload,
        }
        if with_sigs:
            obj["sigs"] = [
                {"kid": s.kid, "sig": base64.b64encode(s.sig).decode()} for s in self.sigs
            ]
        return obj

    def signed_bytes(self) -> bytes:
        """Canonical bytes of the entry without ``sigs``: the message every signature covers."""
        return canonicalize(self.to_json(with_sigs=False))

    def leaf_data(self) -> bytes:
        """Canonical bytes of the whole entry: the Merkle leaf data and the bundle line."""
        return canonicalize(self.to_json())


def is_system_actor(actor: str) -> bool:
    """True for a system actor (``system:<process>``): its entries carry no party signature."""
    return actor.startswith(SYSTEM_PREFIX)


def check_time(value: str) -> str:
    """Return ``value`` if it is an RFC 3339 UTC timestamp ending in ``Z``; raise otherwise."""
    if not _TIME.match(value):
        raise EntryError(f"time {value!r} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)")
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        raise EntryError(f"time {value!r} is not a real date and time") from None
    return value


def make_entry(
    *,
    seq: int,
    tenant: str,
    type: str,
    time: str,
    actor: str,
    subjects: Iterable[str] = (),
    payload: Mapping[str, Any] | None = None,
) -> Entry:
    """Build and validate an unsigned entry (keyword-only; see :class:`Entry`)."""
    entry = Entry(seq, tenant, type, time, actor, tuple(subjects), dict(payload or {}))
    validate_entry(entry)
    return entry


def validate_entry(entry: Entry, *, check_canonical: bool = True) -> None:
    """Check field types, version, time format and (optionally) that it is canonicalisable."""
    if entry.v != SCHEMA_VERSION:
        raise EntryError(f"unsupported entry version {entry.v!r}")
    if isinstance(entry.seq, bool) or not isinstance(entry.seq, int) or entry.seq < 0:
        raise EntryError(f"seq must be a non-negative integer, got {entry.seq!r}")
    for name in ("tenant", "type", "actor"):
        value = getattr(entry, name)
        if not isinstance(value, str) or not value:
            raise EntryError(f"{name} must be a non-empty string")
    if not isinstance(entry.time, str):
        raise EntryError("time must be a string")
    check_time(entry.time)
    if not all(isinstance(s, str) for s in entry.subjects):
        raise EntryError("subjects must be strings")
    if not isinstance(entry.payload, Mapping):
        raise EntryError("payload must be an object")
    kids = [s.kid for s in entry.sigs]
    if kids != sorted(set(kids)):
        raise EntryError("sigs must be sorted by kid without duplicates")
    if check_canonical:
        try:
            canonicalize(entry.to_json())
        except CanonicalizationError as exc:
            raise EntryError(f"entry is not canonicalisable: {exc}") from None


def sign_entry(entry: Entry, key: SigningKey) -> Entry:
    """Return ``entry`` with ``key``'s signature over its signed bytes added (kid order kept).

    Raises :class:`EntryError` for a system entry, which is never signed.
    """
    if is_system_actor(entry.actor):
        raise EntryError(f"system entry by {entry.actor} is vouched for by checkpoints, not signed")
    sig = EntrySignature(key.kid, key.sign(entry.signed_bytes()))
    others = [s for s in entry.sigs if s.kid != key.kid]
    return replace(entry, sigs=tuple(sorted([*others, sig], key=lambda s: s.kid)))


def parse_entry(line: bytes) -> Entry:
    """Parse one canonical entry (e.g. a bundle line without its newline); strict.

    Raises :class:`EntryError` if the bytes are not canonical JSON, members are missing or extra,
    or any field has the wrong type or format.
    """
    return parse_entry_and_signed_bytes(line)[0]


def parse_entry_and_signed_bytes(line: bytes) -> tuple[Entry, bytes]:
    """Like :func:`parse_entry`, also returning the signed bytes (the verifier's fast path).

    The parsed object keeps canonical member order, so dropping ``sigs`` and re-encoding gives
    the signed bytes without a second canonicalisation.
    """
    try:
        obj = parse_canonical(line)
    except CanonicalizationError as exc:
        raise EntryError(str(exc)) from None
    if not isinstance(obj, dict) or set(obj) != _FIELDS:
        got = sorted(obj) if isinstance(obj, dict) else type(obj).__name__
        raise EntryError(f"entry members must be {sorted(_FIELDS)}, got {got}")
    if not isinstance(obj["sigs"], list) or not isinstance(obj["subjects"], list):
        raise EntryError("sigs and subjects must be arrays")
    if not all(isinstance(s, dict) and set(s) == {"kid", "sig"} for s in obj["sigs"]):
        raise EntryError('each sigs item must be exactly {"kid", "sig"}')
    try:
        sigs = tuple(
            EntrySignature(s["kid"], base64.b64decode(s["sig"], validate=True)) for s in obj["sigs"]
        )
        subjects = tuple(obj["subjects"])
    except (KeyError, TypeError, ValueError) as exc:
        raise EntryError(f"malformed sigs or subjects: {exc}") from None
    entry = Entry(
        seq=obj["seq"],
        tenant=obj["tenant"],
        type=obj["type"],
        time=obj["time"],
        actor=obj["actor"],
        subjects=subjects,
        payload=obj["payload"],
        sigs=sigs,
        v=obj["v"],
    )
    # The bytes were just proven canonical, so skip re-serialising them.
    validate_entry(entry, check_canonical=False)
    del obj["sigs"]
    return entry, encode_parsed(obj)


def verify_entry_signatures(
    entry: Entry, keys: Mapping[str, PublicKey], signed_bytes: bytes | None = None
) -> None:
    """Check every signature of ``entry`` against ``keys`` (by kid) and that the actor signed.

    Raises :class:`UnknownKey` for a kid not in ``keys`` and :class:`SignatureError` for a bad
    signature, when no signature is by a key of the ``actor`` party, or when a system entry
    carries a signature or a key claims a system party. ``signed_bytes`` may be passed when
    already known (from :func:`parse_entry_and_signed_bytes`).
    """
    if is_system_actor(entry.actor):
        if entry.sigs:
            raise SignatureError(
                f"entry {entry.seq}: system entry by {entry.actor} carries {len(entry.sigs)} "
                "signature(s); system entries are vouched for by checkpoints only"
            )
        return
    message = entry.signed_bytes() if signed_bytes is None else signed_bytes
    actor_signed = False
    for s in entry.sigs:
        key = keys.get(s.kid)
        if key is None:
            raise UnknownKey(f"entry {entry.seq}: unknown key id {s.kid}")
        if is_system_actor(key.party):
            raise SignatureError(f"entry {entry.seq}: key {s.kid} claims system party {key.party}")
        if not key.verify(s.sig, message):
            raise SignatureError(f"entry {entry.seq}: bad signature by {key.party} ({s.kid})")
        actor_signed |= key.party == entry.actor
    if not actor_signed:
        raise SignatureError(f"entry {entry.seq}: no signature by its actor {entry.actor}")
