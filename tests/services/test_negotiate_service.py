"""The negotiate service: schema validation with line/field problems, and planned outcomes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from accord.services.negotiate import plan_file, read_cases

CASE: dict[str, Any] = {
    "schema": "negotiation-case.v1",
    "case_id": "c-1",
    "as_of": "2025-06-01",
    "currency": "CNY",
    "debts": [
        {
            "account_id": "card-1",
            "principal": "40000.00",
            "charges": "3000.00",
            "annual_rate": "0.18",
            "dpd": 95,
        }
    ],
    "statement": {
        "income": {"wages": "9000"},
        "expenses": {
            "housing": "1800",
            "food": "2000",
            "transport": "900",
            "utilities": "300",
            "education": "300",
            "medical": "200",
        },
        "assets": {"liquid": "5000"},
        "household_size": 3,
        "region": "urban",
        "hardship": "illness",
        "evidence": [{"kind": "hospital_invoice", "ref": "doc-1"}],
    },
    "pd": "0.35",
    "pack": "cn",
}


def _write(tmp_path: Path, *objs: dict[str, Any] | str) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n", "utf-8"
    )
    return path


def test_valid_file_is_planned_with_schedules(tmp_path: Path) -> None:
    report = plan_file(cases=_write(tmp_path, CASE))
    assert report.ok
    (out,) = report.outcomes
    assert out["case_id"] == "c-1"
    rec = out["recommended"]
    assert rec is not None
    assert rec["schedule"], "exact schedule for the recommended plan"
    assert int(rec["terms"]["months"]) <= 60  # CN pack: card restructure up to 60 months
    assert out["batna"]["creditor"]["reason"]["zh-CN"]
    assert out["affordability"]["sustainable_payment"] == "2975.00"
    assert json.dumps(report.to_json())  # JSON-serialisable


def test_every_problem_names_line_and_field(tmp_path: Path) -> None:
    bad = copy.deepcopy(CASE)
    bad["debts"][0]["annual_rate"] = "1.7"
    bad["statement"]["region"] = "moon"
    report = plan_file(cases=_write(tmp_path, CASE, bad, "{not json"))
    assert not report.ok
    assert report.outcomes == ()
    where = {(p.line, p.field) for p in report.problems}
    assert (2, "debts.0.annual_rate") in where
    assert (2, "statement.region") in where
    assert any(p.line == 3 and "not JSON" in p.reason for p in report.problems)


def test_policy_overrides_apply() -> None:
    obj = copy.deepcopy(CASE)
    obj["policy"] = {"max_haircut": "0", "max_term_months": 24}
    obj.pop("pack")
    obj["limits"] = {"max_term_months": 36}
    cases, problems = read_cases(json.dumps(obj))
    assert problems == []
    assert cases[0].policy.max_term_months == 24
    assert cases[0].limits.max_term_months == 36
