"""Parallel entry checking gives exactly the sequential results, in order."""

from __future__ import annotations

from pathlib import Path

from accord.ledger.bundle import ENTRIES
from accord.ledger.stream import NO_NEWLINE, check_lines
from accord.ledger.verify import verify_bundle

from .scenario import build_ledger

LEDGER = build_ledger(23)
KEYS = {k.kid: k.public for k in LEDGER.party_keys}


def _tampered_lines() -> list[bytes]:
    lines = [e.leaf_data() + b"\n" for e in LEDGER.entries]
    lines[4] = lines[4].replace(b'"tenant":"demo"', b'"tenant":"demx"')
    lines[9], lines[10] = lines[10], lines[9]
    lines[-1] = lines[-1][:-1]  # no final newline
    return lines


def test_parallel_results_equal_sequential_results() -> None:
    lines = _tampered_lines()
    sequential = list(check_lines(lines, KEYS, jobs=1))
    parallel = list(check_lines(lines, KEYS, jobs=2, chunk=3))
    assert parallel == sequential
    assert [i for i, _, reason in sequential if reason] == [4, 9, 10, 22]
    assert sequential[22][2] == NO_NEWLINE


def test_verify_bundle_with_jobs_reports_the_same(tmp_path: Path) -> None:
    bundle = LEDGER.write(tmp_path / "b")
    one, two = verify_bundle(bundle), verify_bundle(bundle, jobs=2)
    assert one.ok
    assert {**one.to_json(), "seconds": 0} == {**two.to_json(), "seconds": 0}
    (bundle / ENTRIES).write_bytes(b"".join(_tampered_lines()))
    one, two = verify_bundle(bundle), verify_bundle(bundle, jobs=2)
    assert not one.ok
    assert one.error_index == 4
    assert (one.error_index, one.error) == (two.error_index, two.error)
