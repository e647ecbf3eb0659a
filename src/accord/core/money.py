"""Money as integer minor units plus an ISO 4217 currency code.

Booked amounts never touch binary floating point. Arithmetic between two amounts requires the same
currency; multiplying by a rate is an explicit, named rounding point (:meth:`Money.scale`).
Splitting an amount into parts (:meth:`Money.allocate`) never creates or loses a minor unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, NewType

from accord.core.errors import CurrencyMismatch, InvalidAmount

Currency = NewType("Currency", str)

#: Minor-unit exponent per currency (ISO 4217). TWD is 2 in ISO 4217 even though cash uses 0.
EXPONENTS: Final[dict[str, int]] = {
    "CNY": 2,
    "TWD": 2,
    "HKD": 2,
    "USD": 2,
    "GBP": 2,
    "EUR": 2,
    "JPY": 0,
}
SYMBOLS: Final[dict[str, str]] = {
    "CNY": "¥",
    "TWD": "NT$",
    "HKD": "HK$",
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "JPY": "JP¥",
}
DEFAULT_CURRENCY: Final = "CNY"

# optional sign, optional currency symbol (either order), digits with optional thousands commas.
_AMOUNT_RE: Final = re.compile(
    r"^\s*([+-])?\s*(?:[A-Za-z]{0,3}[^\w\s.,+-]|[A-Z]{3}\s)?\s*([+-])?\s*"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*$",
    re.ASCII,
)


def exponent(currency: str) -> int:
    """Number of decimal places of ``currency``'s minor unit; raises for unknown codes."""
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise InvalidAmount(f"unknown currency code {currency!r}") from None


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount: ``minor`` units (fen, cents) of ``currency``.

    >>> Money.parse("1234.56")
    Money(minor=123456, currency='CNY')
    >>> Money.parse("1234.56").format()
    '¥1,234.56'
    """

    minor: int
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if type(self.minor) is not int:  # bool and float are refused on purpose
            raise InvalidAmount(f"minor units must be int, got {type(self.minor).__name__}")
        exponent(self.currency)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        """The zero amount of ``currency``."""
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str = DEFAULT_CURRENCY) -> Money:
        """Read a decimal string such as ``"1,234.56"``, ``"¥-12.3"`` or ``"-0.01"``.

        More decimal places than the currency has are refused rather than rounded, because a
        booked amount with sub-minor precision is a data error, not a rounding choice.
        """
        m = _AMOUNT_RE.match(text)
        if m is None:
            raise InvalidAmount(f"not an amount: {text!r}")
        if m.group(1) and m.group(2):
            raise InvalidAmount(f"not an amount: {text!r}")
        sign, digits = m.group(1) or m.group(2), m.group(3).replace(",", "")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            raise InvalidAmount(f"not an amount: {text!r}") from None
        if sign == "-":
            value = -value
        return cls.from_decimal(value, currency, exact=True)

    @classmethod
    def from_decimal(
        cls,
        value: Decimal | int,
        currency: str = DEFAULT_CURRENCY,
        *,
        rounding: str = ROUND_HALF_UP,
        exact: bool = False,
    ) -> Money:
        """Convert a major-unit ``Decimal`` to Money, rounding with ``rounding`` at the minor unit.

        With ``exact=True`` a value that needs rounding raises :class:`InvalidAmount`.
        """
        if isinstance(value, float):
            raise InvalidAmount("binary floats are not accepted for money")
        d = Decimal(value)
        if not d.is_finite():
            raise InvalidAmount(f"not a finite amount: {value!r}")
        scaled = d.scaleb(exponent(currency))
        rounded = scaled.to_integral_value(rounding=rounding)
        if exact and rounded != scaled:
            raise InvalidAmount(
                f"{value} has more than {exponent(currency)} decimal places for {currency}"
            )
        return cls(int(rounded), currency)

    # ---- conversion ---------------------------------------------------------------------
    def to_decimal(self) -> Decimal:
        """The amount in major units as an exact ``Decimal``."""
        return Decimal(self.minor).scaleb(-exponent(self.currency))

    def amount_str(self) -> str:
        """Plain decimal string with exactly the currency's places (``"-1234.50"``); for JSON."""
        e = exponent(self.currency)
        return f"{self.to_decimal():.{e}f}"

    def format(self, *, symbol: bool = True) -> str:
        """Human format with thousands separators: ``¥1,234.56``, ``-NT$10.00``."""
        e = exponent(self.currency)
        body = f"{abs(self.to_decimal()):,.{e}f}"
        sign = "-" if self.minor < 0 else ""
        prefix = SYMBOLS.get(self.currency, self.currency + " ") if symbol else ""
        return f"{sign}{prefix}{body}"

    def __str__(self) -> str:
        return self.format()

    # ---- arithmetic ---------------------------------------------------------------------
    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.minor + self._same(other).minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.minor - self._same(other).minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        # Only whole multiples: scaling by a rate is a rounding point and must be named (scale).
        if type(factor) is not int:
            raise TypeError("Money can only be multiplied by int; use Money.scale for rates")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.minor < self._same(other).minor

    def __le__(self, other: Money) -> bool:
        return self.minor <= self._same(other).minor

    def __gt__(self, other: Money) -> bool:
        return self.minor > self._same(other).minor

    def __ge__(self, other: Money) -> bool:
        return self.minor >= self._same(other).minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def is_zero(self) -> bool:
        """True when the amount is exactly zero."""
        return self.minor == 0

    def scale(self, factor: Decimal | int, *, rounding: str = ROUND_HALF_UP) -> Money:
        """``self × factor`` rounded to the minor unit with ``rounding`` (half-up by default)."""
        if isinstance(factor, float):
            raise TypeError("scale by Decimal, not float")
        product = Decimal(self.minor) * Decimal(factor)
        return Money(int(product.to_integral_value(rounding=rounding)), self.currency)

    def allocate(self, weights: Sequence[int | Decimal]) -> tuple[Money, ...]:
        """Split into parts proportional to ``weights`` without losing a minor unit.

        Largest-remainder method: each part gets the floor of its exact share, then the
        leftover units go one each to the largest remainders (ties to the earliest part).
        Works for negative amounts by symmetry. Weights must be non-negative, not all zero.
        """
        if not weights:
            raise ValueError("allocate needs at least one weight")
        ws = [Decimal(w) for w in weights]
        if any(w < 0 for w in ws):
            raise ValueError("weights must be non-negative")
        total = sum(ws, Decimal(0))
        if total == 0:
            raise ValueError("weights must not all be zero")
        sign = -1 if self.minor < 0 else 1
        amount = abs(self.minor)
        shares = [Decimal(amount) * w / total for w in ws]
        floors = [int(s) for s in shares]
        leftover = amount - sum(floors)
        order = sorted(range(len(ws)), key=lambda i: (-(shares[i] - floors[i]), i))
        for i in order[:leftover]:
            floors[i] += 1
        return tuple(Money(sign * f, self.currency) for f in floors)

    def split(self, parts: int) -> tuple[Money, ...]:
        """Split into ``parts`` amounts that differ by at most one minor unit (larger first)."""
        if parts <= 0:
            raise ValueError("parts must be positive")
        return self.allocate([1] * parts)


def total(amounts: Iterable[Money], currency: str = DEFAULT_CURRENCY) -> Money:
    """Sum of ``amounts`` (all in one currency); ``Money.zero(currency)`` for none."""
    result: Money | None = None
    for a in amounts:
        result = a if result is None else result + a
    return result if result is not None else Money.zero(currency)
