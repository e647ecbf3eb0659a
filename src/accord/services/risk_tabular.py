"""Use cases of the generic tabular risk path: read a table file, fit, evaluate, cross-validate.

This is the layer that touches files: :func:`read_table` reads CSV/TSV/whitespace-separated text
(optionally gzip-compressed, UTF-8 or GB18030) with or without a header row, detecting both when
not told; :func:`fit_table` writes a new immutable model version under ``out_dir`` with the
training file's sha256, the table spec, cross-validated metrics, a JSON + HTML report and a
model card; :func:`evaluate_table` scores a file with a saved version. The computations
themselves are :mod:`accord.risk.tabular`'s.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from accord.risk import artifacts, fairness, report, tabular
from accord.risk.errors import RiskError, SchemaError

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _text(path: Path) -> str:
    """File contents as text (gzip by magic bytes; UTF-8 with a GB18030 fallback)."""
    if not path.is_file():
        raise SchemaError(f"no such file: {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _detect_sep(first: str) -> str:
    for sep in (",", "\t", ";", "|"):
        if sep in first:
            return sep
    return r"\s+"


def _fields(line: str, sep: str) -> list[str]:
    parts = line.split() if sep == r"\s+" else line.split(sep)
    return [p.strip().strip('"').strip("'") for p in parts]


def read_table(path: Path, *, sep: str | None = None, header: bool | None = None) -> pd.DataFrame:
    """Read a delimited table. ``sep=None`` detects , tab ; | or whitespace from the first line;
    ``header=None`` treats the first row as a header unless one of its fields is a number.
    Without a header, columns are named ``c1, c2, ...`` (1-based, like most data dictionaries).
    """
    text = _text(path)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise SchemaError(f"{path} is empty")
    if sep is None:
        sep = _detect_sep(lines[0])
    elif sep in ("whitespace", "space", " "):
        sep = r"\s+"
    elif sep in ("tab", "\\t"):
        sep = "\t"
    if header is None:
        header = not any(_NUMBER.match(f) for f in _fields(lines[0], sep))
    frame = pd.read_csv(io.StringIO(text), sep=sep, header=0 if header else None, engine="python")
    if not header:
        frame.columns = [f"c{i}" for i in range(1, frame.shape[1] + 1)]
    return frame


def _fairness(
    frame: pd.DataFrame, spec: tabular.TableSpec, y: Any, p: Any
) -> dict[str, Any] | None:
    """Fairness of predictions over the protected columns that were dropped (age banded)."""
    attrs: dict[str, Any] = {}
    for col, why in spec.dropped:
        if why != "protected":
            continue
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > 10:
            attrs[col] = fairness.age_band(values)
        else:
            attrs[col] = values.astype(str).to_numpy()
    if not attrs:
        return None
    threshold = fairness.operating_threshold(p, float(y.mean()))
    return fairness.fairness_report(y, p, attrs, threshold=threshold)


def file_sha256(path: Path) -> str:
    """Hex sha256 of the file's bytes (the training-data hash stored with a model)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fit_table(
    data_path: Path,
    target: str,
    id_col: str | None = None,
    exclude: Iterable[str] = (),
    out_dir: Path = Path("models"),
    *,
    kind: str = "blend",
    cv: int = 5,
    seed: int = 0,
    sep: str | None = None,
    header: bool | None = None,
    positive: str | None = None,
    protected: Iterable[str] = (),
) -> dict[str, Any]:
    """Fit a model on one table file and save it as the next version under ``out_dir``.

    ``protected`` names extra protected columns (beyond those recognised by name): they are
    excluded from the features and used for the fairness section of the report.

    Returns a summary: version directory, spec, and (when ``cv >= 2``) the cross-validated
    metrics that are also recorded in the artifact and its report.
    """
    frame = read_table(data_path, sep=sep, header=header)
    feats, y, spec = tabular.prepare_table(
        frame,
        target,
        id_col=id_col,
        exclude=tuple(exclude),
        protected_columns=tuple(protected),
        positive=positive,
    )
    if cv >= 2:
        cv_result, p_eval = tabular.cross_validate_predictions(
            feats, y, kind=kind, folds=cv, seed=seed
        )
    else:
        cv_result = None
    model = tabular.fit_frame(feats, y, kind=kind, seed=seed)
    if cv_result is None:
        p_eval = model.predict_proba(feats)[:, 1]
    version_dir = artifacts.next_version_dir(out_dir)
    digest = file_sha256(data_path)
    metadata = {
        "training_data": {"file": data_path.name, "sha256": digest, "rows": len(frame)},
        "spec": spec.to_dict(),
        "metrics": {"cross_validation": cv_result} if cv_result else {},
        "seed": seed,
    }
    artifacts.save_model(model, version_dir, metadata=metadata)
    fair = _fairness(frame, spec, y, p_eval)
    rep = report.build_report(
        y,
        p_eval,
        title=f"Risk model {out_dir.name}/{version_dir.name}",
        model_info={
            "kind": kind,
            "data": f"{data_path.name}: {len(frame)} rows, sha256 {digest}",
            **spec.to_dict(),
        },
        evaluation=f"{cv}-fold out-of-fold predictions" if cv_result else "in-sample (no CV)",
        cv=cv_result,
        fairness=fair,
    )
    report.write_reports(version_dir, rep, y, p_eval)
    return {"version_dir": str(version_dir), "spec": spec.to_dict(), "cross_validation": cv_result}


def evaluate_table(
    model_dir: Path,
    data_path: Path,
    target: str,
    *,
    version: str | None = None,
    cv: int = 0,
    seed: int = 0,
    sep: str | None = None,
    header: bool | None = None,
) -> dict[str, Any]:
    """Metrics of a saved model on a table file (at least auc, ks, brier).

    With ``cv >= 2`` the saved model's *recipe* (its parameters) is instead cross-validated on
    the file, which answers "how well does this approach do on these data".
    """
    vdir = artifacts.resolve(model_dir, version)
    model, doc = artifacts.load_model(vdir)
    spec = tabular.TableSpec.from_dict(doc["metadata"]["spec"])
    if target != spec.target:
        spec = tabular.TableSpec(target, spec.positive, spec.features, spec.id_col, spec.dropped)
    frame = read_table(data_path, sep=sep, header=header)
    if target not in frame.columns:
        raise SchemaError(f"target column {target!r} not in {data_path.name}")
    y, _ = tabular.binary_target(frame[target], spec.positive)
    feats = tabular.features_of(frame, spec)
    out: dict[str, Any] = {"model": str(vdir), "kind": doc["kind"], "data": data_path.name}
    if cv >= 2:
        out["cross_validation"] = tabular.cross_validate(
            feats, y, folds=cv, seed=seed, template=model
        )
        out |= out["cross_validation"]["mean"]
        return out
    full = tabular.evaluate_frame(model, feats, y)
    out |= {k: full[k] for k in ("n", "bad_rate", "auc", "gini", "ks", "brier", "log_loss", "ece")}
    out["calibration"] = full["calibration"]
    out["gains"] = full["gains"]
    return out


def cross_validate_table(
    data_path: Path,
    target: str,
    id_col: str | None = None,
    exclude: Iterable[str] = (),
    *,
    kind: str = "blend",
    folds: int = 5,
    seed: int = 0,
    sep: str | None = None,
    header: bool | None = None,
    positive: str | None = None,
) -> dict[str, Any]:
    """Stratified k-fold cross-validation of the tabular recipe on one file (no artifact)."""
    frame = read_table(data_path, sep=sep, header=header)
    feats, y, spec = tabular.prepare_table(
        frame, target, id_col=id_col, exclude=tuple(exclude), positive=positive
    )
    result = tabular.cross_validate(feats, y, kind=kind, folds=folds, seed=seed)
    return {"spec": spec.to_dict(), **result}


__all__ = ["RiskError", "cross_validate_table", "evaluate_table", "fit_table", "read_table"]
