"""Jurisdiction packs: a market's legal limits as versioned, cited data (``packs/<code>.json``).

:func:`load_pack` reads and validates a bundled pack into the frozen :class:`Pack`; every problem
raises :class:`~accord.core.errors.PackError` naming the JSON path of the offending field. Code
reads limits from a pack and never hard-codes them. Every limit carries a ``source`` citation;
citations we could not check are prefixed ``verify:``. Rates are JSON strings read as ``Decimal``.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from accord.core.allocation import AllocationMode, Component, OverpaymentPolicy
from accord.core.errors import PackError
from accord.core.money import Money, exponent
from accord.core.packs_parse import Reader

#: Packs bundled with Accord.
BUNDLED: tuple[str, ...] = ("cn", "us", "uk", "tw")


@dataclass(frozen=True, slots=True)
class RateTable:
    """Effective-dated rates: each rate holds from its date until the next entry's date."""

    name: str
    entries: tuple[tuple[date, Decimal], ...]
    source: str

    def rate_on(self, on: date) -> Decimal:
        """Rate in force on ``on``; raises :class:`PackError` before the first entry."""
        found: Decimal | None = None
        for start, rate in self.entries:
            if start <= on:
                found = rate
            else:
                break
        if found is None:
            raise PackError(f"{self.name}: no rate before {self.entries[0][0]} (asked for {on})")
        return found


@dataclass(frozen=True, slots=True)
class CapRule:
    """Annual cost cap. ``kind``: ``none`` | ``fixed`` | ``table`` | ``reference-multiple``."""

    kind: str
    rate: Decimal | None
    table: RateTable | None
    reference: str | None
    multiple: Decimal | None
    source: str


@dataclass(frozen=True, slots=True)
class PenaltyRule:
    """Penalty interest on overdue principal.

    ``kind``: ``none`` | ``annual`` | ``contract-multiple``.

    ``annual``: ``value`` is the annual rate; ``contract-multiple``: the annual rate is
    ``value × contract rate``. Daily rate = annual / ``day_basis``.
    """

    kind: str
    value: Decimal
    day_basis: int
    source: str

    def daily_rate(self, contract_rate: Decimal) -> Decimal:
        """Daily penalty rate for an account whose contract rate is ``contract_rate``."""
        if self.kind == "none":
            return Decimal(0)
        annual = self.value * contract_rate if self.kind == "contract-multiple" else self.value
        return annual / self.day_basis


@dataclass(frozen=True, slots=True)
class LateFeeRule:
    """Late fee per missed installment; ``kind``: ``none`` | ``fixed`` | ``percent``.

    ``percent`` charges ``rate ×`` the unpaid amount, then clamps to [``minimum``, ``maximum``].
    """

    kind: str
    amount: Money | None
    rate: Decimal | None
    minimum: Money | None
    maximum: Money | None
    source: str

    def fee(self, unpaid: Money) -> Money:
        """Fee for an installment with ``unpaid`` left after grace (zero when nothing unpaid)."""
        if self.kind == "none" or unpaid.minor <= 0:
            return Money.zero(unpaid.currency)
        if self.kind == "fixed":
            assert self.amount is not None
            return self.amount
        assert self.rate is not None
        fee = unpaid.scale(self.rate)
        if self.minimum is not None and fee < self.minimum:
            fee = self.minimum
        if self.maximum is not None and fee > self.maximum:
            fee = self.maximum
        return fee


@dataclass(frozen=True, slots=True)
class IntLimit:
    """A whole-number limit (None = no limit) with its citation."""

    value: int | None
    source: str


@dataclass(frozen=True, slots=True)
class NamedLimit:
    """A limit Accord records but does not enforce in arithmetic (shown in reports)."""

    name: str
    value: str
    source: str


@dataclass(frozen=True, slots=True)
class ProductRules:
    """Limits for one product (``loan``, ``card``, ...) inside a pack."""

    code: str
    description: str
    cap: CapRule
    penalty: PenaltyRule
    late_fee: LateFeeRule
    max_restructure_months: IntLimit
    extras: tuple[NamedLimit, ...]


@dataclass(frozen=True, slots=True)
class ContactRules:
    """Lawful-contact limits read by :mod:`accord.compliance`.

    Contact is allowed from ``start`` (inclusive) to ``end`` (exclusive) in the debtor's local
    time. ``max_attempts_per_day`` counts attempts on one local calendar day and
    ``max_attempts_per_week`` attempts within ``window_days`` consecutive local days, both per
    debtor across the creditor and its agents, on the ``counted_channels``.
    ``quiet_after_conversation_days`` blocks contact for that many days (the conversation day
    being the first) after a telephone conversation. Only ``permitted_recipients`` may be
    contacted; ``opt_out_channels`` must carry an opt-out notice; ``blocking_flags`` (dispute,
    hardship, representation) stop contact while recorded; records are kept
    ``record_retention_days``. ``forbearance`` lists duties shown to staff, not computed.
    """

    start: time
    end: time
    hours_source: str
    max_attempts_per_day: IntLimit
    max_attempts_per_week: IntLimit
    window_days: int = 7
    counted_channels: tuple[str, ...] = ("call", "sms", "email", "webhook", "in_app")
    counted_source: str = "policy default: every outbound attempt counts"
    quiet_after_conversation_days: IntLimit = IntLimit(None, "no rule")
    permitted_recipients: tuple[str, ...] = ("debtor",)
    recipients_source: str = "policy default: contact only the debtor"
    opt_out_channels: tuple[str, ...] = ()
    opt_out_source: str = "no rule"
    blocking_flags: tuple[str, ...] = ("dispute", "hardship", "representation")
    flags_source: str = "policy default"
    record_retention_days: IntLimit = IntLimit(None, "no rule")
    forbearance: tuple[NamedLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class AllocationRule:
    """Waterfall used for payments in this jurisdiction."""

    mode: AllocationMode
    order: tuple[Component, ...]
    overpayment: OverpaymentPolicy
    source: str


@dataclass(frozen=True, slots=True)
class Pack:
    """A validated jurisdiction pack."""

    code: str
    version: str
    valid_from: date
    name_en: str
    name_zh: str
    currency: str
    timezone: str
    default_product: str
    allocation: AllocationRule
    grace_days: IntLimit
    bucket_upper_dpd: tuple[int, ...]
    buckets_source: str
    references: tuple[RateTable, ...]
    products: tuple[ProductRules, ...]
    contact: ContactRules

    def product(self, code: str | None = None) -> ProductRules:
        """Rules of product ``code`` (the pack's default product when None)."""
        want = code or self.default_product
        for p in self.products:
            if p.code == want:
                return p
        raise PackError(f"{self.code}: no product {want!r}")

    def reference(self, name: str) -> RateTable:
        """Reference rate table ``name`` (e.g. ``lpr_1y``)."""
        for t in self.references:
            if t.name == name:
                return t
        raise PackError(f"{self.code}: no reference rate table {name!r}")

    def cap_rate(self, contract_date: date, product: str | None = None) -> Decimal | None:
        """Maximum annual cost rate for a contract made on ``contract_date`` (None = no cap).

        CN private lending: 4 × the one-year LPR in force on the contract date.
        """
        cap = self.product(product).cap
        if cap.kind == "none":
            return None
        if cap.kind == "fixed":
            return cap.rate
        if cap.kind == "table":
            assert cap.table is not None
            return cap.table.rate_on(contract_date)
        assert cap.reference is not None
        assert cap.multiple is not None
        return cap.multiple * self.reference(cap.reference).rate_on(contract_date)


def load_pack(code: str) -> Pack:
    """Load and validate the bundled pack ``code`` (``cn``, ``us``, ``uk``, ``tw``)."""
    return _load_cached(code.lower())


@lru_cache(maxsize=16)
def _load_cached(code: str) -> Pack:
    if code not in BUNDLED:
        raise PackError(f"unknown pack {code!r}; bundled: {', '.join(BUNDLED)}")
    text = resources.files("accord.core").joinpath("packs", f"{code}.json").read_text("utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise PackError(f"{code}.json: not valid JSON: {e}") from None
    pack = parse_pack(raw, where=code)
    if pack.code != code:
        raise PackError(f"{code}.code: file declares {pack.code!r}")
    return pack


def parse_pack(raw: Any, *, where: str = "pack") -> Pack:
    """Validate a decoded pack document; raises :class:`PackError` naming the bad field."""
    r = Reader(raw, where)
    currency = r.text("currency")
    try:
        exponent(currency)
    except Exception:
        raise PackError(f"{where}.currency: unknown currency {currency!r}") from None
    rr = r.sub("reference_rates")
    refs = tuple(_table(rr.sub(n), n) for n in rr.fields())
    ref_names = {t.name for t in refs}
    products = tuple(
        _product(r.sub("products").sub(name), name, currency, ref_names)
        for name in r.sub("products").fields()
    )
    alloc = r.sub("allocation")
    order = tuple(alloc.enum_list("order", Component))
    if sorted(order) != sorted(Component) or len(order) != len(Component):
        raise PackError(f"{where}.allocation.order: must list each component once")
    buckets = r.sub("buckets")
    upper = tuple(buckets.int_list("upper_dpd"))
    if len(upper) != 5 or upper[0] != 0 or any(b <= a for a, b in itertools.pairwise(upper)):
        raise PackError(f"{where}.buckets.upper_dpd: need 5 increasing bounds starting at 0")
    contact = r.sub("contact")
    pack = Pack(
        code=r.text("code"),
        version=r.text("version"),
        valid_from=r.date("valid_from"),
        name_en=r.text("name_en"),
        name_zh=r.text("name_zh"),
        currency=currency,
        timezone=r.timezone("timezone"),
        default_product=r.text("default_product"),
        allocation=AllocationRule(
            mode=alloc.enum("mode", AllocationMode),
            order=order,
            overpayment=alloc.enum("overpayment", OverpaymentPolicy),
            source=alloc.source(),
        ),
        grace_days=_int_limit(r.sub("grace_days")),
        bucket_upper_dpd=upper,
        buckets_source=buckets.source(),
        references=refs,
        products=products,
        contact=_contact(contact),
    )
    pack.product()  # the default product must exist
    return pack


def _contact(c: Reader) -> ContactRules:
    hours = c.sub("hours")
    if hours.time("start") >= hours.time("end"):
        raise PackError(f"{hours.where}: start must be before end")
    extra: dict[str, Any] = {}
    if "window_days" in c.obj:
        window = c.opt_int("window_days")
        if not window:
            raise PackError(f"{c.where}.window_days: expected a positive integer")
        extra["window_days"] = window
    lists = {
        "counted_channels": "counted_source",
        "permitted_recipients": "recipients_source",
        "opt_out_channels": "opt_out_source",
        "blocking_flags": "flags_source",
    }
    for key, source_field in lists.items():
        if key in c.obj:
            sub = c.sub(key)
            extra[key] = tuple(sub.text_list("values"))
            extra[source_field] = sub.source()
    for key in ("quiet_after_conversation_days", "record_retention_days"):
        if key in c.obj:
            extra[key] = _int_limit(c.sub(key))
    extra["forbearance"] = tuple(
        NamedLimit(e.text("name"), e.text("value"), e.source())
        for e in c.items("forbearance", True)
    )
    return ContactRules(
        start=hours.time("start"),
        end=hours.time("end"),
        hours_source=hours.source(),
        max_attempts_per_day=_int_limit(c.sub("max_attempts_per_day")),
        max_attempts_per_week=_int_limit(c.sub("max_attempts_per_week")),
        **extra,
    )


def _int_limit(r: Reader) -> IntLimit:
    return IntLimit(r.opt_int("value"), r.source())


def _table(r: Reader, name: str) -> RateTable:
    entries = tuple((e.date("from"), e.rate("rate")) for e in r.items("table"))
    if not entries:
        raise PackError(f"{r.where}.table: empty")
    if any(b[0] <= a[0] for a, b in itertools.pairwise(entries)):
        raise PackError(f"{r.where}.table: dates must increase")
    return RateTable(name, entries, r.source())


def _product(r: Reader, code: str, currency: str, refs: set[str]) -> ProductRules:
    cap = r.sub("cap")
    kind = cap.choice("kind", ("none", "fixed", "table", "reference-multiple"))
    reference = cap.text("reference") if kind == "reference-multiple" else None
    if reference is not None and reference not in refs:
        raise PackError(f"{cap.where}.reference: no reference table {reference!r}")
    cap_rule = CapRule(
        kind=kind,
        rate=cap.rate("rate") if kind == "fixed" else None,
        table=_table(cap, f"{code}.cap") if kind == "table" else None,
        reference=reference,
        multiple=cap.rate("multiple") if kind == "reference-multiple" else None,
        source=cap.source(),
    )
    pen = r.sub("penalty")
    pkind = pen.choice("kind", ("none", "annual", "contract-multiple"))
    penalty = PenaltyRule(
        kind=pkind,
        value=pen.rate("value") if pkind != "none" else Decimal(0),
        day_basis=pen.choice_int("day_basis", (360, 365)),
        source=pen.source(),
    )
    lf = r.sub("late_fee")
    lkind = lf.choice("kind", ("none", "fixed", "percent"))
    late_fee = LateFeeRule(
        kind=lkind,
        amount=lf.money("amount", currency) if lkind == "fixed" else None,
        rate=lf.rate("rate") if lkind == "percent" else None,
        minimum=lf.opt_money("minimum", currency) if lkind == "percent" else None,
        maximum=lf.opt_money("maximum", currency) if lkind == "percent" else None,
        source=lf.source(),
    )
    extras = tuple(
        NamedLimit(e.text("name"), e.text("value"), e.source()) for e in r.items("extras", True)
    )
    return ProductRules(
        code=code,
        description=r.text("description"),
        cap=cap_rule,
        penalty=penalty,
        late_fee=late_fee,
        max_restructure_months=_int_limit(r.sub("max_restructure_months")),
        extras=extras,
    )
