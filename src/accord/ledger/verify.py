"""Verify an audit bundle: ``python -m accord.ledger.verify DIR [--json] [--log-key VKEY] ...``.

Checks, in one streaming pass with O(log n) memory for the tree: the manifest and keys; every
checkpoint's log signature (and any witness lines by the named witnesses); that no two
checkpoints of one size disagree (a fork); then every entry line — canonical JSON, well formed,
``seq`` equal to its line index (gap-free from 0), signatures by known keys including the actor's,
acceptance signatures — while recomputing the Merkle tree; at each checkpoint size the recomputed
root must equal the signed one. Since all checkpoint roots are recomputed from one sequence of
entries, each checkpoint is consistent with the next. Every entry must be covered by a checkpoint.
When a root does not match, the bundle's optional ``leaf_hashes.bin`` (untrusted, used only if it
folds to the signed root) names the first changed entry; see :mod:`accord.ledger.bundle`.
Exit status 0 when everything verifies, 1 on the first failure (with the entry index when one is
known), 2 on a usage error. Needs only the standard library and ``cryptography``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from accord.ledger.bundle import (
    ENTRIES,
    HASH_SIZE,
    LEAVES,
    checkpoint_files,
    parse_vkeys,
    read_manifest,
    read_party_keys,
)
from accord.ledger.checkpoint import Checkpoint, parse_checkpoint_text
from accord.ledger.errors import BundleError, VerificationError
from accord.ledger.keys import PublicKey
from accord.ledger.merkle import CompactRange, leaf_hash
from accord.ledger.note import open_note, verifier_key
from accord.ledger.stream import check_lines


@dataclass(slots=True)
class BundleReport:
    """Outcome of :func:`verify_bundle`; ``error`` is None when everything verified."""

    ok: bool = False
    entries: int = 0
    checkpoints: int = 0
    size: int = 0
    root: str = ""
    log_key: str = ""
    log_key_source: str = "bundle"
    error_index: int | None = None
    error: str | None = None
    seconds: float = 0.0
    witnessed: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form printed by ``--json``."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "checkpoints": self.checkpoints,
            "size": self.size,
            "root": self.root,
            "log_key": self.log_key,
            "log_key_source": self.log_key_source,
            "witnessed_sizes": self.witnessed,
            "error": None if self.ok else {"index": self.error_index, "reason": self.error},
            "seconds": round(self.seconds, 3),
        }


def _load_checkpoints(
    directory: Path,
    origin: str,
    log_key: PublicKey,
    witnesses: Sequence[PublicKey],
    witness_quorum: int,
) -> tuple[list[Checkpoint], list[int]]:
    by_size: dict[int, Checkpoint] = {}
    witnessed: list[int] = []
    for path in checkpoint_files(directory):
        try:
            note = path.read_text(encoding="utf-8")
            text, signers = open_note(note, [log_key, *witnesses])
            if log_key not in signers:
                raise VerificationError("not signed by the log key")
            cp = parse_checkpoint_text(text)
        except (VerificationError, OSError, UnicodeDecodeError) as exc:
            raise BundleError(f"checkpoint {path.name}: {exc}") from None
        if cp.origin != origin:
            raise BundleError(f"checkpoint {path.name}: origin {cp.origin!r} is not {origin!r}")
        seen = by_size.get(cp.size)
        if seen is not None and seen.root != cp.root:
            raise BundleError(
                f"fork: two checkpoints of size {cp.size} with roots {seen.root.hex()} "
                f"and {cp.root.hex()}"
            )
        by_size[cp.size] = cp
        if len(signers) - 1 < witness_quorum:
            raise BundleError(
                f"checkpoint {path.name}: {len(signers) - 1} witness signatures, "
                f"need {witness_quorum}"
            )
        if len(signers) > 1:
            witnessed.append(cp.size)
    if not by_size:
        raise BundleError("no checkpoints in the bundle")
    return [by_size[s] for s in sorted(by_size)], sorted(set(witnessed))


def verify_bundle(
    directory: Path, pinned_log_key: str | None = None, witness_quorum: int = 0, jobs: int = 1
) -> BundleReport:
    """Verify a bundle directory; never raises for verification failures (see the report).

    ``pinned_log_key`` (a verifier key string) must then be the bundle's log key;
    ``witness_quorum`` is the number of manifest witnesses that must cosign every checkpoint;
    ``jobs > 1`` checks entry lines in that many worker processes (same result, same order).
    """
    report = BundleReport()
    started = time.perf_counter()
    try:
        _verify(directory, pinned_log_key, witness_quorum, jobs, report)
        report.ok = True
    except BundleError as exc:
        report.error, report.error_index = exc.reason, exc.index
    report.seconds = time.perf_counter() - started
    return report


def _verify(
    directory: Path, pinned: str | None, quorum: int, jobs: int, report: BundleReport
) -> None:
    manifest = read_manifest(directory)
    (log_key,) = parse_vkeys([manifest["log_key"]])
    if pinned is not None:
        (pinned_key,) = parse_vkeys([pinned])
        if pinned_key != log_key:
            raise BundleError(f"bundle log key {manifest['log_key']} is not the pinned key")
        report.log_key_source = "pinned"
    report.log_key = verifier_key(log_key)
    listed = manifest.get("witness_keys", [])
    if not isinstance(listed, list):
        raise BundleError("manifest witness_keys must be a list")
    witnesses = parse_vkeys(listed)
    keys = read_party_keys(directory)
    checkpoints, report.witnessed = _load_checkpoints(
        directory, manifest["origin"], log_key, witnesses, quorum
    )
    report.checkpoints = len(checkpoints)
    rng = CompactRange()
    pending = iter(checkpoints)
    nxt: Checkpoint | None = next(pending)
    last_size = 0
    if nxt is not None and nxt.size == 0:
        nxt, last_size = _check_root(rng, nxt, last_size, pending)
    try:
        lines = (directory / ENTRIES).open("rb")
    except OSError as exc:
        raise BundleError(f"cannot read {ENTRIES}: {exc}") from None
    hints = _StoredLeaves(directory / LEAVES)
    with lines, hints:
        for index, data, failure in check_lines(lines, keys, jobs):
            if failure is not None:
                raise BundleError(failure, index)
            computed = leaf_hash(data)
            rng.push(computed)
            hints.compare(index, computed)
            if nxt is not None and rng.size == nxt.size:
                nxt, last_size = _check_root(rng, nxt, last_size, pending, hints)
    report.entries = report.size = rng.size
    report.root = rng.root().hex()
    if nxt is not None:
        raise BundleError(
            f"checkpoint of size {nxt.size} but the bundle has only {rng.size} entries "
            f"(entries from {rng.size} are missing)",
            rng.size,
        )
    if last_size != rng.size:
        raise BundleError(
            f"entries from {last_size} to {rng.size - 1} are not covered by a signed checkpoint",
            last_size,
        )
    declared = manifest.get("entries")
    if declared != rng.size:
        raise BundleError(f"manifest declares {declared} entries, found {rng.size}")


class _StoredLeaves:
    """The bundle's optional stored leaf hashes, read alongside the entries (see module doc)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[bytes] | None = None
        # optional file: without it a root mismatch names the range only
        with contextlib.suppress(OSError):
            self._file = path.open("rb")
        self._first_diff: tuple[int, bytes, bytes] | None = None

    def __enter__(self) -> _StoredLeaves:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def compare(self, index: int, computed: bytes) -> None:
        """Note the first entry since the last checkpoint whose hash differs from the stored one."""
        if self._file is None:
            return
        stored = self._file.read(HASH_SIZE)
        if len(stored) != HASH_SIZE:
            self.__exit__()  # too short: of no further use
        elif stored != computed and self._first_diff is None:
            self._first_diff = (index, computed, stored)

    def checkpoint_passed(self) -> None:
        """The root matched: differences noted so far were not in checkpointed entries."""
        self._first_diff = None

    def explain(self, cp: Checkpoint, start: int) -> None:
        """Raise naming the changed entry when the stored hashes prove which one it is."""
        if self._first_diff is None or _stored_root(self._path, cp.size) != cp.root:
            return
        index, computed, stored = self._first_diff
        raise BundleError(
            f"entry changed after it was logged: its leaf hash is {computed.hex()}, the "
            f"checkpointed tree of size {cp.size} has {stored.hex()} at index {index} "
            f"(root mismatch at checkpoint size {cp.size}; entries checked from {start})",
            index,
        )


def _stored_root(path: Path, size: int) -> bytes | None:
    """Root of the first ``size`` stored leaf hashes, or None if the file is short or missing."""
    rng = CompactRange()
    try:
        with path.open("rb") as f:
            while rng.size < size:
                block = f.read(HASH_SIZE * min(4096, size - rng.size))
                if not block or len(block) % HASH_SIZE:
                    return None
                for k in range(0, len(block), HASH_SIZE):
                    rng.push(block[k : k + HASH_SIZE])
    except OSError:
        return None
    return rng.root()


def _check_root(
    rng: CompactRange,
    cp: Checkpoint,
    last_size: int,
    pending: Iterator[Checkpoint],
    hints: _StoredLeaves | None = None,
) -> tuple[Checkpoint | None, int]:
    computed = rng.root()
    if computed != cp.root:
        if hints is not None:
            hints.explain(cp, last_size)  # raises when it can name the entry
        raise BundleError(
            f"root mismatch at checkpoint size {cp.size}: signed {cp.root.hex()}, computed "
            f"{computed.hex()}; an entry in [{last_size}, {cp.size}) differs from what was "
            "checkpointed",
            last_size,
        )
    if hints is not None:
        hints.checkpoint_passed()
    return next(pending, None), cp.size


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m accord.ledger.verify",
        description="Verify an Accord ledger audit bundle offline.",
        epilog="example: python -m accord.ledger.verify ./bundle --json "
        "--log-key 'log:accord.example+1a2b3c4d+AX...'",
    )
    parser.add_argument("directory", type=Path, help="bundle directory")
    parser.add_argument("--json", action="store_true", help="print a JSON result on stdout")
    parser.add_argument("--log-key", help="pin the log's verifier key (name+hash+base64)")
    parser.add_argument(
        "--witness-quorum",
        type=int,
        default=0,
        help="require this many manifest witnesses to cosign every checkpoint (default 0)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes for entry checks (default 1)"
    )
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"error: {args.directory} is not a directory", file=sys.stderr)
        return 2
    report = verify_bundle(args.directory, args.log_key, args.witness_quorum, args.jobs)
    if args.json:
        print(json.dumps(report.to_json(), indent=1))
    elif report.ok:
        print(
            f"OK: {report.entries} entries, {report.checkpoints} checkpoints, "
            f"root {report.root} (log key from {report.log_key_source})"
        )
    else:
        where = f"entry {report.error_index}: " if report.error_index is not None else ""
        print(f"FAILED: {where}{report.error}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
