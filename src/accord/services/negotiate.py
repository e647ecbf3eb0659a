"""Use case: plan negotiations for a file of cases (``accord negotiate plan``).

Reads JSON Lines cases in the published schema ``schemas/negotiation-case.v1.json``, validates
every line (all problems are reported, each naming its line and field), builds the engine's
domain records and runs :func:`accord.negotiation.engine.negotiate_batch` on the valid file.
A file with any invalid line is rejected as a whole, like a book import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator

from accord.core.errors import CoreError
from accord.core.money import Money
from accord.negotiation.case import Case, Debt
from accord.negotiation.engine import negotiate_batch
from accord.negotiation.errors import NegotiationError
from accord.negotiation.policy import limits_from_dict, limits_from_pack, policy_from_dict
from accord.negotiation.statement import (
    Assets,
    Evidence,
    Expenses,
    FinancialStatement,
    HardshipReason,
    Income,
    ObservedBehaviour,
    Region,
)

SCHEMA_ID: Final = "negotiation-case.v1"
SCHEMA_PATH: Final = Path(__file__).resolve().parents[3] / "schemas" / f"{SCHEMA_ID}.json"
RESULT_SCHEMA: Final = "negotiation-plan-result.v1"


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem in the input: 1-based line, JSON path of the field, and the reason."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field or '<case>'}: {self.reason}"


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _money(raw: dict[str, Any], key: str, cur: str) -> Money:
    return Money.parse(str(raw.get(key, "0")), cur)


def build_case(obj: dict[str, Any]) -> Case:
    """Domain :class:`Case` from one schema-valid JSON object (raises on inconsistent values)."""
    cur = obj["currency"]
    st = obj["statement"]
    inc, exp, assets = st["income"], st["expenses"], st.get("assets", {})
    statement = FinancialStatement(
        income=Income(*(_money(inc, k, cur) for k in ("wages", "business", "benefits", "other"))),
        expenses=Expenses(
            *(
                _money(exp, k, cur)
                for k in (
                    "housing",
                    "food",
                    "transport",
                    "utilities",
                    "education",
                    "medical",
                    "dependants",
                )
            )
        ),
        other_debt_payments=_money(st, "other_debt_payments", cur),
        assets=Assets(_money(assets, "liquid", cur), _money(assets, "other", cur)),
        household_size=st["household_size"],
        region=Region(st["region"]),
        hardship=HardshipReason(st["hardship"]),
        evidence=tuple(Evidence(e["kind"], e["ref"]) for e in st.get("evidence", ())),
    )
    as_of = date.fromisoformat(obj["as_of"])
    if "pack" in obj:
        limits = limits_from_pack(obj["pack"], product=obj.get("pack_product", "card"), on=as_of)
    else:
        limits = limits_from_dict(obj.get("limits"))
    observed = obj.get("observed")
    return Case(
        case_id=obj["case_id"],
        debts=tuple(
            Debt(
                d["account_id"],
                Money.parse(d["principal"], cur),
                Money.parse(d.get("charges", "0"), cur),
                Decimal(d["annual_rate"]),
                d.get("dpd", 0),
            )
            for d in obj["debts"]
        ),
        statement=statement,
        as_of=as_of,
        pd=Decimal(obj["pd"]) if "pd" in obj else None,
        observed=None
        if observed is None
        else ObservedBehaviour(
            observed["months"],
            Money.parse(observed["amount_paid"], cur),
            observed["months_with_payment"],
        ),
        policy=policy_from_dict(obj.get("policy")),
        limits=limits,
    )


def read_cases(text: str) -> tuple[list[Case], list[InputProblem]]:
    """Parse and validate JSON Lines ``text``; returns the cases and every problem found."""
    cases: list[Case] = []
    problems: list[InputProblem] = []
    validator = _validator()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(n, "", f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            problems.extend(
                InputProblem(n, ".".join(str(p) for p in e.absolute_path), e.message)
                for e in errors
            )
            continue
        try:
            cases.append(build_case(obj))
        except (NegotiationError, CoreError, ValueError, KeyError, TypeError) as exc:
            problems.append(InputProblem(n, "", str(exc)))
    return cases, problems


@dataclass(frozen=True, slots=True)
class PlanReport:
    """The result of planning a file: per-case JSON outcomes, or the problems that stopped it."""

    outcomes: tuple[dict[str, Any], ...]
    problems: tuple[InputProblem, ...]

    @property
    def ok(self) -> bool:
        """True when the file was valid and every case was planned."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The documented output object."""
        return {
            "schema": RESULT_SCHEMA,
            "input_schema": SCHEMA_ID,
            "cases": list(self.outcomes),
            "problems": [
                {"line": p.line, "field": p.field, "reason": p.reason} for p in self.problems
            ],
        }


def plan_file(*, cases: Path, schedules: bool = True) -> PlanReport:
    """Plan every case of the JSON Lines file ``cases`` (all-or-nothing on invalid input)."""
    parsed, problems = read_cases(cases.read_text("utf-8"))
    if problems:
        return PlanReport((), tuple(problems))
    outcomes = negotiate_batch(parsed, schedules=schedules)
    return PlanReport(tuple(o.to_json() for o in outcomes), ())
