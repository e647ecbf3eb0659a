"""Repository for the loan book: tenants, parties, accounts, installments, payments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from accord.store.models import Account, Base, Installment, Party, Payment, Tenant


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    """The tenant row, or ``None``."""
    return session.get(Tenant, tenant_id)


def create_tenant(
    session: Session, *, tenant_id: str, name: str, pack: str, currency: str
) -> Tenant:
    """Insert a tenant (the caller records the event)."""
    tenant = Tenant(
        id=tenant_id, name=name, pack=pack, currency=currency, created_at=datetime.now(UTC)
    )
    session.add(tenant)
    session.flush()
    return tenant


def core_table(model: type[Base]) -> Table:
    """The Core table of an ORM model (Core inserts skip per-row ORM bookkeeping)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def tenant_ids(session: Session) -> list[str]:
    """Every tenant id, sorted."""
    return sorted(session.scalars(select(Tenant.id)).all())


def party_keys(session: Session, tenant_id: str) -> dict[str, int]:
    """External party id → surrogate key, for one tenant."""
    rows = session.execute(
        select(Party.external_id, Party.id).where(Party.tenant_id == tenant_id)
    ).all()
    return dict(rows)


def account_index(session: Session, tenant_id: str) -> dict[str, tuple[int, tuple[Any, ...]]]:
    """External account id → (surrogate key, comparable content) for one tenant."""
    rows = session.execute(
        select(
            Account.external_id,
            Account.id,
            Party.external_id,
            Account.product,
            Account.currency,
            Account.principal_minor,
            Account.annual_rate,
            Account.open_date,
            Account.pack,
        )
        .join(Party, Party.id == Account.party_id)
        .where(Account.tenant_id == tenant_id)
    ).all()
    return {r[0]: (r[1], tuple(r[2:])) for r in rows}


def installment_index(session: Session, tenant_id: str) -> dict[tuple[int, int], tuple[Any, ...]]:
    """(account key, seq) → comparable content, for one tenant."""
    rows = session.execute(
        select(
            Installment.account_id,
            Installment.seq,
            Installment.due_date,
            Installment.principal_minor,
            Installment.interest_minor,
            Installment.fees_minor,
            Installment.statement_date,
            Installment.statement_balance_minor,
        )
        .join(Account, Account.id == Installment.account_id)
        .where(Account.tenant_id == tenant_id)
    ).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def payment_index(session: Session, tenant_id: str) -> dict[str, tuple[Any, ...]]:
    """External payment id → comparable content (account key, date, amount, currency)."""
    rows = session.execute(
        select(
            Payment.external_id,
            Payment.account_id,
            Payment.paid_on,
            Payment.amount_minor,
            Payment.currency,
        ).where(Payment.tenant_id == tenant_id)
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def insert_returning_keys(
    session: Session, model: type[Party] | type[Account], rows: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """Bulk-insert ``rows`` and return external id → new surrogate key."""
    if not rows:
        return {}
    table = core_table(model)
    result = session.execute(
        insert(table).returning(  # Core insert: no ORM bookkeeping per row
            table.c.external_id, table.c.id, sort_by_parameter_order=True
        ),
        list(rows),
    )
    return dict(result.all())


def bulk_insert(
    session: Session, model: type[Installment] | type[Payment], rows: Iterable[dict[str, Any]]
) -> int:
    """Bulk-insert plain rows; return how many."""
    batch = list(rows)
    if batch:
        session.execute(insert(core_table(model)), batch)
    return len(batch)


def book_counts(session: Session, tenant_id: str) -> dict[str, int]:
    """How many parties, accounts, installments and payments the tenant has."""
    acc = select(Account.id).where(Account.tenant_id == tenant_id).subquery()
    return {
        "parties": session.scalar(
            select(func.count()).select_from(Party).where(Party.tenant_id == tenant_id)
        )
        or 0,
        "accounts": session.scalar(select(func.count()).select_from(acc)) or 0,
        "installments": session.scalar(
            select(func.count())
            .select_from(Installment)
            .where(Installment.account_id.in_(select(acc.c.id)))
        )
        or 0,
        "payments": session.scalar(
            select(func.count()).select_from(Payment).where(Payment.tenant_id == tenant_id)
        )
        or 0,
    }
