"""Checking entry lines one by one, optionally in parallel worker processes.

Each line is checked on its own (canonical form, well-formedness, ``seq`` equal to the line index,
signatures, acceptance signatures): the work is independent per line and dominated by Ed25519
verification, so it parallelises across processes. Results are yielded strictly in line order, so
the caller sees the first failure first and can interleave its sequential Merkle hashing; at most
``2 * jobs`` chunks are in flight, so memory stays bounded whatever the bundle size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor

from accord.ledger.agreement import ACCEPTANCE_TYPE, verify_acceptance
from accord.ledger.entry import parse_entry_and_signed_bytes, verify_entry_signatures
from accord.ledger.errors import VerificationError
from accord.ledger.keys import PublicKey

# (index, line without its newline, reason it failed or None)
LineResult = tuple[int, bytes, str | None]
NO_NEWLINE = "last line of entries.jsonl does not end with a newline"


def check_line(data: bytes, index: int, keys: Mapping[str, PublicKey]) -> str | None:
    """Check one entry line (without newline) at ``index``; return the failure reason or None."""
    try:
        entry, signed = parse_entry_and_signed_bytes(data)
        if entry.seq != index:
            raise VerificationError(f"seq {entry.seq} at line index {index} (gap or swap)")
        verify_entry_signatures(entry, keys, signed)
        if entry.type == ACCEPTANCE_TYPE:
            verify_acceptance(entry.payload, keys)
    except VerificationError as exc:
        return str(exc)
    return None


_WORKER_KEYS: dict[str, PublicKey] = {}


def _init_worker(keys: dict[str, PublicKey]) -> None:
    _WORKER_KEYS.clear()
    _WORKER_KEYS.update(keys)


def _check_chunk(start: int, lines: list[bytes]) -> list[str | None]:
    return [check_line(d, start + k, _WORKER_KEYS) for k, d in enumerate(lines)]


def _split(line: bytes) -> tuple[bytes, bool]:
    return (line[:-1], True) if line.endswith(b"\n") else (line, False)


def check_lines(
    lines: Iterable[bytes], keys: Mapping[str, PublicKey], jobs: int = 1, chunk: int = 4096
) -> Iterator[LineResult]:
    """Yield ``(index, data, failure)`` for every line, in order; ``jobs > 1`` uses processes."""
    if jobs <= 1:
        for index, line in enumerate(lines):
            data, ended = _split(line)
            yield index, data, check_line(data, index, keys) if ended else NO_NEWLINE
        return
    source = enumerate(lines)
    window: deque[tuple[int, list[bytes], bool, Future[list[str | None]]]] = deque()
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(dict(keys),)) as pool:
        exhausted = False
        while True:
            while not exhausted and len(window) < 2 * jobs:
                batch: list[bytes] = []
                start, ended = -1, True
                for index, line in source:
                    start = index if start < 0 else start
                    data, ended = _split(line)
                    batch.append(data)
                    if len(batch) == chunk:
                        break
                if not batch:
                    exhausted = True
                    break
                window.append((start, batch, ended, pool.submit(_check_chunk, start, batch)))
            if not window:
                return
            start, batch, ended, future = window.popleft()
            results = future.result()
            for k, (data, reason) in enumerate(zip(batch, results, strict=True)):
                last = k == len(batch) - 1
                yield start + k, data, NO_NEWLINE if last and not ended else reason
