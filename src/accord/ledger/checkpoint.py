"""C2SP tlog-checkpoints (https://c2sp.org/tlog-checkpoint): signed tree heads as signed notes.

The checkpoint text is ``origin "\\n" size "\\n" base64(root) "\\n"`` (decimal size, standard
base64 of the 32-byte RFC 9162 root), optionally followed by extension lines, which we never
emit and reject on parse. It is signed by the log key (note name = the log key's party) and may
carry a **witness cosignature**: a second, plain Ed25519 signed-note line by the witness's key
over the same text. (This is not the timestamped ``cosignature/v1`` format of
c2sp.org/tlog-cosignature; a plain line verifies with any signed-note library and suffices for a
witness that attests "I saw this checkpoint and checked it is consistent with the last one".)
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from accord.ledger.errors import InconsistentTrees, MalformedNote, SignatureError, VerificationError
from accord.ledger.keys import PublicKey, SigningKey
from accord.ledger.merkle import HASH_SIZE
from accord.ledger.note import open_note, parse_note, sign_note, signature_line
from accord.ledger.proof import verify_consistency


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """An unsigned tree head: log origin, tree size and root hash."""

    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        """The checkpoint note text (the bytes every signature covers)."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint_text(text: str) -> Checkpoint:
    """Parse checkpoint note text; strict (canonical decimal size, 32-byte root, no extensions)."""
    lines = text.split("\n")
    if len(lines) != 4 or lines[3] != "":
        raise MalformedNote("checkpoint text must be exactly origin, size and root lines")
    origin, size_s, root_s = lines[:3]
    if not origin or not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")):
        raise MalformedNote(f"bad checkpoint origin or size {origin!r} {size_s!r}")
    try:
        root = base64.b64decode(root_s, validate=True)
    except ValueError:
        raise MalformedNote(f"bad checkpoint root {root_s!r}") from None
    if len(root) != HASH_SIZE or base64.b64encode(root).decode() != root_s:
        raise MalformedNote(f"bad checkpoint root {root_s!r}")
    return Checkpoint(origin, int(size_s), root)


def sign_checkpoint(cp: Checkpoint, log_key: SigningKey) -> str:
    """Return the signed note of ``cp`` by the log key."""
    return sign_note(cp.text(), [log_key])


def verify_checkpoint(note: str, log_key: PublicKey, origin: str | None = None) -> Checkpoint:
    """Verify the log's signature on a checkpoint note and parse it.

    Raises :class:`SignatureError` unless ``log_key`` signed it (other signers are ignored here)
    and :class:`MalformedNote` if the origin differs from ``origin`` (when given).
    """
    text, _ = open_note(note, [log_key])
    cp = parse_checkpoint_text(text)
    if origin is not None and cp.origin != origin:
        raise MalformedNote(f"checkpoint origin {cp.origin!r}, expected {origin!r}")
    return cp


def cosign(note: str, log_key: PublicKey, witness: SigningKey) -> str:
    """Add a witness signature line to a checkpoint note after checking the log's signature."""
    verify_checkpoint(note, log_key)
    text, _ = parse_note(note)
    return note + signature_line(text, witness)


def verify_witnessed(
    note: str, log_key: PublicKey, witnesses: Sequence[PublicKey], quorum: int = 1
) -> Checkpoint:
    """Verify the log signature and at least ``quorum`` signatures by the given witnesses."""
    cp = verify_checkpoint(note, log_key)
    if quorum > 0:
        try:
            _, signed = open_note(note, list(witnesses))
        except SignatureError:
            signed = ()
        if len(signed) < quorum:
            raise SignatureError(f"checkpoint has {len(signed)} witness signatures, need {quorum}")
    return cp


def next_checkpoint(
    prev: Checkpoint,
    new_size: int,
    new_root: bytes,
    consistency_proof: Sequence[bytes],
    log_key: SigningKey,
) -> str:
    """Sign the next checkpoint, refusing unless it provably extends ``prev``.

    Raises :class:`InconsistentTrees` when the consistency proof from ``prev`` to
    ``(new_size, new_root)`` does not verify (including a shrinking size or a fork).
    """
    try:
        verify_consistency(prev.size, new_size, consistency_proof, prev.root, new_root)
    except VerificationError as exc:
        raise InconsistentTrees(
            f"refusing to sign size {new_size}: not consistent with size {prev.size}: {exc}"
        ) from exc
    return sign_checkpoint(Checkpoint(prev.origin, new_size, new_root), log_key)
