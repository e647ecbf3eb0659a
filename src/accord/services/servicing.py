"""``tick``: age every account of a tenant as of a date — DPD, bucket, capped charges, events.

The exact, per-account replay of :mod:`accord.core.delinquency` is the source of truth; a tick
ages the book with its vectorised twin where that is exact (see
:mod:`accord.services.servicing_batch`), with the replay for the rest. A tick
stores one state row per account for its date and appends ledger events for bucket changes and
for the tick itself, in one transaction. Running the same tick again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.core.money import Money
from accord.ledger.entry import is_system_actor
from accord.services.servicing_batch import Aged, Progress, age_accounts, core_account
from accord.store import book, servicing
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import make_checkpoint

__all__ = ["STATE_FIELDS", "Progress", "TickReport", "core_account", "tick"]
STATE_FIELDS = (
    "dpd",
    "bucket",
    "principal_due_minor",
    "overdue_minor",
    "outstanding_minor",
    "charges_minor",
)


@dataclass(frozen=True, slots=True)
class TickReport:
    """What a tick found: accounts aged, accounts per bucket, bucket changes, charges booked."""

    tenant: str
    as_of: date
    accounts: int
    buckets: dict[str, int]
    bucket_changes: int
    charges: Money
    changed: bool


def _state_row(tenant: str, pk: int, as_of: date, a: Aged) -> dict[str, Any]:
    return {
        "account_id": pk,
        "tenant_id": tenant,
        "as_of": as_of,
        "dpd": a.dpd,
        "bucket": a.bucket,
        "principal_due_minor": a.principal_due,
        "overdue_minor": a.overdue,
        "outstanding_minor": a.outstanding,
        "charges_minor": a.penalty + a.fees,
    }


def tick(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    actor: str = "system:tick",
    progress: Progress | None = None,
    vectorised: bool = True,
) -> TickReport:
    """Age every account of ``tenant`` to the end of ``as_of`` (idempotent).

    ``vectorised=False`` ages every account with the scalar replay (the reference); the stored
    results are the same either way.
    """
    with transaction(factory) as session:
        t = book.get_tenant(session, tenant)
        if t is None:
            raise LookupError(f"unknown tenant {tenant!r}")
        accounts, installments, payments = servicing.load_book(session, tenant, as_of)
        aged = age_accounts(
            accounts, installments, payments, as_of, vectorised=vectorised, progress=progress
        )
        rows: list[dict[str, Any]] = []
        charges: list[dict[str, Any]] = []
        for acct, a in zip(accounts, aged, strict=True):
            pk = acct[0]
            rows.append(_state_row(tenant, pk, as_of, a))
            for kind, amount in (("penalty", a.penalty), ("late_fee", a.fees)):
                if amount:
                    charges.append(
                        {
                            "account_id": pk,
                            "kind": kind,
                            "period": f"through:{as_of.isoformat()}",
                            "amount_minor": amount,
                            "as_of": as_of,
                        }
                    )
        existing = servicing.states_at(session, tenant, as_of)
        fresh = {r["account_id"]: tuple(r[f] for f in STATE_FIELDS) for r in rows}
        buckets = Counter(r["bucket"] for r in rows)
        total_charges = Money(sum(r["charges_minor"] for r in rows), t.currency)
        if existing == fresh:
            return TickReport(tenant, as_of, len(rows), dict(buckets), 0, total_charges, False)
        previous = servicing.previous_buckets(session, tenant, as_of)
        changes = [r for r in rows if previous.get(r["account_id"], "current") != r["bucket"]]
        servicing.replace_states(session, tenant, as_of, rows)
        servicing.upsert_charges(session, tenant, charges)
        ext_of = {a[0]: a[1] for a in accounts}
        events = [
            NewEvent(
                "account.bucket_changed",
                actor,
                f"account:{ext_of[r['account_id']]}",
                {
                    "as_of": as_of.isoformat(),
                    "from": previous.get(r["account_id"], "current"),
                    "to": r["bucket"],
                    "dpd": r["dpd"],
                },
            )
            for r in changes
        ]
        events.append(
            NewEvent(
                "servicing.ticked",
                actor,
                f"tenant:{tenant}",
                {
                    "as_of": as_of.isoformat(),
                    "accounts": len(rows),
                    "buckets": dict(sorted(buckets.items())),
                    "charges": {"amount": total_charges.amount_str(), "currency": t.currency},
                },
            )
        )
        # the tick is the platform's own work: system entries, vouched for by the checkpoint;
        # a tick run under a staff name is the creditor's statement, signed by its key
        append_events(session, tenant, events, author=actor if is_system_actor(actor) else None)
        make_checkpoint(session, tenant)
        return TickReport(
            tenant, as_of, len(rows), dict(buckets), len(changes), total_charges, True
        )
