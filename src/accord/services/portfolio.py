"""Portfolio views over ticked account states: balances by DPD bucket and roll rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from accord.core.money import Money
from accord.store import book, servicing

#: Display order of delinquency buckets (DESIGN.md glossary).
BUCKETS = ("current", "M1", "M2", "M3", "M4-M6", "M6+")


class NoTickError(LookupError):
    """The requested date has not been ticked for the tenant."""


@dataclass(frozen=True, slots=True)
class BucketLine:
    """One bucket of a portfolio: account count and balances."""

    bucket: str
    accounts: int
    outstanding: Money
    overdue: Money
    charges: Money


@dataclass(frozen=True, slots=True)
class PortfolioReport:
    """Accounts and balances by bucket at ``as_of``."""

    tenant: str
    as_of: date
    lines: tuple[BucketLine, ...]
    total_accounts: int
    total_outstanding: Money


@dataclass(frozen=True, slots=True)
class RollMatrix:
    """Share of accounts moving from each bucket at ``start`` to each bucket at ``end``."""

    tenant: str
    start: date
    end: date
    buckets: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    rates: tuple[tuple[str, ...], ...]  # decimal strings, rows sum to 1 where non-empty


def _require_tick(session: Session, tenant: str, as_of: date) -> None:
    dates = servicing.tick_dates(session, tenant)
    if as_of not in dates:
        known = ", ".join(d.isoformat() for d in dates[-6:]) or "none"
        raise NoTickError(
            f"no tick stored for {as_of.isoformat()} (run `accord tick --as-of "
            f"{as_of.isoformat()}`; ticked dates: {known})"
        )


def portfolio(*, factory: sessionmaker[Session], tenant: str, as_of: date) -> PortfolioReport:
    """Accounts and balances by DPD bucket at ``as_of`` (which must have been ticked)."""
    with factory() as session:
        t = book.get_tenant(session, tenant)
        if t is None:
            raise LookupError(f"unknown tenant {tenant!r}")
        _require_tick(session, tenant, as_of)
        rows = {r[0]: r for r in servicing.bucket_summary(session, tenant, as_of)}
    cur = t.currency
    lines = []
    for b in BUCKETS:
        r = rows.get(b)
        n, out, over, ch = (r[1], r[2], r[3], r[4]) if r else (0, 0, 0, 0)
        lines.append(
            BucketLine(
                b,
                int(n),
                Money(int(out or 0), cur),
                Money(int(over or 0), cur),
                Money(int(ch or 0), cur),
            )
        )
    return PortfolioReport(
        tenant,
        as_of,
        tuple(lines),
        sum(x.accounts for x in lines),
        Money(sum(x.outstanding.minor for x in lines), cur),
    )


def roll_rates(
    *, factory: sessionmaker[Session], tenant: str, start: date, end: date
) -> RollMatrix:
    """Bucket-to-bucket transition counts and rates between two ticked dates."""
    with factory() as session:
        _require_tick(session, tenant, start)
        _require_tick(session, tenant, end)
        a = servicing.buckets_by_account(session, tenant, start)
        b = servicing.buckets_by_account(session, tenant, end)
    index = {name: i for i, name in enumerate(BUCKETS)}
    counts = [[0] * len(BUCKETS) for _ in BUCKETS]
    for acct, frm in a.items():
        to = b.get(acct)
        if to is not None:
            counts[index[frm]][index[to]] += 1
    rates = []
    for row in counts:
        n = sum(row)
        rates.append(tuple(f"{c / n:.4f}" if n else "" for c in row))
    return RollMatrix(tenant, start, end, BUCKETS, tuple(tuple(r) for r in counts), tuple(rates))


def list_tenants(*, factory: sessionmaker[Session]) -> list[str]:
    """Ids of every tenant, sorted."""
    with factory() as session:
        return book.tenant_ids(session)
