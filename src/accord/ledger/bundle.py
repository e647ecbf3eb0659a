"""The audit bundle: a directory an auditor can verify with nothing but this package.

Layout (``version`` 1)::

    manifest.json     {"format": "accord-ledger-bundle", "version": 1, "origin": str,
                       "log_key": verifier key, "witness_keys": [verifier keys], "entries": int}
    keys.json         {"keys": [{"party": str, "kid": str, "public_key": base64}, ...]}
    entries.jsonl     one canonical entry per line (the exact Merkle leaf data), each ending "\\n"
    checkpoints/      one signed checkpoint note per file, named ``<size:020d>.note``
    leaf_hashes.bin   optional: the log's stored Merkle leaf hash of every entry, 32 bytes each

``leaf_hashes.bin`` is not trusted and adds nothing to what verification proves. It only names the
changed entry when recomputed leaves break a checkpoint's root: if the stored hashes fold to the
signed root, they are the checkpointed leaves, so the first entry whose recomputed hash differs
from its stored one is the changed entry. Without it (or if it does not fold to the root) the
verifier can only name the checkpoint range. This matters for system entries, which carry no
signature that would name the entry (see :mod:`accord.ledger.entry`).

Verifier keys use the C2SP ``name+hash+base64(0x01||key)`` form. An auditor should pin the log
key out of band (``--log-key``) rather than trust the one the bundle names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from accord.ledger.errors import BundleError, PreconditionError
from accord.ledger.keys import PublicKey
from accord.ledger.note import parse_verifier_key, verifier_key

BUNDLE_FORMAT = "accord-ledger-bundle"
BUNDLE_VERSION = 1
ENTRIES = "entries.jsonl"
KEYS = "keys.json"
MANIFEST = "manifest.json"
LEAVES = "leaf_hashes.bin"
HASH_SIZE = 32
CHECKPOINTS = "checkpoints"


def checkpoint_filename(size: int) -> str:
    """File name of the checkpoint of ``size`` leaves."""
    return f"{size:020d}.note"


def write_bundle(
    directory: Path,
    *,
    origin: str,
    log_key: PublicKey,
    entries: Iterable[bytes],
    checkpoints: Iterable[tuple[int, str]],
    party_keys: Iterable[PublicKey],
    witness_keys: Iterable[PublicKey] = (),
    leaf_hashes: Iterable[bytes] | None = None,
) -> int:
    """Write a bundle (entries as canonical leaf bytes, checkpoints as ``(size, note)``).

    ``leaf_hashes`` (the stored leaf hash of each entry, in order) becomes ``leaf_hashes.bin``.
    Returns the number of entries written. The directory is created; existing files are replaced.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CHECKPOINTS).mkdir(exist_ok=True)
    count = 0
    with (directory / ENTRIES).open("wb") as out:
        for data in entries:
            if b"\n" in data:
                raise PreconditionError("canonical entries never contain a raw newline")
            out.write(data + b"\n")
            count += 1
    if leaf_hashes is not None:
        with (directory / LEAVES).open("wb") as out:
            for h in leaf_hashes:
                if len(h) != HASH_SIZE:
                    raise PreconditionError(f"leaf hash of {len(h)} bytes, expected {HASH_SIZE}")
                out.write(h)
    for size, note in checkpoints:
        (directory / CHECKPOINTS / checkpoint_filename(size)).write_text(note, encoding="utf-8")
    keys = {"keys": [k.to_json() for k in sorted(party_keys, key=lambda k: k.kid)]}
    (directory / KEYS).write_text(json.dumps(keys, indent=1) + "\n", encoding="utf-8")
    manifest = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "origin": origin,
        "log_key": verifier_key(log_key),
        "witness_keys": [verifier_key(k) for k in witness_keys],
        "entries": count,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return count


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(f"cannot read {path.name}: {exc}") from None


def read_manifest(directory: Path) -> dict[str, Any]:
    """Load and check ``manifest.json`` (format, version, origin, keys)."""
    m = _load_json(directory / MANIFEST)
    if not isinstance(m, dict) or m.get("format") != BUNDLE_FORMAT:
        raise BundleError("manifest.json is not an accord ledger bundle manifest")
    if m.get("version") != BUNDLE_VERSION:
        raise BundleError(f"unsupported bundle version {m.get('version')!r}")
    if not isinstance(m.get("origin"), str) or not isinstance(m.get("log_key"), str):
        raise BundleError("manifest.json needs an origin and a log_key")
    return m


def read_party_keys(directory: Path) -> dict[str, PublicKey]:
    """Load ``keys.json`` as a mapping kid -> key (each kid checked against its key)."""
    doc = _load_json(directory / KEYS)
    try:
        keys = [PublicKey.from_json(k) for k in doc["keys"]]
    except (KeyError, TypeError, PreconditionError) as exc:
        raise BundleError(f"keys.json: {exc}") from None
    return {k.kid: k for k in keys}


def parse_vkeys(values: Iterable[str]) -> list[PublicKey]:
    """Parse verifier key strings, mapping errors to :class:`BundleError`."""
    try:
        return [parse_verifier_key(v) for v in values]
    except PreconditionError as exc:
        raise BundleError(str(exc)) from None


def checkpoint_files(directory: Path) -> list[Path]:
    """Checkpoint note files of the bundle, in name order."""
    folder = directory / CHECKPOINTS
    return sorted(folder.glob("*.note")) if folder.is_dir() else []
