"""Versioned model artifacts: a directory of JSON metadata plus native, non-executable files.

Layout of one version (``<root>/<version>/``)::

    model.json       schema_version, kind, version, features, categories, classes, params,
                     fitted state, metrics, training-data hash, library versions, file hashes
    booster.txt      LightGBM's native text model (boosting and blend)
    scorecard.json   binning/WoE/points tables (scorecard and blend)

No pickles: every file is data. Loading checks the schema version and the sha256 of every file
listed in ``model.json`` before building the estimator, and raises :class:`ArtifactError` on any
mismatch. Versions are ``v1``, ``v2``, ... under a root; :func:`load_model` takes a version
directory, or a root and an optional version (latest by default).
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from datetime import UTC, datetime
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import Any, Final

import lightgbm as lgb
import numpy as np

from accord.risk._base import RiskClassifierBase, adopt_encoding
from accord.risk.blend import BlendModel
from accord.risk.boosting import BoostingModel
from accord.risk.calibration import Calibrator
from accord.risk.errors import ArtifactError
from accord.risk.scorecard import FeatureTable, ScorecardModel

SCHEMA_VERSION: Final = 1
SUPPORTED_SCHEMAS: Final = frozenset({1})
_VERSION_RE: Final = re.compile(r"^v(\d+)$")


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape a model's numbers."""
    libs = ("lightgbm", "scikit-learn", "optbinning", "numpy", "pandas")
    return {"python": platform.python_version(), **{n: pkg_version(n) for n in libs}}


def _jsonable(value: Any) -> Any:
    """Params to JSON: estimators become {"estimator": kind, "params": ...}, tuples lists."""
    if isinstance(value, RiskClassifierBase):
        return {"estimator": _kind(value), "params": _params(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _params(model: RiskClassifierBase) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in model.get_params(deep=False).items()}


def _kind(model: RiskClassifierBase) -> str:
    for kind, cls in _KINDS.items():
        if type(model) is cls:
            return kind
    raise ArtifactError(f"cannot save a {type(model).__name__}")


def _from_params(kind: str, params: dict[str, Any]) -> RiskClassifierBase:
    cls = _KINDS.get(kind)
    if cls is None:
        raise ArtifactError(f"unknown model kind {kind!r}")
    clean = {}
    for k, v in params.items():
        if isinstance(v, dict) and "estimator" in v:
            v = _from_params(v["estimator"], v["params"])
        elif isinstance(v, list):
            v = tuple(v)
        clean[k] = v
    model: RiskClassifierBase = cls(**clean)
    return model


_KINDS: Final[dict[str, type[RiskClassifierBase]]] = {
    "boosting": BoostingModel,
    "scorecard": ScorecardModel,
    "blend": BlendModel,
}


def _state_files(model: RiskClassifierBase) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Fitted state (JSON) and the data files of ``model``."""
    if isinstance(model, BoostingModel):
        state = {
            "calibrator": model.calibrator_.to_dict(),
            "calibration_scores": model.calibration_scores_,
            "n_iter": model.n_iter_,
        }
        return state, {"booster.txt": model.booster_.model_to_string().encode("utf-8")}
    if isinstance(model, ScorecardModel):
        tables = {"intercept": model.intercept_, "tables": [t.to_dict() for t in model.tables_]}
        return {}, {"scorecard.json": json.dumps(tables, indent=1).encode("utf-8")}
    if isinstance(model, BlendModel):
        bstate, bfiles = _state_files(model.boosting_)
        _, sfiles = _state_files(model.scorecard_)
        return {"boosting": bstate}, {**bfiles, **sfiles}
    raise ArtifactError(f"cannot save a {type(model).__name__}")


def _restore(model: RiskClassifierBase, state: dict[str, Any], files: dict[str, bytes]) -> None:
    """Set fitted attributes of ``model`` from state and files (inverse of :func:`_state_files`)."""
    if isinstance(model, BoostingModel):
        model.booster_ = lgb.Booster(model_str=files["booster.txt"].decode("utf-8"))
        model.calibrator_ = Calibrator.from_dict(state["calibrator"])
        model.calibration_scores_ = state["calibration_scores"]
        model.n_iter_ = int(state["n_iter"])
    elif isinstance(model, ScorecardModel):
        tables = json.loads(files["scorecard.json"])
        model.intercept_ = float(tables["intercept"])
        model.tables_ = tuple(FeatureTable.from_dict(t) for t in tables["tables"])
    elif isinstance(model, BlendModel):
        model.boosting_ = model.boosting or BoostingModel()
        model.scorecard_ = model.scorecard or ScorecardModel()
        for member, sub in ((model.boosting_, state["boosting"]), (model.scorecard_, {})):
            adopt_encoding(member, model)
            _restore(member, sub, files)


def save_model(
    model: RiskClassifierBase, directory: Path, *, metadata: dict[str, Any] | None = None
) -> Path:
    """Write fitted ``model`` into ``directory`` (created; must be empty) and return it.

    ``metadata`` (training-data hash, metrics, data window, target, ...) is stored under
    ``"metadata"`` in ``model.json``; it must be JSON-serialisable.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise ArtifactError(f"{directory} is not empty; versions are immutable")
    state, files = _state_files(model)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    names = getattr(model, "feature_names_in_", None)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "kind": _kind(model),
        "version": directory.name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "features": list(model.feature_names_),
        "features_from_frame": names is not None,
        "categories": model.categories_,
        "classes": np.asarray(model.classes_).tolist(),
        "params": _params(model),
        "state": state,
        "libraries": library_versions(),
        "files": {name: sha256_bytes(data) for name, data in files.items()},
        "metadata": metadata or {},
    }
    (directory / "model.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False), "utf-8")
    return directory


def read_metadata(directory: Path) -> dict[str, Any]:
    """The parsed ``model.json`` of a version directory, schema-checked."""
    path = directory / "model.json"
    if not path.is_file():
        raise ArtifactError(f"no model.json in {directory}")
    try:
        doc: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{path} is not valid JSON: {exc}") from None
    if doc.get("schema_version") not in SUPPORTED_SCHEMAS:
        raise ArtifactError(f"unsupported artifact schema version {doc.get('schema_version')!r}")
    return doc


def load_model(directory: Path) -> tuple[RiskClassifierBase, dict[str, Any]]:
    """Load and verify the model in a version directory; returns (model, model.json)."""
    doc = read_metadata(directory)
    files: dict[str, bytes] = {}
    for name, digest in doc["files"].items():
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"artifact file {name} is missing from {directory}")
        data = path.read_bytes()
        if sha256_bytes(data) != digest:
            raise ArtifactError(f"sha256 mismatch for {name}: the artifact was modified")
        files[name] = data
    model = _from_params(doc["kind"], doc["params"])
    model.classes_ = np.asarray(doc["classes"])
    model.n_features_in_ = len(doc["features"])
    model.feature_names_ = list(doc["features"])
    if doc["features_from_frame"]:
        model.feature_names_in_ = np.asarray(doc["features"], dtype=object)
    model.categories_ = {k: list(v) for k, v in doc["categories"].items()}
    _restore(model, doc["state"], files)
    return model, doc


def versions(root: Path) -> list[str]:
    """Version names under ``root``, oldest first (``v1``, ``v2``, ...)."""
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), p.name) for p in root.iterdir() if (m := _VERSION_RE.match(p.name))]
    return [name for _, name in sorted(found)]


def next_version_dir(root: Path) -> Path:
    """Directory for the next version under ``root`` (not created)."""
    existing = versions(root)
    n = int(existing[-1][1:]) + 1 if existing else 1
    return root / f"v{n}"


def resolve(path: Path, version: str | None = None) -> Path:
    """A version directory from ``path``: itself if it holds model.json, else ``version`` or
    the latest version under it."""
    if version is None and (path / "model.json").is_file():
        return path
    if version is not None:
        return path / version
    found = versions(path)
    if not found:
        raise ArtifactError(f"no model versions under {path}")
    return path / found[-1]
