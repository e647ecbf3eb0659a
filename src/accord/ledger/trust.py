"""The keys a verifier trusts: the log key, witness keys and party keys (by key id)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accord.ledger.keys import PublicKey


@dataclass(frozen=True, slots=True)
class TrustedKeys:
    """Log key (signs checkpoints), witness keys (cosign) and party keys (sign entries)."""

    log: PublicKey
    parties: Mapping[str, PublicKey] = field(default_factory=dict)
    witnesses: tuple[PublicKey, ...] = ()

    @classmethod
    def of(
        cls,
        log: PublicKey,
        parties: Iterable[PublicKey] = (),
        witnesses: Iterable[PublicKey] = (),
    ) -> TrustedKeys:
        """Build from lists of keys; party keys are indexed by kid."""
        return cls(log, {k.kid: k for k in parties}, tuple(witnesses))
