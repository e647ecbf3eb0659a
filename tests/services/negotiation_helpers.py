"""Case objects for the negotiation-session tests (schema negotiation-case.v1)."""

from __future__ import annotations

import copy
from typing import Any

from tests.services.test_negotiate_service import CASE

#: Auto-approval limits wide enough that an agreed plan needs no staff approval.
LENIENT = {
    "auto_max_haircut": "1",
    "auto_max_settlement_discount": "1",
    "auto_max_term_months": 120,
    "auto_max_relief": "1",
}


def case_obj(*, lenient: bool = False, **statement_income: str) -> dict[str, Any]:
    """The service tests' CN card case; ``lenient`` lifts the auto-approval limits."""
    obj = copy.deepcopy(CASE)
    obj["statement"]["income"].update(statement_income)
    if lenient:
        obj["policy"] = dict(LENIENT)
    return obj
