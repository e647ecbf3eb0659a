"""The demo: the Taiwan credit-card book imported, aged month by month, and summarised.

It runs on the embedded database by default and starts clean each time. The agreement between the
buckets Accord stored and the dataset's own ``PAY_x`` status is measured end to end from the
ticked account states (not from a side computation).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from accord.analytics.taiwan_agreement import assessment_dates, status_codes
from accord.analytics.taiwan_book import DEFAULT_PATH, map_book, read_uci, write_csvs
from accord.core.aging import BUCKETS
from accord.services.context import Context
from accord.services.importing.service import ImportReport, import_book
from accord.services.portfolio import PortfolioReport, RollMatrix, portfolio, roll_rates
from accord.services.servicing import TickReport, tick
from accord.store import servicing

TENANT = "demo"
#: Month ends from the first statement (March 2005) to the last status month (September 2005).
TICK_DATES = (
    date(2005, 3, 31),
    date(2005, 4, 30),
    date(2005, 5, 31),
    date(2005, 6, 30),
    date(2005, 7, 31),
    date(2005, 8, 31),
    date(2005, 9, 30),
)


@dataclass(frozen=True, slots=True)
class DemoReport:
    """Everything the demo did and found."""

    imported: ImportReport
    ticks: tuple[TickReport, ...]
    portfolio: PortfolioReport
    roll: RollMatrix
    agreement_rate: float
    agreement_pairs: int
    agreement_by_month: tuple[tuple[str, float], ...]


def run_demo(
    ctx: Context, *, data: Path = DEFAULT_PATH, note: Callable[[str], None] | None = None
) -> DemoReport:
    """Import the Taiwan book as tenant ``demo`` (tw pack, TWD), tick every month end, report."""
    say = note or (lambda _m: None)
    say("mapping the Taiwan book (30,000 cards)")
    frame = read_uci(data)
    with tempfile.TemporaryDirectory(prefix="accord-demo-") as tmp:
        files = write_csvs(map_book(frame), Path(tmp))
        say("importing")
        imported = import_book(
            factory=ctx.factory,
            cipher=ctx.cipher,
            tenant=TENANT,
            paths=[files[k] for k in ("parties", "accounts", "installments", "payments")],
            pack="tw",
            currency="TWD",
        )
    if not imported.ok:
        first = imported.findings[0]
        raise RuntimeError(
            f"demo import rejected ({len(imported.findings)} findings; first: {first})"
        )
    ticks = []
    for day in TICK_DATES:
        say(f"ticking {day.isoformat()}")
        ticks.append(tick(factory=ctx.factory, tenant=TENANT, as_of=day))
    report = portfolio(factory=ctx.factory, tenant=TENANT, as_of=TICK_DATES[-1])
    roll = roll_rates(factory=ctx.factory, tenant=TENANT, start=TICK_DATES[-2], end=TICK_DATES[-1])
    rate, pairs, months = _agreement(ctx, frame)
    return DemoReport(imported, tuple(ticks), report, roll, rate, pairs, months)


def _agreement(ctx: Context, frame: object) -> tuple[float, int, tuple[tuple[str, float], ...]]:
    """Share of (card, month) pairs where the stored bucket equals the dataset's PAY_x status."""
    import polars as pl

    assert isinstance(frame, pl.DataFrame)
    status = frame.select("PAY_6", "PAY_5", "PAY_4", "PAY_3", "PAY_2", "PAY_0").to_numpy()
    theirs = status_codes(status)
    ids = [f"TWC{int(i):05d}" for i in frame["ID"]]
    ours = np.full(theirs.shape, -1, dtype=np.int64)
    position = {ext: row for row, ext in enumerate(ids)}
    with ctx.factory() as session:
        for col, day in enumerate(assessment_dates()):
            for ext, bucket in servicing.buckets_by_external_id(session, TENANT, day).items():
                ours[position[ext], col] = BUCKETS.index(bucket)
    hit = ours == theirs
    labels = ("2005-04", "2005-05", "2005-06", "2005-07", "2005-08", "2005-09")
    months = tuple((labels[c], float(hit[:, c].mean())) for c in range(hit.shape[1]))
    return float(hit.mean()), int(hit.size), months
