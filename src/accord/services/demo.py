"""The demo: the Taiwan credit-card book imported, aged month by month, and summarised.

It runs on the embedded database by default and starts clean each time. The agreement between the
buckets Accord stored and the dataset's own ``PAY_x`` status is measured end to end from the
ticked account states (not from a side computation).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from accord.analytics.taiwan_agreement import assessment_dates, status_codes
from accord.analytics.taiwan_book import DEFAULT_PATH, map_book, read_uci, write_csvs
from accord.core.aging import BUCKETS
from accord.services.context import Context
from accord.services.importing.service import ImportReport, import_book
from accord.services.portfolio import PortfolioReport, RollMatrix, portfolio, roll_rates
from accord.services.risk_book import default_registry, tenant_root, train_book
from accord.services.risk_scoring import score_book
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


#: Risk step: train as of August (target: September status), score August and September.
RISK_TRAIN_AS_OF = date(2005, 8, 31)
RISK_SCORE_AS_OF = date(2005, 9, 30)


@dataclass(frozen=True, slots=True)
class RiskDemo:
    """The demo's risk step: holdout metrics of the model and the September scoring run."""

    version: str
    holdout: dict[str, Any]
    n_train: int
    accounts: int
    early_warnings: int
    bands: dict[str, int]
    segments: dict[str, int]
    score_psi: str
    drift_alerts: tuple[str, ...]
    seconds: float


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
    risk: RiskDemo | None = None


def run_demo(
    ctx: Context,
    *,
    data: Path = DEFAULT_PATH,
    note: Callable[[str], None] | None = None,
    with_risk: bool = False,
) -> DemoReport:
    """Import the Taiwan book as tenant ``demo`` (tw pack, TWD), tick every month end, report;
    ``with_risk`` also trains a PD model and scores the book (:func:`risk_step`)."""
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
    risk = risk_step(ctx, note=say) if with_risk else None
    return DemoReport(imported, tuple(ticks), report, roll, rate, pairs, months, risk)


def risk_step(ctx: Context, *, note: Callable[[str], None] | None = None) -> RiskDemo:
    """Train a boosting PD model on the demo book as of 2005-08-31 (target: overdue at
    2005-09-30; 30% of accounts held out), then score 2005-08-31 and 2005-09-30 so that the
    September run has early warnings against August. The model goes to the registry."""
    say = note or (lambda _m: None)
    start = time.perf_counter()
    # The demo starts clean: its database was reset, so its model versions go too (v1 again).
    shutil.rmtree(tenant_root(default_registry(ctx.settings), TENANT), ignore_errors=True)
    say("training the PD model as of 2005-08-31")
    trained = train_book(
        factory=ctx.factory,
        tenant=TENANT,
        as_of=RISK_TRAIN_AS_OF,
        registry=default_registry(ctx.settings),
    )
    for day in (RISK_TRAIN_AS_OF, RISK_SCORE_AS_OF):
        say(f"scoring {day.isoformat()}")
        scored = score_book(
            factory=ctx.factory,
            tenant=TENANT,
            as_of=day,
            registry=default_registry(ctx.settings),
            version=trained["version"],
        )
    s = scored.summary
    return RiskDemo(
        version=trained["version"],
        holdout=trained["holdout"],
        n_train=trained["n_train"],
        accounts=s["accounts"],
        early_warnings=s["early_warnings"],
        bands=s["bands"],
        segments=s["segments"],
        score_psi=s["drift"].get("score_psi", "n/a"),
        drift_alerts=tuple(s["drift"].get("alerts", ())),
        seconds=time.perf_counter() - start,
    )


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
