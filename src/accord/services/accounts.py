"""``account_view``: one account's terms, schedule, payments and DPD history, for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from accord.core.money import Money
from accord.store import servicing


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One installment as stored (for cards: one monthly statement)."""

    seq: int
    due_date: date
    principal: Money
    interest: Money
    fees: Money
    statement_balance: Money | None


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """One received payment."""

    payment_id: str
    paid_on: date
    amount: Money


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """The account at one ticked date."""

    as_of: date
    dpd: int
    bucket: str
    overdue: Money
    outstanding: Money
    charges: Money


@dataclass(frozen=True, slots=True)
class AccountView:
    """Everything staff need to read one account; the party appears by pseudonymous id only."""

    tenant: str
    account_id: str
    party_id: str
    product: str
    principal: Money
    annual_rate: Decimal
    open_date: date
    pack: str
    schedule: tuple[ScheduleLine, ...]
    payments: tuple[PaymentLine, ...]
    history: tuple[HistoryLine, ...]


def account_view(*, factory: sessionmaker[Session], tenant: str, account_id: str) -> AccountView:
    """Read one account of ``tenant``; raises ``LookupError`` if it does not exist there."""
    with factory() as session:
        found = servicing.account_detail(session, tenant, account_id)
    if found is None:
        raise LookupError(f"no account {account_id!r} in tenant {tenant!r}")
    (acct, party_ext), installments, payments, states = found
    cur = acct.currency

    def m(minor: int) -> Money:
        return Money(minor, cur)

    return AccountView(
        tenant=tenant,
        account_id=acct.external_id,
        party_id=party_ext,
        product=acct.product,
        principal=m(acct.principal_minor),
        annual_rate=Decimal(acct.annual_rate),
        open_date=acct.open_date,
        pack=acct.pack,
        schedule=tuple(
            ScheduleLine(
                i.seq,
                i.due_date,
                m(i.principal_minor),
                m(i.interest_minor),
                m(i.fees_minor),
                None if i.statement_balance_minor is None else m(i.statement_balance_minor),
            )
            for i in installments
        ),
        payments=tuple(PaymentLine(p.external_id, p.paid_on, m(p.amount_minor)) for p in payments),
        history=tuple(
            HistoryLine(
                s.as_of,
                s.dpd,
                s.bucket,
                m(s.overdue_minor),
                m(s.outstanding_minor),
                m(s.charges_minor),
            )
            for s in states
        ),
    )
