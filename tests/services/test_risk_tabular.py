"""Service layer of the tabular path: file reading, fit_table and evaluate_table end to end."""

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.risk.errors import SchemaError
from accord.services import risk_tabular
from accord.services.risk_data import german_path, taiwan_path


def test_read_german_detects_whitespace_and_no_header() -> None:
    frame = risk_tabular.read_table(german_path())
    assert frame.shape == (1000, 21)
    assert frame.columns[0] == "c1"
    assert frame["c1"].iloc[0] == "A11"


def test_read_taiwan_detects_comma_and_header() -> None:
    path = taiwan_path()
    assert path.name.startswith("UCI_Credit_Card.csv")
    frame = risk_tabular.read_table(path)
    assert frame.shape == (30_000, 25)
    assert "default.payment.next.month" in frame.columns


def test_read_gzip_semicolon_and_explicit_options(tmp_path: Path) -> None:
    p = tmp_path / "t.csv.gz"
    p.write_bytes(gzip.compress(b"a;b\n1;x\n2;y\n"))
    assert list(risk_tabular.read_table(p).columns) == ["a", "b"]
    q = tmp_path / "t.txt"
    q.write_text("1 x\n2 y\n")
    frame = risk_tabular.read_table(q, sep="whitespace", header=False)
    assert list(frame.columns) == ["c1", "c2"]
    with pytest.raises(SchemaError):
        risk_tabular.read_table(tmp_path / "nope.csv")


def _write_book(path: Path, n: int = 1200, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    util = rng.random(n)
    kind = rng.choice(["card", "loan", "mortgage"], n)
    age = rng.integers(20, 75, n)
    logit = -1.5 + 2.5 * util + (kind == "card") * 0.8
    y = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "bad", "good")
    pd.DataFrame(
        {"app_id": np.arange(n), "util": util, "product": kind, "age": age, "outcome": y}
    ).to_csv(path, index=False)


def test_fit_then_evaluate(tmp_path: Path) -> None:
    data = tmp_path / "book.csv"
    _write_book(data)
    out = tmp_path / "models"
    res = risk_tabular.fit_table(data, "outcome", "app_id", (), out, kind="boosting", cv=3)
    vdir = Path(res["version_dir"])
    assert vdir == out / "v1"
    for name in ("model.json", "booster.txt", "report.html", "report.json", "model_card.md"):
        assert (vdir / name).is_file(), name
    assert res["spec"]["positive"] == "bad"
    assert ("age", "protected") in [tuple(d) for d in res["spec"]["dropped"]]
    card = (vdir / "model_card.md").read_text()
    assert "Fairness" in card
    assert "age" in card
    assert "data:image/png;base64," in (vdir / "report.html").read_text()
    fresh = tmp_path / "fresh.csv"
    _write_book(fresh, n=800, seed=1)
    ev = risk_tabular.evaluate_table(out, fresh, "outcome")
    assert {"auc", "ks", "brier"} <= set(ev)
    assert ev["auc"] > 0.65
    assert ev["bad_rate"] == pytest.approx((pd.read_csv(fresh)["outcome"] == "bad").mean())
    cv = risk_tabular.evaluate_table(out, fresh, "outcome", cv=3)
    assert cv["cross_validation"]["folds"] == 3
