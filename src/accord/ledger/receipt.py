"""Receipts: an entry, its inclusion proof and a signed checkpoint — verifiable offline.

JSON form (``format`` = ``accord-receipt-v1``)::

    {"format": ..., "entry": "<canonical entry JSON as a string>", "index": int, "size": int,
     "proof": [base64 hashes, leaf side first], "checkpoint": "<signed checkpoint note>"}

``size`` must equal the checkpoint's size; ``index`` must equal the entry's ``seq``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from accord.ledger.agreement import ACCEPTANCE_TYPE, verify_acceptance
from accord.ledger.checkpoint import verify_checkpoint, verify_witnessed
from accord.ledger.entry import Entry, parse_entry, verify_entry_signatures
from accord.ledger.errors import EntryError, MalformedNote, ProofError
from accord.ledger.merkle import leaf_hash
from accord.ledger.proof import verify_inclusion
from accord.ledger.tree import TreeStore, inclusion_proof
from accord.ledger.trust import TrustedKeys

RECEIPT_FORMAT = "accord-receipt-v1"


@dataclass(frozen=True, slots=True)
class Receipt:
    """Proof that an entry is in the log at a checkpointed size."""

    entry: bytes
    index: int
    size: int
    proof: tuple[bytes, ...]
    checkpoint: str

    def to_json(self) -> dict[str, Any]:
        """JSON form (see module docstring)."""
        return {
            "format": RECEIPT_FORMAT,
            "entry": self.entry.decode("utf-8"),
            "index": self.index,
            "size": self.size,
            "proof": [base64.b64encode(h).decode() for h in self.proof],
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_json(cls, obj: Any) -> Receipt:
        """Inverse of :meth:`to_json`."""
        try:
            if obj["format"] != RECEIPT_FORMAT:
                raise ValueError(f"unknown receipt format {obj['format']!r}")
            return cls(
                obj["entry"].encode("utf-8"),
                int(obj["index"]),
                int(obj["size"]),
                tuple(base64.b64decode(h, validate=True) for h in obj["proof"]),
                obj["checkpoint"],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ProofError(f"malformed receipt: {exc}") from None


def make_receipt(
    store: TreeStore, entry_data: bytes, index: int, checkpoint_note: str, checkpoint_size: int
) -> Receipt:
    """Build a receipt for leaf ``index`` against a checkpoint of ``checkpoint_size`` leaves.

    The caller passes the checkpoint's size (it signed it); the proof is read from ``store`` in
    O(log n) node reads.
    """
    proof = inclusion_proof(store, index, checkpoint_size)
    return Receipt(entry_data, index, checkpoint_size, tuple(proof), checkpoint_note)


def verify_receipt(receipt: Receipt, trusted: TrustedKeys, origin: str | None = None) -> Entry:
    """Verify a receipt offline and return its entry.

    Checks, in order: the checkpoint is signed by the trusted log key (and, when witnesses are
    trusted, cosigned by at least one); the receipt's size is the checkpoint's; the entry is
    canonical and well-formed with ``seq == index``; its signatures (and, for an acceptance, both
    parties' agreement signatures) verify; the inclusion proof leads to the checkpoint root.
    """
    if trusted.witnesses:
        cp = verify_witnessed(receipt.checkpoint, trusted.log, trusted.witnesses)
    else:
        cp = verify_checkpoint(receipt.checkpoint, trusted.log)
    if origin is not None and cp.origin != origin:
        raise MalformedNote(f"checkpoint origin {cp.origin!r}, expected {origin!r}")
    if cp.size != receipt.size:
        raise ProofError(f"receipt size {receipt.size} but checkpoint size {cp.size}")
    entry = parse_entry(receipt.entry)
    if entry.seq != receipt.index:
        raise EntryError(f"entry seq {entry.seq} but receipt index {receipt.index}")
    verify_entry_signatures(entry, trusted.parties)
    if entry.type == ACCEPTANCE_TYPE:
        verify_acceptance(entry.payload, trusted.parties)
    verify_inclusion(leaf_hash(receipt.entry), receipt.index, cp.size, receipt.proof, cp.root)
    return entry
