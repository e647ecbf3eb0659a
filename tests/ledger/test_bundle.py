"""Audit bundles: a clean bundle verifies; every kind of tampering is caught at the right index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accord.ledger.bundle import CHECKPOINTS, ENTRIES, LEAVES, MANIFEST, checkpoint_filename
from accord.ledger.checkpoint import Checkpoint, sign_checkpoint
from accord.ledger.entry import sign_entry
from accord.ledger.keys import generate_signing_key
from accord.ledger.merkle import leaf_hash, root_from_leaf_hashes
from accord.ledger.note import verifier_key
from accord.ledger.verify import main, verify_bundle

from .scenario import ORIGIN, Ledger, build_ledger

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return build_ledger(21, checkpoint_every=8)


@pytest.fixture
def bundle(ledger: Ledger, tmp_path: Path) -> Path:
    return ledger.write(tmp_path / "bundle")


def _lines(bundle: Path) -> list[bytes]:
    return (bundle / ENTRIES).read_bytes().splitlines(keepends=True)


def _write_lines(bundle: Path, lines: list[bytes]) -> None:
    (bundle / ENTRIES).write_bytes(b"".join(lines))


def _fails_at(bundle: Path, index: int | None, reason: str) -> None:
    report = verify_bundle(bundle)
    assert not report.ok
    assert report.error_index == index, report.error
    assert reason in (report.error or "")


def test_clean_bundle_verifies(bundle: Path, ledger: Ledger) -> None:
    report = verify_bundle(bundle, verifier_key(ledger.log.public))
    assert report.ok, report.error
    assert report.entries == 21
    assert report.checkpoints == 3
    assert report.log_key_source == "pinned"
    assert report.witnessed == [8, 16, 21]
    leaves = [leaf_hash(e.leaf_data()) for e in ledger.entries]
    assert report.root == root_from_leaf_hashes(leaves).hex()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"tenant":"demo"', b'"tenant":"demx"'),
        (b'"time":"2025-03-10', b'"time":"2025-03-11'),
        (b'"subjects":["case:2"]', b'"subjects":["case:3"]'),
        (b'"income_minor":800000', b'"income_minor":800001'),
        (b'"actor":"debtor:7f3a"', b'"actor":"creditor:acme"'),
        (b'"type":"statement.submitted"', b'"type":"statement.withdrawn"'),
    ],
)
def test_editing_any_field_is_caught_at_that_entry(bundle: Path, old: bytes, new: bytes) -> None:
    lines = _lines(bundle)
    index = 9  # entry 9 is a statement by the debtor, in case 2, on 2025-03-10
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new)
    _write_lines(bundle, lines)
    _fails_at(bundle, index, "")


def test_editing_seq_is_caught(bundle: Path) -> None:
    lines = _lines(bundle)
    lines[12] = lines[12].replace(b'"seq":12', b'"seq":13')
    _write_lines(bundle, lines)
    _fails_at(bundle, 12, "seq 13")


def test_deleting_a_line_is_caught_where_the_gap_is(bundle: Path) -> None:
    lines = _lines(bundle)
    del lines[5]
    _write_lines(bundle, lines)
    _fails_at(bundle, 5, "gap or swap")


def test_deleting_the_last_line_is_caught(bundle: Path) -> None:
    _write_lines(bundle, _lines(bundle)[:-1])
    _fails_at(bundle, 20, "missing")


def test_swapping_two_lines_is_caught_at_the_first(bundle: Path) -> None:
    lines = _lines(bundle)
    lines[14], lines[17] = lines[17], lines[14]
    _write_lines(bundle, lines)
    _fails_at(bundle, 14, "seq 17")


def test_whitespace_edit_is_caught_as_non_canonical(bundle: Path) -> None:
    lines = _lines(bundle)
    lines[2] = lines[2].replace(b'"seq":2', b'"seq": 2')
    _write_lines(bundle, lines)
    _fails_at(bundle, 2, "canonical")


def test_bad_entry_signature_is_caught(bundle: Path, ledger: Ledger) -> None:
    lines = _lines(bundle)
    obj = json.loads(lines[7])
    sig = bytearray(obj["sigs"][0]["sig"].encode())
    sig[3] = ord("A") if sig[3] != ord("A") else ord("B")
    obj["sigs"][0]["sig"] = sig.decode()
    lines[7] = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    lines[7] += b"\n"
    _write_lines(bundle, lines)
    _fails_at(bundle, 7, "bad signature")


def test_validly_signed_forgery_is_caught_by_the_checkpoint_root(
    bundle: Path, ledger: Ledger
) -> None:
    # The creditor's own key re-signs an altered entry 10: signatures pass, the root cannot
    # (and without the stored leaf hashes only the checkpoint range can be named).
    _forge_entry_10(bundle, ledger)
    _fails_at(bundle, 8, "root mismatch at checkpoint size 16")


def _forge_entry_10(bundle: Path, ledger: Ledger) -> None:
    """Replace entry 10 by an altered one that the creditor's own key re-signed."""
    e = ledger.entries[10]
    forged = sign_entry(
        type(e)(e.seq, e.tenant, e.type, e.time, e.actor, e.subjects, {"forged": True}),
        ledger.creditor,
    )
    lines = _lines(bundle)
    lines[10] = forged.leaf_data() + b"\n"
    _write_lines(bundle, lines)


def test_stored_leaf_hashes_name_the_changed_entry(bundle: Path, ledger: Ledger) -> None:
    # The log's stored leaf hashes fold to the signed root, so they prove which entry changed.
    (bundle / LEAVES).write_bytes(b"".join(leaf_hash(ledger.leaf(i)) for i in range(21)))
    assert verify_bundle(bundle).ok
    _forge_entry_10(bundle, ledger)
    _fails_at(bundle, 10, "entry changed after it was logged")
    assert leaf_hash(ledger.leaf(10)).hex() in (verify_bundle(bundle).error or "")


@pytest.mark.parametrize("damage", ["forged", "short", "zeros"])
def test_untrusted_leaf_hashes_that_miss_the_root_only_name_the_range(
    bundle: Path, ledger: Ledger, damage: str
) -> None:
    hashes = [leaf_hash(ledger.leaf(i)) for i in range(21)]
    if damage == "forged":  # an attacker "fixes" the hashes to blame another entry
        hashes[9] = bytes(32)
    blob = b"".join(hashes)
    blob = {"forged": blob, "short": blob[: 32 * 9], "zeros": bytes(len(blob))}[damage]
    (bundle / LEAVES).write_bytes(blob)
    _forge_entry_10(bundle, ledger)
    _fails_at(bundle, 8, "root mismatch at checkpoint size 16")


def test_leaf_hashes_cut_short_after_a_checkpoint_still_name_the_entry(
    bundle: Path, ledger: Ledger
) -> None:
    # only the first checkpoint's leaves are needed to prove which of them changed
    (bundle / LEAVES).write_bytes(b"".join(leaf_hash(ledger.leaf(i)) for i in range(17))[:-5])
    _forge_entry_10(bundle, ledger)
    _fails_at(bundle, 10, "entry changed after it was logged")


def test_unattested_trailing_entries_fail(bundle: Path, ledger: Ledger) -> None:
    e = ledger.entries[0]
    extra = sign_entry(type(e)(21, e.tenant, e.type, e.time, e.actor, (), {}), ledger.creditor)
    _write_lines(bundle, [*_lines(bundle), extra.leaf_data() + b"\n"])
    _fails_at(bundle, 21, "not covered")


def test_forked_checkpoints_fail(bundle: Path, ledger: Ledger) -> None:
    fork = Checkpoint(ORIGIN, 16, leaf_hash(b"another history"))
    (bundle / CHECKPOINTS / "00000000000000000016-fork.note").write_text(
        sign_checkpoint(fork, ledger.log)
    )
    _fails_at(bundle, None, "fork: two checkpoints of size 16")


def test_checkpoint_with_bad_signature_fails(bundle: Path) -> None:
    path = bundle / CHECKPOINTS / checkpoint_filename(8)
    note = path.read_text()
    line = note.split("\n\n")[1].split("\n")[0]
    blob = line.split(" ")[2]
    bad = blob[:10] + ("A" if blob[10] != "A" else "B") + blob[11:]
    path.write_text(note.replace(blob, bad))
    _fails_at(bundle, None, "checkpoint 00000000000000000008.note")


def test_checkpoint_by_an_impostor_log_key_fails(bundle: Path) -> None:
    impostor = generate_signing_key("log:accord.example")
    path = bundle / CHECKPOINTS / checkpoint_filename(8)
    text = path.read_text().split("\n\n")[0] + "\n"
    path.write_text(sign_checkpoint(Checkpoint(ORIGIN, 8, _root_of(text)), impostor))
    _fails_at(bundle, None, "no signature by a trusted key")


def _root_of(text: str) -> bytes:
    import base64

    return base64.b64decode(text.split("\n")[2])


def test_pinned_log_key_must_match(bundle: Path) -> None:
    other = verifier_key(generate_signing_key("log:accord.example").public)
    report = verify_bundle(bundle, other)
    assert not report.ok
    assert "pinned" in (report.error or "")


def test_cli_json_and_exit_codes(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(bundle), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    assert out["error"] is None
    lines = _lines(bundle)
    del lines[3]
    _write_lines(bundle, lines)
    assert main([str(bundle), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"]["index"] == 3
    assert main([str(bundle)]) == 1
    assert "FAILED: entry 3:" in capsys.readouterr().err
    assert main([str(bundle / "missing")]) == 2


def test_manifest_edit_is_caught(bundle: Path) -> None:
    m = json.loads((bundle / MANIFEST).read_text())
    m["version"] = 2
    (bundle / MANIFEST).write_text(json.dumps(m))
    _fails_at(bundle, None, "unsupported bundle version")


def _isolated_env(tmp_path: Path) -> Path:
    """A directory holding only accord.ledger and cryptography (+ cffi, pycparser)."""
    import cffi
    import cryptography

    root = tmp_path / "isolated"
    (root / "accord").mkdir(parents=True)
    shutil.copy(SRC / "accord" / "__init__.py", root / "accord" / "__init__.py")
    shutil.copytree(SRC / "accord" / "ledger", root / "accord" / "ledger")
    site = Path(cryptography.__file__).parent.parent
    for pkg in (Path(cryptography.__file__).parent, Path(cffi.__file__).parent, site / "pycparser"):
        shutil.copytree(pkg, root / pkg.name)
    for backend in site.glob("_cffi_backend*"):
        shutil.copy(backend, root / backend.name)
    return root


def _run_isolated(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I: isolated mode (no env vars, no user site); -S: no site-packages at all.
    code = (
        "import sys, runpy; sys.path.insert(0, sys.argv.pop(1)); "
        "runpy.run_module('accord.ledger.verify', run_name='__main__', alter_sys=True)"
    )
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verifier_runs_with_only_stdlib_and_cryptography(bundle: Path, tmp_path: Path) -> None:
    root = _isolated_env(tmp_path)
    probe_code = (
        "import sys, importlib.util; sys.path.insert(0, sys.argv[1]); "
        "print([m for m in ('numpy', 'polars', 'sqlalchemy', 'pydantic', 'rfc8785', 'hypothesis',"
        " 'cryptography') if importlib.util.find_spec(m)])"
    )
    probe = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe_code, str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert probe.stdout.strip() == "['cryptography']"  # nothing else is importable there
    ok = _run_isolated(root, str(bundle), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    lines = _lines(bundle)
    lines[4], lines[5] = lines[5], lines[4]
    _write_lines(bundle, lines)
    bad = _run_isolated(root, str(bundle))
    assert bad.returncode == 1
    assert "FAILED: entry 4:" in bad.stderr


def test_witness_quorum(bundle: Path, ledger: Ledger) -> None:
    assert verify_bundle(bundle, witness_quorum=1).ok
    assert not verify_bundle(bundle, witness_quorum=2).ok
    # Replace checkpoint 16 by the log-only signature: same root, but no witness line.
    path = bundle / CHECKPOINTS / checkpoint_filename(16)
    text = path.read_text().split("\n\n")[0] + "\n"
    path.write_text(sign_checkpoint(Checkpoint(ORIGIN, 16, _root_of(text)), ledger.log))
    assert verify_bundle(bundle).ok
    report = verify_bundle(bundle, witness_quorum=1)
    assert not report.ok
    assert "0 witness signatures, need 1" in (report.error or "")


def test_missing_entries_file_is_a_clean_failure(bundle: Path) -> None:
    (bundle / ENTRIES).unlink()
    _fails_at(bundle, None, "cannot read entries.jsonl")
