"""A small, realistic ledger used by the entry, receipt and bundle tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accord.ledger.agreement import ACCEPTANCE_TYPE, acceptance_payload, agreement_hash
from accord.ledger.bundle import write_bundle
from accord.ledger.checkpoint import Checkpoint, cosign, next_checkpoint
from accord.ledger.entry import Entry, make_entry, sign_entry
from accord.ledger.keys import SigningKey
from accord.ledger.merkle import EMPTY_ROOT, leaf_hash
from accord.ledger.privacy import commit
from accord.ledger.tree import MemoryTreeStore, append_leaves, consistency_proof, root_at

ORIGIN = "accord.example/ledger/demo"


def _key(party: str, n: int) -> SigningKey:
    # Fixed seeds keep the scenario deterministic (Ed25519 signatures are deterministic too).
    return SigningKey.from_seed(party, bytes([n]) * 32)


@dataclass
class Ledger:
    """Keys, entries, tree and checkpoint notes of one tenant's log."""

    log: SigningKey
    witness: SigningKey
    creditor: SigningKey
    debtor: SigningKey
    entries: list[Entry]
    store: MemoryTreeStore
    checkpoints: list[tuple[int, str]]

    @property
    def party_keys(self) -> list[SigningKey]:
        return [self.creditor, self.debtor, self.log]

    def leaf(self, i: int) -> bytes:
        return self.entries[i].leaf_data()

    def write(self, directory: Path) -> Path:
        write_bundle(
            directory,
            origin=ORIGIN,
            log_key=self.log.public,
            entries=(e.leaf_data() for e in self.entries),
            checkpoints=self.checkpoints,
            party_keys=[k.public for k in self.party_keys],
            witness_keys=[self.witness.public],
        )
        return directory


def _entries(creditor: SigningKey, debtor: SigningKey, log: SigningKey, n: int) -> list[Entry]:
    salt = bytes(range(16))
    terms = {"account": "acct-1", "installments": 12, "monthly_minor": 125000, "currency": "CNY"}
    digest = agreement_hash(terms)
    out = []
    for seq in range(n):
        kind = seq % 4
        if kind == 0:
            actor, typ = creditor, "case.opened"
            payload: dict[str, object] = {"debtor_id": commit("110101199003077777", salt)}
        elif kind == 1:
            actor, typ = debtor, "statement.submitted"
            payload = {"income_minor": 800000, "currency": "CNY", "note": "失业 3 个月"}
        elif kind == 2:
            actor, typ = creditor, "offer.proposed"
            payload = {"terms": terms, "rate": "0.0350"}
        else:
            actor, typ = debtor, ACCEPTANCE_TYPE
            payload = acceptance_payload(digest, creditor=creditor, debtor=debtor)
        e = make_entry(
            seq=seq,
            tenant="demo",
            type=typ,
            time=f"2025-03-{1 + seq % 28:02d}T08:00:{seq % 60:02d}Z",
            actor=actor.party,
            subjects=[f"case:{seq // 4}"],
            payload=payload,
        )
        out.append(sign_entry(e, actor))
    return out


def build_ledger(n: int = 21, checkpoint_every: int = 8) -> Ledger:
    """A log of ``n`` signed entries, witnessed checkpoints every few entries and at the end."""
    log = _key("log:accord.example", 1)
    witness = _key("witness:auditor.example", 2)
    creditor = _key("creditor:acme", 3)
    debtor = _key("debtor:7f3a", 4)
    entries = _entries(creditor, debtor, log, n)
    store = MemoryTreeStore()
    prev = Checkpoint(ORIGIN, 0, EMPTY_ROOT)
    notes = []
    sizes = sorted({*range(checkpoint_every, n, checkpoint_every), n})
    done = 0
    for size in sizes:
        append_leaves(store, [leaf_hash(e.leaf_data()) for e in entries[done:size]])
        done = size
        proof = consistency_proof(store, prev.size, size)
        note = next_checkpoint(prev, size, root_at(store, size), proof, log)
        notes.append((size, cosign(note, log.public, witness)))
        prev = Checkpoint(ORIGIN, size, root_at(store, size))
    return Ledger(log, witness, creditor, debtor, entries, store, notes)
