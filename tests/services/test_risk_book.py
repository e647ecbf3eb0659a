"""Risk on the imported book, on both databases: point-in-time features, out-of-time training
and evaluation, scoring with reasons, early warnings, segments, drift and idempotence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import func, select

from accord.risk import artifacts
from accord.risk.behaviour import FEATURES
from accord.risk.book import render_message
from accord.risk.drift import ALERT
from accord.risk.errors import ArtifactError
from accord.services.risk_book import (
    BookDataError,
    book_features,
    evaluate_book,
    load_version,
)
from accord.services.risk_scoring import score_book, segment_report
from accord.store import risk as store
from accord.store.models import Event, RiskRun, RiskScore
from tests.services.risk_book_helpers import (
    EVAL_AS_OF,
    N_ACCOUNTS,
    TENANT,
    TRAIN_AS_OF,
    Book,
    book_csvs,
    book_fixture,  # noqa: F401 - the module-scoped ``book`` fixture
    filter_csv,
    load,
)

CUT = date(2005, 6, 30)


def _events(book: Book, kind: str) -> list[dict[str, object]]:
    with book.db.factory() as s:
        rows = s.execute(
            select(Event.subject, Event.payload).where(
                Event.tenant_id == TENANT, Event.type == kind
            )
        ).all()
    return [{"subject": sub, **json.loads(p)} for sub, p in rows]


def test_features_never_see_later_payments_or_ticks(book: Book, tmp_path: Path) -> None:
    full = book_csvs(tmp_path / "full", n=60)
    early = dict(full)
    early["installments"] = filter_csv(
        full["installments"],
        tmp_path / "inst.csv",
        "statement_date",
        lambda d: d <= CUT.isoformat(),
    )
    early["payments"] = filter_csv(
        full["payments"], tmp_path / "pay.csv", "paid_on", lambda d: d <= CUT.isoformat()
    )
    dates = tuple(d for d in (date(2005, 3, 31), date(2005, 4, 30), date(2005, 5, 31), CUT))
    load(book.db, early, "leak", dates)
    before = book_features(factory=book.db.factory, tenant="leak", as_of=CUT)
    # the rest of the history arrives: later statements, payments and ticks
    load(book.db, full, "leak", (date(2005, 7, 31), date(2005, 8, 31), date(2005, 9, 30)))
    after = book_features(factory=book.db.factory, tenant="leak", as_of=CUT)
    assert_frame_equal(before, after)
    assert before.height == 60
    later = book_features(factory=book.db.factory, tenant="leak", as_of=date(2005, 9, 30))
    assert not later.select(FEATURES).equals(before.select(FEATURES))  # the history did matter


def test_training_artifact_report_and_registry(book: Book) -> None:
    _model, doc, vdir = load_version(book.registry, TENANT, "v1")
    assert vdir == book.registry / TENANT / "v1"
    assert doc["features"] == list(FEATURES)
    assert not {"sex", "birth_year", "marital_status", "age"} & set(doc["features"])
    meta = doc["metadata"]
    assert meta["as_of"] == "2005-07-31"
    assert meta["label_date"] == "2005-08-31"
    assert meta["training_data"]["rows"] + meta["training_data"]["holdout_rows"] == N_ACCOUNTS
    rep = json.loads((vdir / "report.json").read_text())
    m = rep["metrics"]
    assert {"auc", "gini", "ks", "brier", "calibration", "gains", "score_distribution"} <= set(m)
    assert m["gini"] == pytest.approx(2 * m["auc"] - 1)
    assert m["auc"] > 0.75
    assert set(rep["fairness"]["attributes"]) == {"sex", "age_band"}
    html = (vdir / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 4
    card = (vdir / "model_card.md").read_text()
    assert "Data window: statements, payments and ticks from 2005-03-31 to 2005-07-31" in card
    assert "sex: flag-rate difference" in card
    assert artifacts.versions(book.registry / TENANT) == ["v1"]


def test_out_of_time_evaluation(book: Book) -> None:
    res = evaluate_book(
        factory=book.db.factory, tenant=TENANT, as_of=EVAL_AS_OF, registry=book.registry
    )
    assert res["trained_as_of"] == "2005-07-31"
    assert res["label_date"] == "2005-09-30"
    assert res["metrics"]["n"] == N_ACCOUNTS
    _, doc, _ = load_version(book.registry, TENANT, "v1")
    assert res["unseen_accounts"]["n"] == doc["metadata"]["training_data"]["holdout_rows"]
    assert res["current_only"]["n"] < N_ACCOUNTS
    assert res["metrics"]["auc"] > 0.75
    assert res["drift"]["score"]["psi"] < ALERT
    assert Path(res["report"]["html"]).is_file()
    assert "out of time" in json.loads(Path(res["report"]["json"]).read_text())["evaluation"]
    with pytest.raises(BookDataError, match="no tick stored for 2005-10-31"):
        evaluate_book(
            factory=book.db.factory,
            tenant=TENANT,
            as_of=date(2005, 9, 30),
            registry=book.registry,
        )


def _scores(book: Book, as_of: date) -> pl.DataFrame:
    with book.db.factory() as s:
        run = store.find_run(s, TENANT, as_of, "v1")
        assert run is not None
        return store.run_scores(s, run.id)


def test_score_reasons_warnings_segments_and_idempotence(book: Book) -> None:
    kw = {"factory": book.db.factory, "tenant": TENANT, "registry": book.registry, "version": "v1"}
    first = score_book(as_of=TRAIN_AS_OF, **kw)  # type: ignore[arg-type]
    second = score_book(as_of=EVAL_AS_OF, **kw)  # type: ignore[arg-type]
    assert first.summary["accounts"] == second.summary["accounts"] == N_ACCOUNTS
    assert second.summary["previous"] == {"as_of": "2005-07-31", "model_version": "v1"}
    scores = _scores(book, EVAL_AS_OF)
    for r in scores.iter_rows(named=True):
        assert 0.0 <= float(r["pd"]) <= 1.0
        assert len(r["pd"].split(".")[1]) == 6
        reasons = json.loads(r["reasons"])
        assert reasons, r["external_id"]
        for rec in reasons:
            zh, en = render_message(rec, "zh-CN"), render_message(rec, "en")
            assert zh
            assert en
            assert zh != en
        if r["dpd"] > 0:
            assert r["segment"] in {"unreachable", "hardship", "forgetful", "strategic"}
            assert all(render_message(m, "en") for m in json.loads(r["segment_reasons"]))
        else:
            assert r["segment"] is None
    # early warnings: only current accounts, one event each, matching the stored flags
    flagged = scores.filter(pl.col("flags") != "[]")
    assert flagged.height == second.summary["early_warnings"] == len(second.early_warnings)
    assert flagged.height > 0
    assert (flagged["dpd"] == 0).all()
    ews = _events(book, "risk.early_warning")
    assert sorted(e["subject"] for e in ews if e["as_of"] == "2005-08-31") == sorted(
        f"account:{x}" for x in flagged["external_id"]
    )
    first_scores = _scores(book, TRAIN_AS_OF)
    prev_band = dict(zip(first_scores["account_id"], first_scores["band"], strict=True))
    moved = [r for r in scores.iter_rows(named=True) if prev_band[r["account_id"]] != r["band"]]
    assert second.summary["band_changes"] == len(moved)
    band_events = [e for e in _events(book, "risk.band_changed") if e["as_of"] == "2005-08-31"]
    assert len(band_events) == sum(1 for r in moved if r["dpd"] > 0)
    # drift: the alert list is exactly the PSIs above the threshold
    d = second.summary["drift"]
    assert set(d["alerts"]) - {"score"} == {f for f, v in d["features"].items() if float(v) > ALERT}
    # idempotent: same date and model again changes nothing
    with book.db.factory() as s:
        n_events = s.scalar(select(func.count()).select_from(Event))
        n_rows = s.scalar(select(func.count()).select_from(RiskScore))
        run_ids = set(s.scalars(select(RiskRun.id)))
    again = score_book(as_of=EVAL_AS_OF, **kw)  # type: ignore[arg-type]
    assert not again.changed
    assert again.summary["digest"] == second.summary["digest"]
    with book.db.factory() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == n_events
        assert s.scalar(select(func.count()).select_from(RiskScore)) == n_rows
        assert set(s.scalars(select(RiskRun.id))) == run_ids
    summaries = [e for e in _events(book, "risk.scored") if e["as_of"] == "2005-08-31"]
    assert len(summaries) == 1
    assert summaries[0]["digest"] == second.summary["digest"]
    # three months after training the payment features have shifted: alerts reach the ledger
    late = score_book(as_of=date(2005, 9, 30), **kw)  # type: ignore[arg-type]
    alerts = late.summary["drift"]["alerts"]
    assert alerts
    psi = late.summary["drift"]["features"] | {"score": late.summary["drift"]["score_psi"]}
    assert all(float(psi[f]) > ALERT for f in alerts)
    event = [e for e in _events(book, "risk.scored") if e["as_of"] == "2005-09-30"]
    assert event[0]["drift"]["alerts"] == alerts
    segs = segment_report(factory=book.db.factory, tenant=TENANT, as_of=EVAL_AS_OF)
    assert len(segs) == scores.filter(pl.col("dpd") > 0).height
    assert all(s["zh-CN"] and s["en"] for s in segs)


def test_score_refuses_unknown_model_and_untick_date(book: Book) -> None:
    kw = {"factory": book.db.factory, "tenant": TENANT, "registry": book.registry}
    with pytest.raises(ArtifactError):
        score_book(as_of=EVAL_AS_OF, version="v9", **kw)  # type: ignore[arg-type]
    with pytest.raises(BookDataError, match="no tick stored for 2005-08-15"):
        score_book(as_of=date(2005, 8, 15), version="v1", **kw)  # type: ignore[arg-type]
