"""Repository for servicing projections: account states by date, charges, tick dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from accord.store.models import Account, AccountState, Charge, Installment, Payment


def tick_dates(session: Session, tenant_id: str) -> list[date]:
    """Dates for which a tick has stored account states, ascending."""
    rows = session.scalars(
        select(AccountState.as_of).where(AccountState.tenant_id == tenant_id).distinct()
    ).all()
    return sorted(rows)


def bucket_summary(session: Session, tenant_id: str, as_of: date) -> list[tuple[Any, ...]]:
    """(bucket, accounts, outstanding, overdue, charges) rows at ``as_of``."""
    return list(
        session.execute(
            select(
                AccountState.bucket,
                func.count(),
                func.sum(AccountState.outstanding_minor),
                func.sum(AccountState.overdue_minor),
                func.sum(AccountState.charges_minor),
            )
            .where(AccountState.tenant_id == tenant_id, AccountState.as_of == as_of)
            .group_by(AccountState.bucket)
        ).all()
    )


def buckets_by_account(session: Session, tenant_id: str, as_of: date) -> dict[int, str]:
    """Account key → bucket at ``as_of``."""
    rows = session.execute(
        select(AccountState.account_id, AccountState.bucket).where(
            AccountState.tenant_id == tenant_id, AccountState.as_of == as_of
        )
    ).all()
    return {int(a): str(b) for a, b in rows}


def replace_states(
    session: Session, tenant_id: str, as_of: date, rows: Sequence[dict[str, Any]]
) -> None:
    """Store the states of a tick at ``as_of``, replacing any earlier run for the same date."""
    session.execute(
        delete(AccountState).where(AccountState.tenant_id == tenant_id, AccountState.as_of == as_of)
    )
    if rows:
        # Core insert on the table: an executemany without the ORM's per-row bookkeeping
        session.execute(insert(cast(Table, AccountState.__table__)), list(rows))


def load_book(
    session: Session, tenant_id: str, as_of: date
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Accounts, installments (all) and payments (dated ≤ ``as_of``) of a tenant, ordered."""
    session.flush()
    conn = session.connection()  # Core execution: plain rows, no ORM result processing
    accounts = conn.execute(
        select(
            Account.id,
            Account.external_id,
            Account.currency,
            Account.principal_minor,
            Account.annual_rate,
            Account.open_date,
            Account.pack,
            Account.product,
        )
        .where(Account.tenant_id == tenant_id)
        .order_by(Account.id)
    ).all()
    installments = conn.execute(
        select(
            Installment.account_id,
            Installment.seq,
            Installment.due_date,
            Installment.principal_minor,
            Installment.interest_minor,
            Installment.fees_minor,
        )
        .join(Account, Account.id == Installment.account_id)
        .where(Account.tenant_id == tenant_id)
        .order_by(Installment.account_id, Installment.seq)
    ).all()
    payments = conn.execute(
        select(Payment.account_id, Payment.paid_on, Payment.amount_minor, Payment.external_id)
        .where(Payment.tenant_id == tenant_id, Payment.paid_on <= as_of)
        .order_by(Payment.account_id, Payment.paid_on, Payment.id)
    ).all()
    return (
        [tuple(r) for r in accounts],
        [tuple(r) for r in installments],
        [tuple(r) for r in payments],
    )


def upsert_charges(session: Session, tenant_id: str, rows: Sequence[dict[str, Any]]) -> int:
    """Insert charges that are not stored yet (key: account, kind, period); return how many."""
    if not rows:
        return 0
    periods = {r["period"] for r in rows}
    existing = {
        (a, k, p)
        for a, k, p in session.execute(
            select(Charge.account_id, Charge.kind, Charge.period)
            .join(Account, Account.id == Charge.account_id)
            .where(Account.tenant_id == tenant_id, Charge.period.in_(periods))
        ).all()
    }
    fresh = [r for r in rows if (r["account_id"], r["kind"], r["period"]) not in existing]
    if fresh:
        session.execute(insert(Charge), fresh)
    return len(fresh)


def states_at(session: Session, tenant_id: str, as_of: date) -> dict[int, tuple[Any, ...]]:
    """Account key → stored state fields at ``as_of`` (for idempotence checks)."""
    rows = session.execute(
        select(
            AccountState.account_id,
            AccountState.dpd,
            AccountState.bucket,
            AccountState.principal_due_minor,
            AccountState.overdue_minor,
            AccountState.outstanding_minor,
            AccountState.charges_minor,
        ).where(AccountState.tenant_id == tenant_id, AccountState.as_of == as_of)
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def previous_buckets(session: Session, tenant_id: str, before: date) -> dict[int, str]:
    """Account key → bucket at the latest tick strictly before ``before`` (empty if none)."""
    earlier = [d for d in tick_dates(session, tenant_id) if d < before]
    if not earlier:
        return {}
    return buckets_by_account(session, tenant_id, earlier[-1])


def buckets_by_external_id(session: Session, tenant_id: str, as_of: date) -> dict[str, str]:
    """External account id → bucket at ``as_of``."""
    rows = session.execute(
        select(Account.external_id, AccountState.bucket)
        .join(Account, Account.id == AccountState.account_id)
        .where(AccountState.tenant_id == tenant_id, AccountState.as_of == as_of)
    ).all()
    return {str(a): str(b) for a, b in rows}
