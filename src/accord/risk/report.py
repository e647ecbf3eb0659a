"""Evaluation reports: JSON, a self-contained HTML page with plots, and a model card.

:func:`build_report` gathers metrics (AUC, Gini, KS, Brier, calibration, gains, score
distribution), optional cross-validation, fairness and drift results and the model's description
into one JSON-ready dict. :func:`render_html` draws ROC, calibration, score-distribution and
gains plots with matplotlib's object API (Agg canvas, no pyplot state) and embeds them as base64
PNG. :func:`model_card` writes the Markdown card: data window, features, intended use,
limitations and fairness results. :func:`write_reports` puts all three in an artifact directory.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import roc_curve

from accord.risk import metrics
from accord.risk.scorecard import points_from_probability

INTENDED_USE = (
    "Rank accounts by probability of default to prioritise early, supportive contact and to "
    "inform restructuring offers in Accord. Not for automated adverse decisions without human "
    "review, and not for pricing or credit approval outside the population it was trained on."
)
LIMITATIONS = (
    "Trained on one historical book; performance degrades under population shift (watch the "
    "PSI report). Probabilities are calibrated to the training base rate. Reason codes describe "
    "the model, not causes. Protected attributes are excluded as features, but proxies may "
    "remain: read the fairness section before use."
)


def build_report(
    y: np.ndarray,
    p: np.ndarray,
    *,
    title: str,
    model_info: dict[str, Any],
    evaluation: str,
    cv: dict[str, Any] | None = None,
    fairness: dict[str, Any] | None = None,
    drift: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the report dict; ``evaluation`` says what (y, p) are (e.g. "holdout")."""
    return {
        "title": title,
        "evaluation": evaluation,
        "model": model_info,
        "metrics": metrics.evaluate(y, p, scores=points_from_probability(p)),
        "cross_validation": cv,
        "fairness": fairness,
        "drift": drift,
        "intended_use": INTENDED_USE,
        "limitations": LIMITATIONS,
    }


def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plots(y: np.ndarray, p: np.ndarray, report: dict[str, Any]) -> dict[str, str]:
    """Base64 PNGs: roc, calibration, score distribution, gains."""
    m = report["metrics"]
    out = {}
    fig = Figure(figsize=(4, 4))
    ax = fig.add_subplot()
    fpr, tpr, _ = roc_curve(y, p)
    ax.plot(fpr, tpr, label=f"AUC {m['auc']:.3f}")
    ax.plot([0, 1], [0, 1], ls="--", c="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    ax.legend(loc="lower right")
    out["roc"] = _png(fig)
    fig = Figure(figsize=(4, 4))
    ax = fig.add_subplot()
    cal = m["calibration"]
    ax.plot([r["mean_predicted"] for r in cal], [r["observed_rate"] for r in cal], "o-")
    top = max(max(r["mean_predicted"] for r in cal), max(r["observed_rate"] for r in cal))
    ax.plot([0, top], [0, top], ls="--", c="grey")
    ax.set(xlabel="mean predicted PD", ylabel="observed default rate", title="Calibration")
    out["calibration"] = _png(fig)
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    sd = m["score_distribution"]
    centres = 0.5 * (np.asarray(sd["edges"][1:]) + np.asarray(sd["edges"][:-1]))
    width = float(np.diff(sd["edges"]).mean())
    ax.bar(centres, sd["good"], width=width, alpha=0.6, label="good")
    ax.bar(centres, sd["bad"], width=width, alpha=0.6, label="bad")
    ax.set(xlabel="score points", ylabel="accounts", title="Score distribution")
    ax.legend()
    out["score_distribution"] = _png(fig)
    fig = Figure(figsize=(4, 4))
    ax = fig.add_subplot()
    gains = m["gains"]
    xs = [0.0] + [r["band"] / len(gains) for r in gains]
    ax.plot(xs, [0.0] + [r["cum_gain"] for r in gains], "o-", label="model")
    ax.plot([0, 1], [0, 1], ls="--", c="grey", label="random")
    ax.set(xlabel="share of accounts (riskiest first)", ylabel="share of bads", title="Gains")
    ax.legend(loc="lower right")
    out["gains"] = _png(fig)
    return out


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{v:.4f}</td>" if isinstance(v, float) else f"<td>{html.escape(str(v))}</td>"
            for v in r.values()
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(report: dict[str, Any], y: np.ndarray, p: np.ndarray) -> str:
    """A self-contained HTML page (inline CSS, base64 PNG plots) for ``report``."""
    m = report["metrics"]
    images = plots(y, p, report)
    headline = {k: m[k] for k in ("n", "bad_rate", "auc", "gini", "ks", "brier", "log_loss", "ece")}
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        f"<title>{html.escape(report['title'])}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:"
        "collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style>",
        f"<h1>{html.escape(report['title'])}</h1>",
        f"<p>Evaluation: {html.escape(report['evaluation'])}</p>",
        _table([headline]),
        *(f"<img alt='{k}' src='data:image/png;base64,{v}'>" for k, v in images.items()),
        "<h2>Gains / lift</h2>",
        _table(m["gains"]),
        "<h2>Calibration</h2>",
        _table(m["calibration"]),
    ]
    if report.get("cross_validation"):
        parts += ["<h2>Cross-validation</h2>", _table(report["cross_validation"]["per_fold"])]
    if report.get("fairness"):
        parts.append("<h2>Fairness</h2>")
        for name, att in report["fairness"]["attributes"].items():
            parts.append(
                f"<h3>{html.escape(name)}: flag-rate difference "
                f"{att['flag_rate_difference']:.3f}, equal-opportunity difference "
                f"{att['equal_opportunity_difference']:.3f}</h3>"
            )
            parts.append(_table(att["groups"]))
    parts += [f"<h2>Intended use</h2><p>{INTENDED_USE}</p>", f"<p>{LIMITATIONS}</p></html>"]
    return "\n".join(parts)


def model_card(report: dict[str, Any]) -> str:
    """Markdown model card: data window, features, intended use, limitations, fairness."""
    info = report["model"]
    m = report["metrics"]
    lines = [
        f"# Model card: {report['title']}",
        "",
        f"- Kind: {info.get('kind', '?')}",
        f"- Data: {info.get('data', '?')}",
        f"- Data window: {info.get('data_window', 'not stated by the source data')}",
        f"- Target: {info.get('target', '?')} (positive = {info.get('positive', '?')})",
        f"- Features ({len(info.get('features', []))}): {', '.join(info.get('features', []))}",
        f"- Excluded: {', '.join(f'{c} ({why})' for c, why in info.get('dropped', [])) or 'none'}",
        "",
        f"## Performance ({report['evaluation']})",
        "",
        f"AUC {m['auc']:.4f} · Gini {m['gini']:.4f} · KS {m['ks']:.4f} · "
        f"Brier {m['brier']:.4f} · ECE {m['ece']:.4f} · n = {m['n']}",
    ]
    cv = report.get("cross_validation")
    if cv:
        mean, std = cv["mean"], cv["std"]
        lines.append(
            f"\n{cv['folds']}-fold CV: AUC {mean['auc']:.4f} ± {std['auc']:.4f}, "
            f"KS {mean['ks']:.4f}, Brier {mean['brier']:.4f}"
        )
    lines += ["", "## Intended use", "", INTENDED_USE, "", "## Limitations", "", LIMITATIONS]
    lines += ["", "## Fairness", ""]
    fair = report.get("fairness")
    if not fair:
        lines.append("No protected attributes were available to audit in this data.")
    else:
        lines.append(f"Operating threshold PD ≥ {fair['threshold']:.4f}.")
        for name, att in fair["attributes"].items():
            lines.append(
                f"- {name}: flag-rate difference {att['flag_rate_difference']:.3f}, "
                f"equal-opportunity difference {att['equal_opportunity_difference']:.3f}"
                + (" — REVIEW" if att["review"] else "")
            )
    return "\n".join(lines) + "\n"


def write_reports(
    directory: Path, report: dict[str, Any], y: np.ndarray, p: np.ndarray
) -> dict[str, Path]:
    """Write ``report.json``, ``report.html`` and ``model_card.md`` into ``directory``."""
    paths = {
        "json": directory / "report.json",
        "html": directory / "report.html",
        "card": directory / "model_card.md",
    }
    paths["json"].write_text(json.dumps(report, indent=1, default=float), "utf-8")
    paths["html"].write_text(render_html(report, y, p), "utf-8")
    paths["card"].write_text(model_card(report), "utf-8")
    return paths
