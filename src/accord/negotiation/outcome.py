"""Result records of the engine: valued plans, the menu, both BATNAs and the case outcome."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accord.core.money import Money
from accord.core.types import Schedule
from accord.negotiation.affordability import Affordability
from accord.negotiation.plans import PlanSpec
from accord.negotiation.reasons import Reason


@dataclass(frozen=True, slots=True)
class PlanValue:
    """One plan valued for a case: terms, amounts, both sides' values, approval and explanation.

    ``first_payment``/``largest_payment``/``total_payable`` come from the exact schedule when
    one was built (``schedule`` is not None), otherwise from the valuation streams rounded to
    the minor unit. ``approval`` lists why staff must approve (empty: within auto-approval).
    """

    spec: PlanSpec
    annual_rate: Decimal
    principal: Money
    first_payment: Money
    largest_payment: Money
    total_payable: Money
    relief: Decimal
    tier: int
    creditor_value: Money
    debtor_cost: Money
    creditor_gain: Money
    debtor_gain: Money
    redefault_12m: Decimal
    income_share: Decimal
    approval: tuple[Reason, ...]
    explanation: Reason
    schedule: Schedule | None = None
    apr: Decimal | None = None

    @property
    def needs_approval(self) -> bool:
        """True when the plan is outside the creditor's auto-approval limits."""
        return bool(self.approval)


@dataclass(frozen=True, slots=True)
class MenuOption:
    """A menu entry: ``label`` is ``lowest_payment``, ``shortest_term`` or ``settlement``."""

    label: str
    plan: PlanValue


@dataclass(frozen=True, slots=True)
class CreditorBatna:
    """The creditor's best no-agreement path and its expected value today."""

    value: Money
    path: str  # "collections" | "debt_sale"
    collections_value: Money
    sale_value: Money
    reason: Reason


@dataclass(frozen=True, slots=True)
class DebtorBatna:
    """The debtor's expected cost (today's money) if no agreement is reached."""

    cost: Money
    accrued_charges: Money
    legal_costs: Money
    credit_damage: Money
    reason: Reason


@dataclass(frozen=True, slots=True)
class Outcome:
    """Everything the engine says about one case."""

    case_id: str
    owed: Money
    affordability: Affordability
    creditor_batna: CreditorBatna
    debtor_batna: DebtorBatna
    recommended: PlanValue | None
    menu: tuple[MenuOption, ...]
    need_tier: int | None
    no_deal: Reason | None
    plans_considered: int
    plans_acceptable: int

    @property
    def required_payment(self) -> Money | None:
        """The least monthly payment the engine accepts for an agreement: the largest payment of
        the menu's lowest-payment restructure (None when no restructure is acceptable).

        Monotone in affordability: a debtor who can afford less is never required to pay more.
        The recommended (Nash) plan may ask more when that is better for both sides.
        """
        for m in self.menu:
            if m.label == "lowest_payment":
                return m.plan.largest_payment
        return None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (money as decimal strings, reasons with both renderings)."""
        from accord.negotiation.render import outcome_json

        return outcome_json(self)
