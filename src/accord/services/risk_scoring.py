"""Use case: score a tenant's whole book as of a ticked date, with early warnings and segments.

:func:`score_book` loads a model version from the registry, computes point-in-time features for
every account with a statement, and stores one row per account (score points, PD as a decimal
string, band A–F, top-4 reason codes as message ids + params, early-warning flags, and for
delinquent accounts the ability/willingness segment with its reasons) in one run
(``risk_runs`` / ``risk_scores``).

**Early warning.** Accounts still current (DPD 0 at ``as_of``) are compared with the previous
scoring run (the latest run dated before ``as_of``, whatever its model version):
:func:`accord.risk.early_warning.early_warnings` flags a sharp PD rise (+5 points and ×1.5) or a
move into a worse band.

**Ledger volume.** Per run: one ``risk.scored`` event whose payload carries the counts, the PSI
drift summary and the sha256 digest of every stored row (so the ledger commits to all scores with
one entry); per account only ``risk.early_warning`` (current accounts flagged) and
``risk.band_changed`` for accounts already past due whose band moved — current accounts that
moved to a worse band are already early warnings, and improvements are left to the digest.

**Drift.** PSI of each feature and of the score between the model's training population
(``reference.parquet``) and the scored population; PSI > 0.25 is an alert, reported in the
output and the ``risk.scored`` event.

**Idempotent.** Scoring the same date with the same version again finds the same digest and
changes nothing (no rows rewritten, no events).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy.orm import Session, sessionmaker

from accord.risk import drift
from accord.risk.artifacts import sha256_bytes
from accord.risk.book import (
    Message,
    canonical,
    digest,
    message,
    pd_and_contributions,
    pd_text,
    reason_records,
    render_message,
    segment_records,
    segments_for,
)
from accord.risk.early_warning import band_of, early_warnings
from accord.risk.reasons import reasons_from_contributions
from accord.risk.scorecard import points_from_probability
from accord.services.risk_book import (
    feature_matrix,
    load_reference,
    load_version,
    population,
)
from accord.store import risk as store
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import make_checkpoint

ACTOR = "system:risk"


@dataclass(frozen=True, slots=True)
class ScoreReport:
    """What a scoring run stored and found (``changed`` is False for an idempotent re-run)."""

    tenant: str
    as_of: date
    model_version: str
    changed: bool
    summary: dict[str, Any]
    early_warnings: tuple[dict[str, Any], ...]


def _percent(p: float) -> str:
    return f"{p:.1%}"


def _drift_summary(vdir: Path, doc: dict[str, Any], X: Any, points: np.ndarray) -> dict[str, Any]:  # noqa: N803
    ref = load_reference(vdir, doc)
    if ref is None:
        return {"available": False}
    rep = drift.drift_report(
        feature_matrix(ref),
        X,
        list(X.columns),
        score_reference=ref["score"].to_numpy(),
        score_current=points,
    )
    return {
        "available": True,
        "alert_threshold": f"{drift.ALERT:.2f}",
        "score_psi": f"{rep['score']['psi']:.4f}",
        "score_status": rep["score"]["status"],
        "features": {k: f"{v['psi']:.4f}" for k, v in rep["features"].items()},
        "alerts": list(rep["alerts"]),
    }


def _flags(frame: pl.DataFrame, prev: pl.DataFrame | None) -> dict[int, list[Message]]:
    """Early-warning flag records per account (current accounts with a previous score)."""
    if prev is None or prev.is_empty():
        return {}
    joined = frame.select("account_id", "dpd", "pd_now").join(
        prev.select("account_id", pl.col("pd").cast(pl.Float64).alias("pd_prev")),
        on="account_id",
        how="inner",
    )
    out: dict[int, list[Message]] = {}
    for r in early_warnings(joined).iter_rows(named=True):
        if r["flag"] == "pd_jump":
            rec = message(
                r["message_id"], pd_prev=_percent(r["pd_prev"]), pd_now=_percent(r["pd_now"])
            )
        else:
            rec = message(r["message_id"], band_prev=r["band_prev"], band_now=r["band_now"])
        out.setdefault(int(r["account_id"]), []).append(rec)
    return out


def score_book(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    registry: Path,
    version: str | None = None,
) -> ScoreReport:
    """Score every account of ``tenant`` as of a ticked date (see module docstring)."""
    model, doc, vdir = load_version(registry, tenant, version)
    with transaction(factory) as session:
        pop = population(session, tenant, as_of, labelled=False)
        X = pop.X  # noqa: N806
        raw, contrib = pd_and_contributions(model, X)
        p = np.round(raw, 6)
        points = points_from_probability(p)
        bands = band_of(p)
        reasons = reasons_from_contributions(contrib, list(model.feature_names_), X, k=4)
        frame = pop.frame.with_columns(pl.Series("pd_now", p), pl.Series("band", bands))
        prev_run = store.previous_run(session, tenant, as_of)
        prev = store.run_scores(session, prev_run.id) if prev_run else None
        flags = _flags(frame, prev)
        segs = segments_for(frame)
        prev_band = (
            dict(zip(prev["account_id"], prev["band"], strict=True)) if prev is not None else {}
        )
        rows: list[dict[str, Any]] = []
        public: list[dict[str, Any]] = []
        for i, (acct, ext, dpd) in enumerate(
            zip(frame["account_id"], frame["external_id"], frame["dpd"], strict=True)
        ):
            seg = segs.get(acct)
            row = {
                "account_id": acct,
                "dpd": int(dpd),
                "score": int(np.rint(points[i])),
                "pd": pd_text(float(p[i])),
                "band": str(bands[i]),
                "reasons": canonical(reason_records(reasons[i])),
                "flags": canonical(flags.get(acct, [])),
                "segment": seg.label if seg else None,
                "segment_reasons": canonical(segment_records(seg)) if seg else None,
            }
            rows.append(row)
            public.append({"account": ext} | {k: v for k, v in row.items() if k != "account_id"})
        ver = vdir.name
        model_sha = sha256_bytes((vdir / "model.json").read_bytes())
        header = {"tenant": tenant, "as_of": as_of.isoformat(), "model": ver, "sha256": model_sha}
        run_digest = digest([header, *public])
        existing = store.find_run(session, tenant, as_of, ver)
        if existing is not None and existing.digest == run_digest:
            summary = json.loads(existing.summary)
            return ScoreReport(tenant, as_of, ver, False, summary, _ews(public))
        ext_by_id = dict(zip(frame["account_id"], frame["external_id"], strict=True))
        band_moves = [
            (ext_by_id[r["account_id"]], prev_band[r["account_id"]], r)
            for r in rows
            if r["account_id"] in prev_band and prev_band[r["account_id"]] != r["band"]
        ]
        summary = {
            "as_of": as_of.isoformat(),
            "model_version": ver,
            "model_kind": doc["kind"],
            "model_sha256": model_sha,
            "accounts": len(rows),
            "bands": dict(sorted(Counter(r["band"] for r in rows).items())),
            "mean_pd": pd_text(float(p.mean()) if len(p) else 0.0),
            "early_warnings": len(flags),
            "band_changes": len(band_moves),
            "segments": dict(sorted(Counter(r["segment"] for r in rows if r["segment"]).items())),
            "previous": (
                {"as_of": prev_run.as_of.isoformat(), "model_version": prev_run.model_version}
                if prev_run
                else None
            ),
            "drift": _drift_summary(vdir, doc, X, points),
            "digest": run_digest,
        }
        store.replace_run(
            session,
            tenant_id=tenant,
            as_of=as_of,
            model_version=ver,
            digest=run_digest,
            summary=canonical(summary),
            rows=rows,
        )
        events = _events(tenant, as_of, ver, public, band_moves)
        events.append(NewEvent("risk.scored", ACTOR, f"tenant:{tenant}", summary))
        append_events(session, tenant, events)
        make_checkpoint(session, tenant)
        return ScoreReport(tenant, as_of, ver, True, summary, _ews(public))


def _ews(public: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple(
        {k: r[k] for k in ("account", "dpd", "score", "pd", "band")}
        | {"flags": json.loads(r["flags"]), "reasons": json.loads(r["reasons"])}
        for r in public
        if r["flags"] != "[]"
    )


def _events(
    tenant: str,
    as_of: date,
    version: str,
    public: list[dict[str, Any]],
    band_moves: list[tuple[str, str, dict[str, Any]]],
) -> list[NewEvent]:
    base = {"as_of": as_of.isoformat(), "model_version": version}
    out = [
        NewEvent(
            "risk.early_warning",
            ACTOR,
            f"account:{r['account']}",
            base
            | {
                "pd": r["pd"],
                "band": r["band"],
                "flags": json.loads(r["flags"]),
                "reasons": json.loads(r["reasons"]),
            },
        )
        for r in public
        if r["flags"] != "[]"
    ]
    out += [
        NewEvent(
            "risk.band_changed",
            ACTOR,
            f"account:{ext}",
            base | {"from": before, "to": r["band"], "pd": r["pd"], "dpd": r["dpd"]},
        )
        for ext, before, r in band_moves
        if r["dpd"] > 0
    ]
    return out


def segment_report(
    *, factory: sessionmaker[Session], tenant: str, as_of: date, version: str | None = None
) -> list[dict[str, Any]]:
    """Delinquent accounts of the run at ``as_of`` (latest run, or ``version``'s) with their
    segment and reasons rendered in zh-CN and en."""
    with factory() as session:
        run = (
            store.find_run(session, tenant, as_of, version)
            if version
            else store.latest_run(session, tenant, as_of)
        )
        if run is None:
            raise LookupError(
                f"no scoring run for {tenant!r} at {as_of.isoformat()}; run "
                f"`accord risk score --tenant {tenant} --as-of {as_of.isoformat()}` first"
            )
        scores = store.run_scores(session, run.id)
    out = []
    for r in scores.filter(pl.col("segment").is_not_null()).iter_rows(named=True):
        recs = json.loads(r["segment_reasons"])
        out.append(
            {
                "account": r["external_id"],
                "dpd": r["dpd"],
                "pd": r["pd"],
                "band": r["band"],
                "segment": r["segment"],
                "reasons": recs,
                "zh-CN": [render_message(m, "zh-CN") for m in recs],
                "en": [render_message(m, "en") for m in recs],
            }
        )
    return out
