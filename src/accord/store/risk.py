"""Repository for risk: point-in-time behaviour frames of a book, and stored scoring runs.

:func:`behaviour_frames` reads the ``statements``, ``payments`` and ``dpd_history`` frames that
:func:`accord.risk.behaviour.behavioural_features` expects, **as of a date**: statements dated on
or before it, payments paid on or before it, and DPD from ticks on or before it, so nothing the
book learns later can reach a feature. Cards carry their statement (date and balance) on the
installment row; for an instalment loan the "statement" of installment *k* is dated on the
previous due date (the open date for the first) with the scheduled principal still owed as its
balance, and the original principal stands in for the credit limit. Protected attributes are
read by a separate function (:func:`protected_attributes`) used only for fairness reports.
Scoring runs (:class:`~accord.store.models.RiskRun`) and their rows are replaced as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from accord.store.book import core_table
from accord.store.models import (
    Account,
    AccountState,
    Installment,
    Party,
    Payment,
    RiskRun,
    RiskScore,
)


@dataclass(frozen=True, slots=True)
class BehaviourFrames:
    """A book's behaviour as of a date (amounts in minor units, keys are account surrogate ids).

    ``accounts``: ``account_id``, ``external_id``; the other three follow the schemas in
    :mod:`accord.risk.behaviour`.
    """

    as_of: date
    accounts: pl.DataFrame
    statements: pl.DataFrame
    payments: pl.DataFrame
    dpd_history: pl.DataFrame


_STATEMENT_SCHEMA = {
    "account_id": pl.Int64,
    "statement_date": pl.Date,
    "due_date": pl.Date,
    "due_amount": pl.Int64,
    "statement_balance": pl.Int64,
    "credit_limit": pl.Int64,
}


def _frame(rows: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def account_frame(session: Session, tenant_id: str) -> pl.DataFrame:
    """``account_id``, ``external_id`` of every account of the tenant, by id."""
    rows = (
        session.connection()
        .execute(
            select(Account.id, Account.external_id)
            .where(Account.tenant_id == tenant_id)
            .order_by(Account.id)
        )
        .all()
    )
    return _frame(rows, {"account_id": pl.Int64, "external_id": pl.String})


def statement_frame(session: Session, tenant_id: str, as_of: date) -> pl.DataFrame:
    """Statements dated on or before ``as_of`` (see the module docstring for loans)."""
    rows = (
        session.connection()
        .execute(
            select(
                Installment.account_id,
                Installment.seq,
                Installment.due_date,
                Installment.principal_minor + Installment.interest_minor + Installment.fees_minor,
                Installment.principal_minor,
                Installment.statement_date,
                Installment.statement_balance_minor,
                Account.principal_minor,
                Account.open_date,
            )
            .join(Account, Account.id == Installment.account_id)
            .where(Account.tenant_id == tenant_id)
            .order_by(Installment.account_id, Installment.seq)
        )
        .all()
    )
    raw = _frame(
        rows,
        {
            "account_id": pl.Int64,
            "seq": pl.Int64,
            "due_date": pl.Date,
            "due_amount": pl.Int64,
            "principal": pl.Int64,
            "stmt_date": pl.Date,
            "stmt_balance": pl.Int64,
            "credit_limit": pl.Int64,
            "open_date": pl.Date,
        },
    )
    # Loans: statement on the previous due date (or the open date) for the principal still owed.
    prev_due = pl.col("due_date").shift(1).over("account_id")
    owed = pl.col("principal").reverse().cum_sum().reverse().over("account_id")
    return (
        raw.with_columns(
            pl.coalesce("stmt_date", prev_due, "open_date").alias("statement_date"),
            pl.coalesce("stmt_balance", owed).alias("statement_balance"),
        )
        .filter(pl.col("statement_date") <= as_of)
        .select(list(_STATEMENT_SCHEMA))
        .cast(_STATEMENT_SCHEMA)  # type: ignore[arg-type]
    )


def payment_frame(session: Session, tenant_id: str, as_of: date) -> pl.DataFrame:
    """Payments paid on or before ``as_of``: ``account_id``, ``paid_on``, ``amount``."""
    rows = (
        session.connection()
        .execute(
            select(Payment.account_id, Payment.paid_on, Payment.amount_minor)
            .where(Payment.tenant_id == tenant_id, Payment.paid_on <= as_of)
            .order_by(Payment.account_id, Payment.paid_on, Payment.id)
        )
        .all()
    )
    return _frame(rows, {"account_id": pl.Int64, "paid_on": pl.Date, "amount": pl.Int64})


def dpd_frame(session: Session, tenant_id: str, as_of: date) -> pl.DataFrame:
    """DPD of every tick on or before ``as_of``: ``account_id``, ``date``, ``dpd``."""
    rows = (
        session.connection()
        .execute(
            select(AccountState.account_id, AccountState.as_of, AccountState.dpd)
            .where(AccountState.tenant_id == tenant_id, AccountState.as_of <= as_of)
            .order_by(AccountState.account_id, AccountState.as_of)
        )
        .all()
    )
    return _frame(rows, {"account_id": pl.Int64, "date": pl.Date, "dpd": pl.Int64})


def behaviour_frames(session: Session, tenant_id: str, as_of: date) -> BehaviourFrames:
    """The point-in-time frames of a tenant's book as of ``as_of`` (see module docstring)."""
    return BehaviourFrames(
        as_of,
        account_frame(session, tenant_id),
        statement_frame(session, tenant_id, as_of),
        payment_frame(session, tenant_id, as_of),
        dpd_frame(session, tenant_id, as_of),
    )


def state_frame(session: Session, tenant_id: str, as_of: date) -> pl.DataFrame:
    """``account_id``, ``dpd``, ``bucket`` stored by the tick at exactly ``as_of``."""
    rows = (
        session.connection()
        .execute(
            select(AccountState.account_id, AccountState.dpd, AccountState.bucket).where(
                AccountState.tenant_id == tenant_id, AccountState.as_of == as_of
            )
        )
        .all()
    )
    return _frame(rows, {"account_id": pl.Int64, "dpd": pl.Int64, "bucket": pl.String}).sort(
        "account_id"
    )


def protected_attributes(session: Session, tenant_id: str) -> pl.DataFrame:
    """``account_id``, ``sex``, ``birth_year`` of each account's party — for fairness audits only,
    never for features."""
    rows = (
        session.connection()
        .execute(
            select(Account.id, Party.sex, Party.birth_year)
            .join(Party, Party.id == Account.party_id)
            .where(Account.tenant_id == tenant_id)
        )
        .all()
    )
    return _frame(rows, {"account_id": pl.Int64, "sex": pl.String, "birth_year": pl.Int64})


# --- scoring runs ------------------------------------------------------------------------------

SCORE_COLUMNS = (
    "account_id",
    "dpd",
    "score",
    "pd",
    "band",
    "reasons",
    "flags",
    "segment",
    "segment_reasons",
)


def find_run(session: Session, tenant_id: str, as_of: date, model_version: str) -> RiskRun | None:
    """The run of ``model_version`` at ``as_of``, if any."""
    return session.scalars(
        select(RiskRun).where(
            RiskRun.tenant_id == tenant_id,
            RiskRun.as_of == as_of,
            RiskRun.model_version == model_version,
        )
    ).one_or_none()


def previous_run(session: Session, tenant_id: str, before: date) -> RiskRun | None:
    """The latest run dated strictly before ``before`` (the most recent one on that date)."""
    return session.scalars(
        select(RiskRun)
        .where(RiskRun.tenant_id == tenant_id, RiskRun.as_of < before)
        .order_by(RiskRun.as_of.desc(), RiskRun.id.desc())
        .limit(1)
    ).one_or_none()


def latest_run(session: Session, tenant_id: str, as_of: date) -> RiskRun | None:
    """The most recent run at exactly ``as_of`` (any model version)."""
    return session.scalars(
        select(RiskRun)
        .where(RiskRun.tenant_id == tenant_id, RiskRun.as_of == as_of)
        .order_by(RiskRun.id.desc())
        .limit(1)
    ).first()


def run_scores(session: Session, run_id: int) -> pl.DataFrame:
    """The rows of a run with the account's external id, ordered by account id."""
    cols = [getattr(RiskScore, c) for c in SCORE_COLUMNS]
    rows = (
        session.connection()
        .execute(
            select(*cols, Account.external_id)
            .join(Account, Account.id == RiskScore.account_id)
            .where(RiskScore.run_id == run_id)
            .order_by(RiskScore.account_id)
        )
        .all()
    )
    schema: dict[str, Any] = {
        "account_id": pl.Int64,
        "dpd": pl.Int64,
        "score": pl.Int64,
        "pd": pl.String,
        "band": pl.String,
        "reasons": pl.String,
        "flags": pl.String,
        "segment": pl.String,
        "segment_reasons": pl.String,
        "external_id": pl.String,
    }
    return _frame(rows, schema)


def replace_run(
    session: Session,
    *,
    tenant_id: str,
    as_of: date,
    model_version: str,
    digest: str,
    summary: str,
    rows: Sequence[dict[str, Any]],
) -> int:
    """Store a run and its rows, replacing an earlier run of the same model and date; its id."""
    old = find_run(session, tenant_id, as_of, model_version)
    if old is not None:
        session.execute(delete(RiskScore).where(RiskScore.run_id == old.id))
        session.execute(delete(RiskRun).where(RiskRun.id == old.id))
    run = RiskRun(
        tenant_id=tenant_id,
        as_of=as_of,
        model_version=model_version,
        accounts=len(rows),
        digest=digest,
        summary=summary,
        created_at=datetime.now(UTC),
    )
    session.add(run)
    session.flush()
    if rows:
        session.connection().execute(
            insert(core_table(RiskScore)), [{"run_id": run.id, **r} for r in rows]
        )
    return run.id
