"""The demo pipeline end to end: Taiwan book in, month-end ticks, portfolio, PAY_x agreement."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from accord.analytics.taiwan_book import DEFAULT_PATH
from accord.services.context import open_context
from accord.services.demo import TICK_DATES, run_demo
from accord.store.config import Settings


def head_of_book(tmp: Path, rows: int) -> Path:
    """The first ``rows`` cards of the bundled Taiwan file, as a gzipped CSV."""
    with gzip.open(DEFAULT_PATH, "rt", encoding="utf-8") as src:
        lines = [next(src) for _ in range(rows + 1)]
    out = tmp / "taiwan_head.csv.gz"
    with gzip.open(out, "wt", encoding="utf-8") as dst:
        dst.writelines(lines)
    return out


def test_demo_on_a_slice_of_the_book(tmp_path: Path) -> None:
    ctx = open_context(Settings(home=tmp_path / "home"))
    report = run_demo(ctx, data=head_of_book(tmp_path, 400))
    assert report.imported.ok
    assert report.imported.new["accounts"] == 400
    assert [t.as_of for t in report.ticks] == list(TICK_DATES)
    assert report.portfolio.total_accounts == 400
    assert sum(line.accounts for line in report.portfolio.lines) == 400
    assert report.agreement_pairs == 400 * 6
    assert 0.5 < report.agreement_rate <= 1.0  # measured, not asserted to a fixed figure
    assert len(report.agreement_by_month) == 6
    # every card is counted once in the roll-rate matrix between the last two month ends
    assert sum(sum(row) for row in report.roll.counts) == 400


@pytest.mark.slow
def test_full_taiwan_book_imports_with_zero_rejections(tmp_path: Path) -> None:
    from accord.analytics.taiwan_book import map_book, read_uci, write_csvs
    from accord.services.importing.service import import_book

    ctx = open_context(Settings(home=tmp_path / "home"))
    files = write_csvs(map_book(read_uci()), tmp_path / "book")
    report = import_book(
        factory=ctx.factory,
        cipher=ctx.cipher,
        tenant="demo",
        paths=[files[k] for k in ("parties", "accounts", "installments", "payments")],
        pack="tw",
        currency="TWD",
    )
    assert report.findings == ()
    assert report.new["accounts"] == 30_000
    assert report.new["parties"] == 30_000
