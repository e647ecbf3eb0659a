"""accord.ledger — the tamper-evident shared ledger, pure and standalone.

Owns: RFC 9162 Merkle hashing and proofs (merkle, nodes, proof, tree), RFC 8785 canonical JSON
(canonical), entries and their Ed25519 signatures (entry, agreement, keys, privacy), C2SP signed
notes and checkpoints (note, checkpoint), receipts (receipt), audit bundles and the offline
verifier ``python -m accord.ledger.verify DIR`` (bundle, verify); the composed append path a
store calls (log). Formats: README.md here.

Must not import: anything but the standard library and ``cryptography`` — no accord.core, no
numpy, polars, sqlalchemy or pydantic (an import-linter contract enforces it), because auditors
run the verifier in an environment that holds only ``cryptography``. Persistence lives in
accord.store, which implements :class:`accord.ledger.tree.TreeStore`.
"""
