"""Use cases: PD models trained and evaluated on a tenant's own book, out of time.

:func:`book_features` reads the book as of a date (:mod:`accord.store.risk`, point-in-time) and
computes :func:`accord.risk.behaviour.behavioural_features`. :func:`train_book` labels the
population with the target of :mod:`accord.risk.book` ("overdue next month"), fits a boosting,
scorecard or blend model on a stratified part of the accounts, evaluates it on the rest
(holdout), and saves a new version under ``<registry>/<tenant>/v<N>`` with the training
population's features and scores (``reference.parquet``, the PSI reference for scoring), the
JSON/HTML report and the model card (fairness by sex and age band from the party attributes,
which never enter the model). :func:`evaluate_book` scores a later date with a saved version and
writes the same report under ``v<N>/evaluations/<as_of>/`` — the out-of-time test.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import polars as pl
from sklearn.model_selection import train_test_split
from sqlalchemy.orm import Session, sessionmaker

from accord.risk import artifacts, drift, fairness, metrics, report
from accord.risk._base import RiskClassifierBase
from accord.risk.behaviour import FEATURES, behavioural_features
from accord.risk.blend import BlendModel
from accord.risk.book import TARGET, label_date, paid_full_months, window_text
from accord.risk.boosting import BoostingModel
from accord.risk.errors import ArtifactError, RiskError
from accord.risk.scorecard import ScorecardModel, points_from_probability
from accord.store import book, servicing
from accord.store import risk as store
from accord.store.config import Settings

KINDS: Final = ("boosting", "scorecard", "blend")
REFERENCE: Final = "reference.parquet"
PROTECTED_COLUMNS: Final = (
    ("sex", "protected"),
    ("birth_year", "protected"),
    ("marital_status", "protected"),
)


class BookDataError(RiskError):
    """The book cannot provide what was asked (unknown tenant, missing tick, one class only)."""


def default_registry(settings: Settings | None = None) -> Path:
    """``$ACCORD_HOME/models``: the root under which each tenant's versions live."""
    return (settings or Settings()).home / "models"


def tenant_root(registry: Path, tenant: str) -> Path:
    """The model root of one tenant (``<registry>/<tenant>``)."""
    return registry / tenant


def _features(session: Session, tenant: str, as_of: date) -> pl.DataFrame:
    if book.get_tenant(session, tenant) is None:
        raise BookDataError(f"unknown tenant {tenant!r}")
    fr = store.behaviour_frames(session, tenant, as_of)
    feats = behavioural_features(fr.statements, fr.payments, as_of, fr.dpd_history)
    full = paid_full_months(fr.statements, fr.payments, as_of)
    return (
        fr.accounts.join(feats, on="account_id", how="inner")
        .join(full, on="account_id", how="left")
        .with_columns(pl.col("paid_full").fill_null(0))
        .sort("account_id")
    )


def book_features(*, factory: sessionmaker[Session], tenant: str, as_of: date) -> pl.DataFrame:
    """``account_id``, ``external_id``, the behavioural features and ``paid_full`` as of a date.

    Point-in-time: only statements, payments and ticks dated on or before ``as_of`` are read, so
    payments or ticks added later never change the result.
    """
    with factory() as session:
        return _features(session, tenant, as_of)


def feature_matrix(frame: pl.DataFrame) -> pd.DataFrame:
    """The :data:`FEATURES` columns of ``frame`` as a float pandas DataFrame (nulls as NaN)."""
    values = frame.select(pl.col(c).cast(pl.Float64) for c in FEATURES).to_numpy()
    return pd.DataFrame(values, columns=list(FEATURES))


@dataclass(frozen=True, slots=True)
class Population:
    """Accounts observed as of a date with features, DPD now, label (if known) and audit data."""

    as_of: date
    frame: pl.DataFrame  # account_id, external_id, FEATURES, paid_full, dpd, [y], sex, age

    @property
    def X(self) -> pd.DataFrame:  # noqa: N802 - scikit-learn's name for the feature matrix
        """The feature matrix (pandas, float columns in :data:`FEATURES` order)."""
        return feature_matrix(self.frame)

    @property
    def y(self) -> np.ndarray:
        """0/1 labels (1 = overdue at the label date)."""
        return self.frame["y"].to_numpy().astype(int)


def _require_tick(session: Session, tenant: str, day: date, why: str) -> None:
    if day not in servicing.tick_dates(session, tenant):
        raise BookDataError(
            f"no tick stored for {day.isoformat()} ({why}); run "
            f"`accord tick --tenant {tenant} --as-of {day.isoformat()}` first"
        )


def population(session: Session, tenant: str, as_of: date, *, labelled: bool) -> Population:
    """The population as of ``as_of``; with ``labelled``, only accounts with a label state."""
    _require_tick(session, tenant, as_of, "the observation date")
    frame = _features(session, tenant, as_of).join(
        store.state_frame(session, tenant, as_of).select("account_id", "dpd"),
        on="account_id",
        how="left",
    )
    frame = frame.with_columns(pl.col("dpd").fill_null(0))
    if labelled:
        target = label_date(as_of)
        _require_tick(session, tenant, target, "the label date of the target")
        later = store.state_frame(session, tenant, target).select(
            "account_id", (pl.col("dpd") > 0).cast(pl.Int64).alias("y")
        )
        frame = frame.join(later, on="account_id", how="inner")
    attrs = store.protected_attributes(session, tenant).with_columns(
        (as_of.year - pl.col("birth_year")).cast(pl.Float64).alias("age")
    )
    frame = frame.join(attrs.select("account_id", "sex", "age"), on="account_id", how="left")
    return Population(as_of, frame)


def _model(kind: str, seed: int, trees: int) -> RiskClassifierBase:
    boosting = BoostingModel(n_estimators=trees, random_state=seed)
    if kind == "boosting":
        return boosting
    if kind == "scorecard":
        return ScorecardModel()
    if kind == "blend":
        return BlendModel(boosting=boosting, scorecard=ScorecardModel())
    raise ValueError(f"kind must be one of {KINDS}")


def _fairness(frame: pl.DataFrame, p: np.ndarray, threshold: float) -> dict[str, Any]:
    return fairness.fairness_report(
        frame["y"].to_numpy(),
        p,
        {
            "sex": frame["sex"].fill_null("unknown").to_numpy(),
            "age_band": fairness.age_band(frame["age"].to_numpy()),
        },
        threshold=threshold,
    )


def _check_classes(y: np.ndarray, what: str) -> None:
    if len(np.unique(y)) < 2:
        raise BookDataError(f"{what}: every account has the same label; nothing to learn or rank")


def _ticks(factory: sessionmaker[Session], tenant: str) -> list[date]:
    with factory() as session:
        return servicing.tick_dates(session, tenant)


def train_book(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    registry: Path,
    kind: str = "boosting",
    holdout: float = 0.3,
    seed: int = 0,
    trees: int = 400,
) -> dict[str, Any]:
    """Train ``kind`` on the book as of ``as_of`` (target: see :mod:`accord.risk.book`).

    Returns ``{"version", "version_dir", "holdout": metrics, "fairness", "drift", "n_train",
    "n_holdout", "label_date"}``; ``holdout`` is the share of accounts held out (0 < h < 1).
    """
    if not 0.0 < holdout < 1.0:
        raise ValueError("holdout must be strictly between 0 and 1")
    with factory() as session:
        pop = population(session, tenant, as_of, labelled=True)
    y = pop.y
    _check_classes(y, f"training population as of {as_of}")
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=holdout, stratify=y, random_state=seed)
    tr, te = np.sort(tr), np.sort(te)
    X = pop.X  # noqa: N806
    model = _model(kind, seed, trees)
    model.fit(X.iloc[tr], y[tr])
    p_all = model.predict_proba(X)[:, 1]
    p_tr, p_te = p_all[tr], p_all[te]
    hold = pop.frame[te]
    threshold = fairness.operating_threshold(p_te, float(y[tr].mean()))
    fair = _fairness(hold, p_te, threshold)
    drifts = drift.drift_report(
        X.iloc[tr],
        X.iloc[te],
        list(FEATURES),
        score_reference=points_from_probability(p_tr),
        score_current=points_from_probability(p_te),
    )
    summary = metrics.summary(y[te], p_te)
    root = tenant_root(registry, tenant)
    vdir = artifacts.next_version_dir(root)
    reference = (
        pop.frame[tr]
        .select("account_id", *FEATURES)
        .with_columns(pl.Series("score", points_from_probability(p_tr)))
    )
    buf = io.BytesIO()
    reference.write_parquet(buf)
    ref_bytes = buf.getvalue()
    window = window_text(as_of, _ticks(factory, tenant))
    artifacts.save_model(
        model,
        vdir,
        metadata={
            "tenant": tenant,
            "as_of": as_of.isoformat(),
            "label_date": label_date(as_of).isoformat(),
            "target": TARGET,
            "data_window": window,
            "training_data": {"rows": len(tr), "holdout_rows": len(te), "seed": seed},
            "reference": {"file": REFERENCE, "sha256": artifacts.sha256_bytes(ref_bytes)},
            "excluded": {"protected": [c for c, _ in PROTECTED_COLUMNS]},
            "metrics": {"holdout": summary},
        },
    )
    (vdir / REFERENCE).write_bytes(ref_bytes)
    rep = report.build_report(
        y[te],
        p_te,
        title=f"{tenant} overdue-next-month PD — {kind} ({vdir.name}, as of {as_of})",
        model_info=_model_info(kind, tenant, as_of, len(tr), len(te), window),
        evaluation=f"holdout ({holdout:.0%} of accounts, stratified, seed {seed}), as of {as_of}",
        fairness=fair,
        drift=drifts,
    )
    report.write_reports(vdir, rep, y[te], p_te)
    return {
        "version": vdir.name,
        "version_dir": str(vdir),
        "as_of": as_of.isoformat(),
        "label_date": label_date(as_of).isoformat(),
        "n_train": len(tr),
        "n_holdout": len(te),
        "holdout": summary,
        "fairness": fair,
        "drift": drifts,
    }


def _model_info(
    kind: str, tenant: str, as_of: date, n_train: int, n_test: int, window: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "data": f"tenant {tenant}: {n_train} training / {n_test} holdout accounts as of {as_of}",
        "data_window": window,
        "target": TARGET,
        "positive": "1 (overdue)",
        "features": list(FEATURES),
        "dropped": list(PROTECTED_COLUMNS),
    }


def load_version(
    registry: Path, tenant: str, version: str | None
) -> tuple[RiskClassifierBase, dict[str, Any], Path]:
    """Load a version (latest when ``None``) of a tenant's model: (model, model.json, dir)."""
    vdir = artifacts.resolve(tenant_root(registry, tenant), version)
    if not (vdir / "model.json").is_file():
        raise ArtifactError(f"no model {version} for tenant {tenant!r} under {registry}")
    model, doc = artifacts.load_model(vdir)
    return model, doc, vdir


def load_reference(vdir: Path, doc: dict[str, Any]) -> pl.DataFrame | None:
    """The training population saved with a version (hash-checked), or ``None`` if absent."""
    ref = doc.get("metadata", {}).get("reference")
    if not ref:
        return None
    data = (vdir / ref["file"]).read_bytes()
    if artifacts.sha256_bytes(data) != ref["sha256"]:
        raise ArtifactError(f"sha256 mismatch for {ref['file']}: the artifact was modified")
    return pl.read_parquet(io.BytesIO(data))


def _subset(y: np.ndarray, p: np.ndarray, mask: np.ndarray) -> dict[str, Any] | None:
    """Headline metrics on a subset, or ``None`` when it lacks one of the classes."""
    return metrics.summary(y[mask], p[mask]) if len(np.unique(y[mask])) == 2 else None


def evaluate_book(
    *,
    factory: sessionmaker[Session],
    tenant: str,
    as_of: date,
    registry: Path,
    version: str | None = None,
) -> dict[str, Any]:
    """Evaluate a saved version on the book as of ``as_of`` (out of time when later than the
    training date); writes the report under ``v<N>/evaluations/<as_of>/`` and returns it."""
    model, doc, vdir = load_version(registry, tenant, version)
    with factory() as session:
        pop = population(session, tenant, as_of, labelled=True)
    y = pop.y
    _check_classes(y, f"evaluation population as of {as_of}")
    p = model.predict_proba(pop.X)[:, 1]
    trained = doc.get("metadata", {}).get("as_of", "?")
    ref = load_reference(vdir, doc)
    drifts = None
    if ref is not None:
        drifts = drift.drift_report(
            feature_matrix(ref),
            pop.X,
            list(FEATURES),
            score_reference=ref["score"].to_numpy(),
            score_current=points_from_probability(p),
        )
    base = float(
        doc.get("metadata", {}).get("metrics", {}).get("holdout", {}).get("bad_rate", y.mean())
    )
    fair = _fairness(pop.frame, p, fairness.operating_threshold(p, base))
    summary = metrics.summary(y, p)
    current_only = _subset(y, p, (pop.frame["dpd"] == 0).to_numpy())
    unseen = None
    if ref is not None:  # accounts the model never trained on: out of time *and* of sample
        unseen = _subset(y, p, ~pop.frame["account_id"].is_in(ref["account_id"]).to_numpy())
    out_dir = vdir / "evaluations" / as_of.isoformat()
    out_dir.mkdir(parents=True, exist_ok=True)
    window = window_text(as_of, _ticks(factory, tenant))
    rep = report.build_report(
        y,
        p,
        title=f"{tenant} {vdir.name} ({doc['kind']}, trained as of {trained}) on {as_of}",
        model_info=_model_info(doc["kind"], tenant, as_of, 0, len(y), window)
        | {"data": f"tenant {tenant}: {len(y)} accounts as of {as_of} (trained as of {trained})"},
        evaluation=f"out of time: trained as of {trained}, evaluated as of {as_of}",
        fairness=fair,
        drift=drifts,
    )
    paths = report.write_reports(out_dir, rep, y, p)
    return {
        "version": vdir.name,
        "trained_as_of": trained,
        "as_of": as_of.isoformat(),
        "label_date": label_date(as_of).isoformat(),
        "metrics": summary,
        "current_only": current_only,
        "unseen_accounts": unseen,
        "fairness": fair,
        "drift": drifts,
        "report": {k: str(v) for k, v in paths.items()},
    }
