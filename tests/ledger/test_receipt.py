"""Receipts verify offline against trusted keys, and fail when any part is altered."""

from __future__ import annotations

import dataclasses
import json

import pytest

from accord.ledger.errors import VerificationError
from accord.ledger.receipt import Receipt, make_receipt, verify_receipt
from accord.ledger.trust import TrustedKeys

from .scenario import ORIGIN, build_ledger

LEDGER = build_ledger(21)
SIZE, NOTE = LEDGER.checkpoints[-1]
TRUSTED = TrustedKeys.of(
    LEDGER.log.public, [k.public for k in LEDGER.party_keys], [LEDGER.witness.public]
)


def _receipt(i: int) -> Receipt:
    return make_receipt(LEDGER.store, LEDGER.leaf(i), i, NOTE, SIZE)


@pytest.mark.parametrize("i", [0, 3, 20])
def test_receipt_round_trips_json_and_verifies(i: int) -> None:
    r = Receipt.from_json(json.loads(json.dumps(_receipt(i).to_json())))
    entry = verify_receipt(r, TRUSTED, ORIGIN)
    assert entry.seq == i
    assert len(r.proof) <= 5


def test_altered_receipts_fail() -> None:
    r = _receipt(5)
    other_entry = LEDGER.leaf(6)
    flipped = bytearray(r.proof[0])
    flipped[0] ^= 1
    bad = [
        dataclasses.replace(r, entry=other_entry),
        dataclasses.replace(r, index=6),
        dataclasses.replace(r, size=SIZE - 1),
        dataclasses.replace(r, proof=(bytes(flipped), *r.proof[1:])),
        dataclasses.replace(r, proof=r.proof[:-1]),
        dataclasses.replace(r, checkpoint=NOTE.replace(f"\n{SIZE}\n", f"\n{SIZE + 1}\n")),
        dataclasses.replace(r, entry=r.entry.replace(b'"tenant":"demo"', b'"tenant":"demx"')),
    ]
    for receipt in bad:
        with pytest.raises(VerificationError):
            verify_receipt(receipt, TRUSTED, ORIGIN)


def test_receipt_needs_the_trusted_log_key_and_witness() -> None:
    r = _receipt(2)
    impostor = dataclasses.replace(TRUSTED, log=LEDGER.creditor.public)
    with pytest.raises(VerificationError):
        verify_receipt(r, impostor)
    unwitnessed = dataclasses.replace(TRUSTED, witnesses=(LEDGER.debtor.public,))
    with pytest.raises(VerificationError):
        verify_receipt(r, unwitnessed)
    with pytest.raises(VerificationError):
        verify_receipt(r, TRUSTED, "another.origin")
