"""Creditor policy and jurisdiction limits, as plain validated records.

:class:`Limits` holds the legal limits a jurisdiction pack provides (maximum restructure term,
rate caps, holiday length); :func:`limits_from_pack` maps a loaded pack onto it. :class:`Policy`
holds the creditor's own rules (maximum haircut and settlement discount, minimum recovery,
auto-approval limits) and the documented parameters of the valuation model. Defaults are a
conservative CN credit-card policy; every field can be overridden from a case file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from accord.negotiation.errors import InvalidPolicy

D = Decimal


@dataclass(frozen=True, slots=True)
class Limits:
    """Legal limits from the jurisdiction pack.

    CN defaults: personalised instalments for overdue credit-card debt up to 5 years (商业银行
    信用卡业务监督管理办法, CBRC Order 2011 No. 2, art. 70); the restructured rate and the
    charges accruing without agreement are capped at 24% a year (the judicial protection line
    for lending rates, 最高人民法院关于审理民间借贷案件适用法律若干问题的规定 art. 25 uses 4×LPR;
    24% is a conservative stand-in until the pack supplies its figure).
    """

    code: str = "CN"
    max_term_months: int = 60
    max_annual_rate: Decimal = Decimal("0.24")
    charges_annual_cap: Decimal = Decimal("0.24")
    max_holiday_months: int = 6
    citations: tuple[str, ...] = (
        "商业银行信用卡业务监督管理办法 (CBRC Order 2011 No. 2), art. 70",
    )

    def __post_init__(self) -> None:
        if not 1 <= self.max_term_months <= 600:
            raise InvalidPolicy("max_term_months must be within 1..600")
        if not D(0) <= self.max_annual_rate <= 1 or not D(0) <= self.charges_annual_cap <= 1:
            raise InvalidPolicy("rate caps must be within 0..1")
        if not 0 <= self.max_holiday_months <= 24:
            raise InvalidPolicy("max_holiday_months must be within 0..24")


@dataclass(frozen=True, slots=True)
class Policy:
    """A creditor's negotiation policy and valuation parameters (fractions of the amount owed).

    Re-default model: a plan paid at exactly the sustainable payment re-defaults within 12 months
    with probability ``pd`` (the risk model's, or ``default_pd``); the monthly hazard rises as
    ``exp(hazard_payment_slope × (payment/sustainable − 1))`` and falls as
    ``exp(−hazard_relief_slope × relief)``. The payment slope 2.52 reproduces the US OCC Mortgage
    Metrics Report Q1 2009 contrast: 12 months after modification 58.8% of loans with unchanged
    payments vs 37.6% of loans whose payment fell by ≥ 20% were 60+ days delinquent (monthly
    hazards 0.0739 and 0.0393, ratio 1.88 = exp(2.52 × 0.25)). The relief slope follows the
    direction of Dobbie & Song (2020, AER 110(4)): write-downs and interest reductions improved
    repayment, longer terms alone did not (so term enters only through the payment); its size
    (1.0) is a modelling assumption.
    """

    max_haircut: Decimal = Decimal("0.30")
    max_settlement_discount: Decimal = Decimal("0.40")
    min_recovery: Decimal = Decimal("0.50")
    max_term_months: int = 60
    allow_interest_freeze: bool = True
    auto_max_haircut: Decimal = Decimal("0.10")
    auto_max_settlement_discount: Decimal = Decimal("0.20")
    auto_max_term_months: int = 36
    auto_max_relief: Decimal = Decimal("0.20")
    # affordability
    safety_margin: Decimal = Decimal("0.15")
    max_payment_share: Decimal = Decimal("0.50")
    emergency_buffer_months: int = 1
    # creditor valuation
    cost_of_funds: Decimal = Decimal("0.08")
    setup_cost: Decimal = Decimal("0.005")
    servicing_cost_monthly: Decimal = Decimal("0.0005")
    default_pd: Decimal = Decimal("0.40")
    hazard_payment_slope: Decimal = Decimal("2.52")
    hazard_relief_slope: Decimal = Decimal("1.0")
    redefault_recovery: Decimal = Decimal("0.30")
    redefault_recovery_months: int = 12
    # creditor BATNA: collections / litigation, or a debt sale
    collection_success: Decimal = Decimal("0.45")
    collection_recovery: Decimal = Decimal("0.70")
    collection_months: int = 18
    collection_legal_cost: Decimal = Decimal("0.08")
    debt_sale_price: Decimal = Decimal("0.10")
    # debtor valuation
    debtor_discount_rate: Decimal = Decimal("0.12")
    debtor_legal_cost: Decimal = Decimal("0.03")
    credit_damage_months_income: Decimal = Decimal("1.0")
    # concession tiers: relief (share of the debt's value at the contract rate) band edges
    relief_tiers: tuple[Decimal, ...] = field(
        default=tuple(
            Decimal(x) for x in ("0.005", "0.05", "0.10", "0.15", "0.20", "0.30", "0.40", "0.50")
        )
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Decimal) and not (v.is_finite() and D(0) <= v <= D(10)):
                raise InvalidPolicy(f"{f.name} must be a finite non-negative Decimal")
        for name in ("max_haircut", "max_settlement_discount", "min_recovery", "safety_margin"):
            if getattr(self, name) >= 1:
                raise InvalidPolicy(f"{name} must be below 1")
        if not 1 <= self.max_term_months <= 600 or self.auto_max_term_months < 1:
            raise InvalidPolicy("term limits must be positive")
        if list(self.relief_tiers) != sorted(self.relief_tiers):
            raise InvalidPolicy("relief_tiers must be ascending")


def _coerce(cls: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    known = {f.name: f for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise InvalidPolicy(f"unknown field {key!r} for {cls.__name__}")
        default = getattr(cls(), key)
        if isinstance(default, Decimal):
            out[key] = D(str(value))
        elif isinstance(default, tuple) and default and isinstance(default[0], Decimal):
            out[key] = tuple(D(str(v)) for v in value)
        elif isinstance(default, tuple):
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


def policy_from_dict(data: dict[str, Any] | None) -> Policy:
    """A :class:`Policy` from JSON-like overrides of the defaults (numbers become Decimals)."""
    return replace(Policy(), **_coerce(Policy, data or {}))


def limits_from_dict(data: dict[str, Any] | None) -> Limits:
    """A :class:`Limits` from JSON-like overrides of the CN defaults."""
    return replace(Limits(), **_coerce(Limits, data or {}))


def limits_from_pack(code: str, *, product: str = "card", on: date | None = None) -> Limits:
    """:class:`Limits` from jurisdiction pack ``code`` for ``product`` on date ``on``.

    The maximum restructure term and the annual cost cap come from the pack (with its
    citations); where the pack has no figure (``None``) the CN defaults of :class:`Limits` stay.
    """
    from accord.core.packs import load_pack

    pack = load_pack(code)
    rules = pack.product(product)
    base = Limits()
    term = rules.max_restructure_months.value
    cap = pack.cap_rate(on or pack.valid_from, product)
    return Limits(
        code=pack.code,
        max_term_months=term if term is not None else base.max_term_months,
        max_annual_rate=cap if cap is not None else base.max_annual_rate,
        charges_annual_cap=cap if cap is not None else base.charges_annual_cap,
        max_holiday_months=base.max_holiday_months,
        citations=(rules.max_restructure_months.source, rules.cap.source),
    )
