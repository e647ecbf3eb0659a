"""Ledger configuration and key custody: who signs, with which key, and how keys rest.

Every tenant's ledger has three kinds of Ed25519 key, all held in custody in ``ledger_keys``
with the private seed wrapped (AES-256-GCM, :func:`accord.ledger.keys.wrap_private_key`) under
the master key (``Settings.master_key()``):

* the **log key** (role ``log``, note name = the log origin ``<host>/<tenant>``) signs
  checkpoints;
* an optional **witness key** (role ``witness``, name ``witness:<host>``) cosigns checkpoints
  after the log has proven consistency with the previous one (``LedgerConfig.witness``);
* **party keys** (role ``party``) sign entries. The entry's ``actor`` is the party that vouches
  for it. Facts the platform derives on its own account from the log and the calendar (the
  month-end tick's bucket changes) are *system entries* (actor ``system:<process>``) with no
  signature, vouched for by the signed checkpoints; no key is ever made for a ``system:``
  party. Staff actions, scoring runs, agreement steps and the creditor's
  imports are vouched for by the tenant itself — party ``creditor:<tenant>`` — because an
  operator's identity (a staff user name) is internal audit data and personal data, not
  something to publish in the shared ledger; the operator stays in the private
  ``events.actor`` column. Debtors sign as ``debtor:<pseudonym>``; until the
  negotiation integration lets debtors hold their own keys, their keys are custodial too.

The configuration travels with the session factory (``session.info``), so services that only
hold a factory append signed entries without new parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accord.ledger.entry import is_system_actor
from accord.ledger.keys import (
    PublicKey,
    SigningKey,
    WrappedKey,
    generate_signing_key,
    unwrap_private_key,
    wrap_private_key,
)
from accord.store.models import LedgerKey

INFO_KEY = "accord.ledger"
ROLE_PARTY, ROLE_LOG, ROLE_WITNESS = "party", "log", "witness"


@dataclass(frozen=True, slots=True)
class LedgerConfig:
    """What the ledger needs at run time: the key-encryption key, origin host, witnessing."""

    kek: bytes
    host: str = "accord.local"
    witness: bool = False

    def __post_init__(self) -> None:
        if len(self.kek) != 32:
            raise ValueError("the ledger key-encryption key must be 32 bytes")
        if not self.host or any(c.isspace() or c == "+" for c in self.host):
            raise ValueError(f"bad ledger host {self.host!r}")

    def __repr__(self) -> str:
        return f"LedgerConfig(host={self.host!r}, witness={self.witness})"

    def origin(self, tenant_id: str) -> str:
        """The checkpoint origin (and log key name) of a tenant's log."""
        return f"{self.host}/{tenant_id}"

    def witness_party(self) -> str:
        """Note name of the witness key."""
        return f"witness:{self.host}"


class LedgerNotConfigured(RuntimeError):
    """The session was opened without a :class:`LedgerConfig` (so nothing can be signed)."""


def ledger_config(session: Session) -> LedgerConfig:
    """The ledger configuration attached to the session's factory; raise if there is none."""
    cfg = session.info.get(INFO_KEY)
    if not isinstance(cfg, LedgerConfig):
        raise LedgerNotConfigured(
            "this session has no ledger configuration: open the factory with "
            "accord.store.db.session_factory(engine, ledger=LedgerConfig(kek=...))"
        )
    return cfg


def creditor_party(tenant_id: str) -> str:
    """The party that signs a tenant's system and staff actions."""
    return f"creditor:{tenant_id}"


@lru_cache(maxsize=1024)
def _unwrap(wrapped_json: str, kek: bytes) -> SigningKey:
    # Unwrapping is cheap but runs once per transaction; the cache keys on the exact blob.
    return unwrap_private_key(WrappedKey.from_json(json.loads(wrapped_json)), kek)


def signing_key(session: Session, tenant_id: str, party: str, role: str = ROLE_PARTY) -> SigningKey:
    """The newest custodial key of ``party`` in ``tenant_id``, created on first use.

    Callers that may race for the first key of a party hold the tenant's ledger head lock
    (``event_heads``), which serialises them.
    """
    if is_system_actor(party):
        raise ValueError(f"{party!r} is a system actor: system entries carry no party key")
    cfg = ledger_config(session)
    row = session.execute(
        select(LedgerKey.wrapped)
        .where(LedgerKey.tenant_id == tenant_id, LedgerKey.party == party, LedgerKey.role == role)
        .order_by(LedgerKey.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is not None:
        return _unwrap(row, cfg.kek)
    key = generate_signing_key(party)
    wrapped = json.dumps(wrap_private_key(key, cfg.kek).to_json(), sort_keys=True)
    session.execute(
        insert(LedgerKey).values(
            tenant_id=tenant_id,
            party=party,
            role=role,
            kid=key.kid,
            public_key=key.public.raw,
            wrapped=wrapped,
            created_at=datetime.now(UTC),
        )
    )
    return key


def log_key(session: Session, tenant_id: str) -> SigningKey:
    """The tenant log's checkpoint-signing key (named after the log origin)."""
    return signing_key(session, tenant_id, ledger_config(session).origin(tenant_id), ROLE_LOG)


def witness_key(session: Session, tenant_id: str) -> SigningKey:
    """The witness key that cosigns the tenant's checkpoints."""
    return signing_key(session, tenant_id, ledger_config(session).witness_party(), ROLE_WITNESS)


def public_keys(session: Session, tenant_id: str, role: str) -> list[PublicKey]:
    """Every public key of ``role`` in the tenant (all generations), in creation order."""
    rows = session.execute(
        select(LedgerKey.party, LedgerKey.public_key)
        .where(LedgerKey.tenant_id == tenant_id, LedgerKey.role == role)
        .order_by(LedgerKey.id)
    ).all()
    return [PublicKey(party, bytes(raw)) for party, raw in rows]
