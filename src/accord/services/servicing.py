"""``tick``: age every account of a tenant as of a date — DPD, bucket, capped charges, events.

The exact, per-account replay of :mod:`accord.core.delinquency` is the source of truth. A tick
stores one state row per account for its date and appends ledger events for bucket changes and
for the tick itself, in one transaction. Running the same tick again changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.core.allocation import Component
from accord.core.charges import ChargeTerms
from accord.core.delinquency import Account as CoreAccount
from accord.core.delinquency import AccountState as CoreState
from accord.core.delinquency import Payment as CorePayment
from accord.core.delinquency import replay
from accord.core.money import Money
from accord.core.packs import Pack, load_pack
from accord.core.types import Installment
from accord.store import book, servicing
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import make_checkpoint

Progress = Callable[[int, int], None]
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


@lru_cache(maxsize=64)
def _pack(code: str) -> Pack:
    return load_pack(code)


@lru_cache(maxsize=4096)
def _terms(pack: str, rate: str, open_date: date, product: str) -> ChargeTerms:
    p = _pack(pack)
    code = product if any(x.code == product for x in p.products) else None
    return ChargeTerms.from_pack(p, annual_rate=Decimal(rate), open_date=open_date, product=code)


def core_account(acct: Sequence[Any], rows: Sequence[Sequence[Any]]) -> CoreAccount:
    """Build the core servicing record of one stored account and its installment rows."""
    _pk, _ext, currency, principal, rate, open_date, pack_code, product = acct
    pack = _pack(pack_code)
    remaining = sum(r[3] for r in rows)
    installments = []
    for _a, seq, due, p, i, f in rows:
        installments.append(
            Installment(
                seq,
                due,
                Money(p, currency),
                Money(i, currency),
                Money(f, currency),
                Money(remaining, currency),
            )
        )
        remaining -= p
    return CoreAccount(
        open_date=open_date,
        principal=Money(principal, currency),
        installments=tuple(installments),
        terms=_terms(pack_code, rate, open_date, product),
        order=pack.allocation.order,
        mode=pack.allocation.mode,
        overpayment=pack.allocation.overpayment,
    )


def _state_row(tenant: str, pk: int, as_of: date, st: CoreState) -> dict[str, Any]:
    past_due = sum(st.outstanding(c, past_due_only=True).minor for c in Component)
    return {
        "account_id": pk,
        "tenant_id": tenant,
        "as_of": as_of,
        "dpd": st.dpd,
        "bucket": st.bucket.value,
        "principal_due_minor": st.outstanding(Component.PRINCIPAL).minor,
        "overdue_minor": past_due,
        "outstanding_minor": sum(st.outstanding(c).minor for c in Component),
        "charges_minor": st.penalty_charged.minor + st.fees_charged.minor,
    }


def tick(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    actor: str = "system:tick",
    progress: Progress | None = None,
) -> TickReport:
    """Age every account of ``tenant`` to the end of ``as_of`` (idempotent)."""
    with transaction(factory) as session:
        t = book.get_tenant(session, tenant)
        if t is None:
            raise LookupError(f"unknown tenant {tenant!r}")
        accounts, installments, payments = servicing.load_book(session, tenant, as_of)
        by_acct: dict[int, list[Any]] = defaultdict(list)
        for r in installments:
            by_acct[r[0]].append(r)
        pays: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
        for a, paid_on, amount, ext in payments:
            pays[a].append((paid_on, amount, ext))
        rows: list[dict[str, Any]] = []
        charges: list[dict[str, Any]] = []
        for n, acct in enumerate(accounts, 1):
            pk, currency = acct[0], acct[2]
            core = core_account(acct, [r for r in by_acct[pk] if r[2] > acct[5]])
            plist = [CorePayment(d, Money(m, currency), ext) for d, m, ext in pays[pk]]
            st = replay(core, plist, max(as_of, acct[5]))
            rows.append(_state_row(tenant, pk, as_of, st))
            for kind, amount in (("penalty", st.penalty_charged), ("late_fee", st.fees_charged)):
                if amount.minor:
                    charges.append(
                        {
                            "account_id": pk,
                            "kind": kind,
                            "period": f"through:{as_of.isoformat()}",
                            "amount_minor": amount.minor,
                            "as_of": as_of,
                        }
                    )
            if progress and n % 1000 == 0:
                progress(n, len(accounts))
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
        append_events(session, tenant, events)
        make_checkpoint(session, tenant)
        return TickReport(
            tenant, as_of, len(rows), dict(buckets), len(changes), total_charges, True
        )
