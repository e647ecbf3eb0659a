"""C2SP signed notes and tlog checkpoints: Go known answer, witnesses, refusing forks."""

from __future__ import annotations

import base64

import pytest

from accord.ledger.checkpoint import (
    Checkpoint,
    cosign,
    next_checkpoint,
    parse_checkpoint_text,
    sign_checkpoint,
    verify_checkpoint,
    verify_witnessed,
)
from accord.ledger.errors import InconsistentTrees, MalformedNote, SignatureError
from accord.ledger.keys import SigningKey, generate_signing_key
from accord.ledger.merkle import EMPTY_ROOT, leaf_hash
from accord.ledger.note import open_note, parse_verifier_key, sign_note, verifier_key
from accord.ledger.tree import MemoryTreeStore, consistency_proof, root_at

from .conftest import load_vectors

NOTE = load_vectors("signed_note.json")


def _go_signer() -> SigningKey:
    parts = NOTE["signer_key"].split("+", 4)
    raw = base64.b64decode(parts[4])
    assert raw[0] == 1
    return SigningKey.from_seed(parts[2], raw[1:])


def test_go_sumdb_note_known_answer_is_reproduced_byte_for_byte() -> None:
    key = _go_signer()
    assert verifier_key(key.public) == NOTE["verifier_key"]
    assert sign_note(NOTE["text"], [key]) == NOTE["note"]
    text, signers = open_note(NOTE["note"], [parse_verifier_key(NOTE["verifier_key"])])
    assert text == NOTE["text"]
    assert signers == (key.public,)


def test_unknown_signers_are_ignored_known_bad_ones_fail() -> None:
    vkey = parse_verifier_key(NOTE["verifier_key"])
    cosigned = NOTE["note"] + NOTE["cosigned_note_extra_line"]
    assert open_note(cosigned, [vkey])[0] == NOTE["text"]
    with pytest.raises(SignatureError):
        open_note(NOTE["note"].replace("cryptography", "cryptographY"), [vkey])
    with pytest.raises(SignatureError):
        open_note(NOTE["note"], [generate_signing_key("PeterNeumann").public])


@pytest.mark.parametrize(
    "note",
    ["no blank line\n— a AAAA\n", "text\n\n-- a AAAAAAAA\n", "text\n\n— a AAAAAAAA", "t\x01\n\n"],
)
def test_malformed_notes(note: str) -> None:
    with pytest.raises(MalformedNote):
        open_note(note, [])


def _tree(n: int) -> MemoryTreeStore:
    return MemoryTreeStore.from_leaves([bytes([i]) for i in range(n)])


def test_checkpoint_text_format_and_round_trip() -> None:
    log = generate_signing_key("log:example")
    cp = Checkpoint("example.com/log", 8, root_at(_tree(8), 8))
    assert cp.text() == f"example.com/log\n8\n{base64.b64encode(cp.root).decode()}\n"
    note = sign_checkpoint(cp, log)
    assert note.startswith(cp.text() + "\n— log:example ")
    assert verify_checkpoint(note, log.public, "example.com/log") == cp
    with pytest.raises(MalformedNote):
        verify_checkpoint(note, log.public, "other.origin")
    with pytest.raises(SignatureError):
        verify_checkpoint(note.replace("\n8\n", "\n9\n"), log.public)


@pytest.mark.parametrize(
    "text", ["o\n08\nAAAA\n", "o\n8\n" + "A" * 44 + "\n", "o\n-1\nx\n", "o\n1\n"]
)
def test_parse_rejects_bad_checkpoint_text(text: str) -> None:
    with pytest.raises(MalformedNote):
        parse_checkpoint_text(text)


def test_witness_cosignature() -> None:
    log, witness = generate_signing_key("log:l"), generate_signing_key("witness:w")
    note = sign_checkpoint(Checkpoint("o", 0, EMPTY_ROOT), log)
    with pytest.raises(SignatureError):
        verify_witnessed(note, log.public, [witness.public])
    cosigned = cosign(note, log.public, witness)
    assert verify_witnessed(cosigned, log.public, [witness.public]).size == 0
    with pytest.raises(SignatureError):  # a witness refuses a note the log did not sign
        cosign(note, witness.public, witness)


def test_next_checkpoint_requires_consistency() -> None:
    log = generate_signing_key("log:l")
    store = _tree(13)
    prev = Checkpoint("o", 5, root_at(store, 5))
    good = next_checkpoint(prev, 13, root_at(store, 13), consistency_proof(store, 5, 13), log)
    assert verify_checkpoint(good, log.public).size == 13
    forked = MemoryTreeStore.from_leaves([bytes([i]) for i in range(4)] + [b"x"] * 9)
    with pytest.raises(InconsistentTrees):
        next_checkpoint(prev, 13, root_at(forked, 13), consistency_proof(forked, 5, 13), log)
    with pytest.raises(InconsistentTrees):  # shrinking
        next_checkpoint(prev, 4, root_at(store, 4), [], log)
    with pytest.raises(InconsistentTrees):  # same size, other root
        next_checkpoint(prev, 5, leaf_hash(b"x"), [], log)
