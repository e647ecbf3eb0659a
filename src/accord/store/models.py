"""SQLAlchemy 2 models. Amounts are ``BigInteger`` minor units; rates are exact decimal strings.

Surrogate integer keys join the tables; every business row also carries the tenant and its external
id, unique per tenant, so that imports are idempotent and tenants can never see each other's rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations are deterministic."""

    metadata = MetaData(naming_convention=NAMING)


class Tenant(Base):
    """A lending institution (creditor); every other row belongs to one."""

    __tablename__ = "tenants"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pack: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class User(Base):
    """A staff, debtor, mediator or auditor login within a tenant."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "username"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    username: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Party(Base):
    """A debtor (person or small business). Personal data is stored encrypted (AES-GCM)."""

    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="person")
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # Protected attributes: kept for fairness reporting only, never model features.
    sex: Mapped[str | None] = mapped_column(String(16), nullable=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    marital_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    education: Mapped[str | None] = mapped_column(String(32), nullable=True)
    region: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Account(Base):
    """A loan or card balance (借款账户)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    product: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    principal_minor: Mapped[int] = mapped_column(BigInteger)
    annual_rate: Mapped[str] = mapped_column(String(24))
    open_date: Mapped[date] = mapped_column(Date)
    pack: Mapped[str] = mapped_column(String(16))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)


class Installment(Base):
    """One scheduled due amount (期) of an account; for cards, one monthly statement."""

    __tablename__ = "installments"
    __table_args__ = (UniqueConstraint("account_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    principal_minor: Mapped[int] = mapped_column(BigInteger)
    interest_minor: Mapped[int] = mapped_column(BigInteger)
    fees_minor: Mapped[int] = mapped_column(BigInteger)
    statement_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    statement_balance_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Payment(Base):
    """A repayment; ``external_id`` is the idempotency key."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id"),
        Index("ix_payments_account_paid_on", "account_id", "paid_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)


class Charge(Base):
    """Penalty interest or a late fee accrued by a servicing tick (capped by the pack)."""

    __tablename__ = "charges"
    __table_args__ = (UniqueConstraint("account_id", "kind", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: What the charge is for, e.g. the installment seq for a late fee, or "through:YYYY-MM-DD".
    period: Mapped[str] = mapped_column(String(32))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[date] = mapped_column(Date)


class AccountState(Base):
    """Projection of an account as of a date, written by ``tick`` (one row per account and date)."""

    __tablename__ = "account_states"
    __table_args__ = (UniqueConstraint("account_id", "as_of"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    dpd: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[str] = mapped_column(String(8))
    principal_due_minor: Mapped[int] = mapped_column(BigInteger)
    overdue_minor: Mapped[int] = mapped_column(BigInteger)
    outstanding_minor: Mapped[int] = mapped_column(BigInteger)
    charges_minor: Mapped[int] = mapped_column(BigInteger)


class Import(Base):
    """One all-or-nothing book import; identical content is recognised and not applied twice."""

    __tablename__ = "imports"
    __table_args__ = (UniqueConstraint("tenant_id", "content_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    files: Mapped[str] = mapped_column(Text)
    counts: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The partial index predicate; a query must repeat it literally for the index to be usable.
AGREEMENT_SUBJECTS = "subject LIKE 'agreement:%'"


class Event(Base):
    """A domain event and ledger entry: gap-free ``seq`` per tenant, signed, hashed into the tree.

    The canonical entry (``accord.ledger.entry``) is rebuilt from the columns: ``seq``, the
    tenant, ``type``, ``occurred_at`` (UTC), ``author`` (the entry's ``actor``: the signing
    party), ``subject`` (the one subject), ``payload`` (canonical JSON) and ``sigs`` (canonical
    JSON array). ``actor`` is the internal operator (``system:tick``, a staff user) and is not
    part of the shared entry. ``leaf_hash`` is the RFC 9162 leaf hash of the entry bytes.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seq"),
        # an agreement's history is read back by subject for replay; only agreement subjects
        # are indexed (a partial index), so the bulk of entries pays no index update for it
        Index(
            "ix_events_tenant_agreement",
            "tenant_id",
            "subject",
            sqlite_where=text(AGREEMENT_SUBJECTS),
            postgresql_where=text(AGREEMENT_SUBJECTS),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(160))
    sigs: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary)


class EventHead(Base):
    """Per-tenant sequence counter; locked row-wise so concurrent writers get gap-free ``seq``."""

    __tablename__ = "event_heads"
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    next_seq: Mapped[int] = mapped_column(BigInteger)


class LedgerNode(Base):
    """Hash of a perfect subtree ``(level, idx)`` of a tenant's tree, written once (level >= 4).

    Levels 1-3 are recomputed from at most 8 leaf hashes of ``events`` when needed, which keeps
    the table at about n/8 rows for n entries while every root or proof still reads O(log n).
    """

    __tablename__ = "ledger_nodes"
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    # level-4 nodes only: their 16 leaf hashes, concatenated (a copy of events.leaf_hash kept
    # apart from the event rows, so a bundle can name a changed entry; NULL before 0006)
    leaves: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class LedgerKey(Base):
    """A signing key held in custody: Ed25519 seed wrapped with AES-GCM under the master key."""

    __tablename__ = "ledger_keys"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kid"),
        Index("ix_ledger_keys_tenant_party", "tenant_id", "party"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    party: Mapped[str] = mapped_column(String(160))
    #: "party" (signs entries), "log" (signs checkpoints) or "witness" (cosigns them).
    role: Mapped[str] = mapped_column(String(16))
    kid: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerCheckpoint(Base):
    """A signed tree head (C2SP checkpoint note) of a tenant's ledger."""

    __tablename__ = "ledger_checkpoints"
    __table_args__ = (UniqueConstraint("tenant_id", "size"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    size: Mapped[int] = mapped_column(BigInteger)
    root: Mapped[bytes] = mapped_column(LargeBinary)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerSalt(Base):
    """Private salt of a commitment to personal data (never exported with the ledger)."""

    __tablename__ = "ledger_salts"
    __table_args__ = (UniqueConstraint("tenant_id", "subject", "field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    subject: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(64))
    salt: Mapped[bytes] = mapped_column(LargeBinary)


#: Core tables of the hot append path (Core inserts skip the ORM's per-row bookkeeping).
EVENTS_TABLE: Table = Base.metadata.tables["events"]
EVENT_HEADS_TABLE: Table = Base.metadata.tables["event_heads"]
LEDGER_NODES_TABLE: Table = Base.metadata.tables["ledger_nodes"]


class RiskRun(Base):
    """One scoring run: a tenant's book scored as of a date with one model version."""

    __tablename__ = "risk_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "as_of", "model_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    model_version: Mapped[str] = mapped_column(String(32))
    accounts: Mapped[int] = mapped_column(Integer)
    #: sha256 of the canonical JSON of every (account, score, pd, band, reasons) row.
    digest: Mapped[str] = mapped_column(String(64))
    #: JSON: band counts, early-warning count, drift (PSI) summary.
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RiskScore(Base):
    """One account's score in a run: points, PD (decimal string), band, reasons, segment."""

    __tablename__ = "risk_scores"
    __table_args__ = (UniqueConstraint("run_id", "account_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("risk_runs.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    dpd: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    pd: Mapped[str] = mapped_column(String(24))
    band: Mapped[str] = mapped_column(String(2))
    #: JSON list of {"message_id", "params"} (rendered in zh-CN and en through the catalogue).
    reasons: Mapped[str] = mapped_column(Text)
    #: Early-warning flags (JSON list of {"message_id", "params"}), empty when none.
    flags: Mapped[str] = mapped_column(Text)
    #: Behavioural segment of a delinquent account (ability vs willingness), else NULL.
    segment: Mapped[str | None] = mapped_column(String(16), nullable=True)
    segment_reasons: Mapped[str | None] = mapped_column(Text, nullable=True)


class AgreementRow(Base):
    """A signed (or to-be-signed) agreement and its executor projection.

    ``terms`` is the canonical JSON the parties sign (``terms_hash`` its SHA-256); ``state`` is
    the executor state document and ``state_hash`` its hash, both derived from the agreement's
    ledger entries (subject ``agreement:<agreement_id>``), from which replay recomputes them.
    """

    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("tenant_id", "agreement_id"),
        Index("ix_agreements_tenant_status", "tenant_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    agreement_id: Mapped[str] = mapped_column(String(64))
    debtor_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24))
    terms: Mapped[str] = mapped_column(Text)
    terms_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(Text)
    state_hash: Mapped[str] = mapped_column(String(64))
    #: JSON ``{"creditor": base64, "debtor": base64}`` acceptance signatures given so far.
    signatures: Mapped[str] = mapped_column(Text)
    event_count: Mapped[int] = mapped_column(Integer)
    #: Channel -> address map (email, phone, webhook URL), encrypted (AES-GCM); may be NULL.
    contacts_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """A notification to deliver (transactional outbox; see :mod:`accord.compliance.outbox`)."""

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_due", "status", "next_attempt_at"),)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    agreement_pk: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    debtor_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    recipient_role: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    params: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(16))
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    blocked_rule: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ContactLog(Base):
    """One contact attempt (sent, failed or blocked with its rule), kept for compliance."""

    __tablename__ = "contact_log"
    __table_args__ = (Index("ix_contact_log_tenant_debtor_at", "tenant_id", "debtor_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    debtor_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(16))
    recipient_role: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(64))
    reason_id: Mapped[str] = mapped_column(String(64))
    next_slot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    purpose: Mapped[str] = mapped_column(String(16))


class NegotiationSessionRow(Base):
    """A negotiation session (alternating offers or a mediation) and its resumable state.

    ``case`` is the canonical JSON case (schema ``negotiation-case.v1``); ``state`` the protocol
    parameters and position (deadline, beta, round, standing offer, debtor actions) from which
    :mod:`accord.services.negotiation_sessions` rebuilds the session deterministically. Every
    step is also in the tenant's ledger under subject ``negotiation:<id>``.
    """

    __tablename__ = "negotiation_sessions"
    __table_args__ = (Index("ix_negotiation_sessions_tenant_status", "tenant_id", "status"),)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str] = mapped_column(String(64))
    case: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(Text)
    rounds: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
