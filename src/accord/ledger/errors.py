"""Exceptions of accord.ledger: one hierarchy rooted at :class:`LedgerError`.

Broken preconditions (a leaf index outside the tree, a negative size) raise subclasses of
:class:`PreconditionError`, which is also a :class:`ValueError`. Failed verifications (a proof
that does not lead to the expected root, a bad signature, a forked checkpoint) raise subclasses
of :class:`VerificationError`; their messages name what was expected and what was found.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every error raised by accord.ledger."""


class PreconditionError(LedgerError, ValueError):
    """A caller broke a documented precondition (bad index, size, length or type)."""


class CanonicalizationError(PreconditionError):
    """A value cannot be written as RFC 8785 canonical JSON, or bytes are not canonical."""


class VerificationError(LedgerError):
    """Something did not verify: proof, signature, checkpoint, receipt or bundle."""


class ProofError(VerificationError):
    """A Merkle proof is malformed (wrong length, wrong hash size) for the given sizes."""


class RootMismatch(ProofError):
    """A recomputed Merkle root differs from the expected one; both are kept and shown in hex."""

    def __init__(self, expected: bytes, computed: bytes, what: str = "root") -> None:
        self.expected = expected
        self.computed = computed
        self.what = what
        super().__init__(f"{what} mismatch: expected {expected.hex()}, computed {computed.hex()}")


class InconsistentTrees(VerificationError):
    """Two tree heads cannot both be prefixes of one append-only log (e.g. a fork)."""


class SignatureError(VerificationError):
    """A signature is missing, made by an unknown key, or does not verify."""


class UnknownKey(SignatureError):
    """A signature names a key id that the verifier does not trust."""


class MalformedNote(VerificationError):
    """A signed note or checkpoint does not follow the C2SP text format."""


class EntryError(VerificationError):
    """A ledger entry is malformed (missing field, wrong type, bad time format)."""


class KeyCustodyError(LedgerError):
    """A wrapped private key cannot be unwrapped (wrong key-encryption key or tampered blob)."""


class BundleError(VerificationError):
    """A bundle failed verification; ``index`` is the first bad entry index when one is known."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        self.reason = reason
        self.index = index
        where = f"entry {index}: " if index is not None else ""
        super().__init__(f"{where}{reason}")
