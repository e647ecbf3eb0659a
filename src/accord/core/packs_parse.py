"""Typed reading of decoded JSON with error messages that name the field's path.

Used by :mod:`accord.core.packs`; every accessor raises :class:`PackError` as
``"<path>.<field>: <reason>"`` so a broken pack points at the exact value to fix.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from accord.core.errors import InvalidAmount, PackError
from accord.core.money import Money

E = TypeVar("E", bound=StrEnum)


class Reader:
    """A JSON object plus its dotted path, with typed accessors."""

    __slots__ = ("obj", "where")

    def __init__(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            raise PackError(f"{where}: expected an object")
        self.obj: dict[str, Any] = obj
        self.where = where

    def _get(self, key: str) -> Any:
        if key not in self.obj:
            raise PackError(f"{self.where}.{key}: missing")
        return self.obj[key]

    def fields(self) -> list[str]:
        """Field names in file order."""
        return list(self.obj)

    def sub(self, key: str) -> Reader:
        """The nested object ``key``."""
        return Reader(self._get(key), f"{self.where}.{key}")

    def items(self, key: str, optional: bool = False) -> Iterator[Reader]:
        """Readers over the list of objects ``key`` (empty when optional and absent)."""
        if optional and key not in self.obj:
            return iter(())
        value = self._get(key)
        if not isinstance(value, list):
            raise PackError(f"{self.where}.{key}: expected a list")
        return (Reader(v, f"{self.where}.{key}[{i}]") for i, v in enumerate(value))

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise PackError(f"{self.where}.{key}: expected a non-empty string")
        return value

    def source(self) -> str:
        """The mandatory ``source`` citation of this limit."""
        return self.text("source")

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        """A string that must be one of ``allowed``."""
        value = self.text(key)
        if value not in allowed:
            raise PackError(f"{self.where}.{key}: {value!r} not one of {', '.join(allowed)}")
        return value

    def choice_int(self, key: str, allowed: tuple[int, ...]) -> int:
        """An integer that must be one of ``allowed``."""
        value = self._get(key)
        if type(value) is not int or value not in allowed:
            raise PackError(f"{self.where}.{key}: expected one of {allowed}")
        return value

    def enum(self, key: str, enum: type[E]) -> E:
        """A string read as a member (by value) of ``enum``."""
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise PackError(f"{self.where}.{key}: {value!r} not one of {allowed}") from None

    def enum_list(self, key: str, enum: type[E]) -> list[E]:
        """A list of strings read as members of ``enum``."""
        value = self._get(key)
        if not isinstance(value, list):
            raise PackError(f"{self.where}.{key}: expected a list")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(enum(v))
            except ValueError:
                raise PackError(f"{self.where}.{key}[{i}]: unknown value {v!r}") from None
        return out

    def int_list(self, key: str) -> list[int]:
        """A list of integers."""
        value = self._get(key)
        if not isinstance(value, list) or any(type(v) is not int for v in value):
            raise PackError(f"{self.where}.{key}: expected a list of integers")
        return list(value)

    def text_list(self, key: str) -> list[str]:
        """A list of non-empty strings (possibly empty)."""
        value = self._get(key)
        if not isinstance(value, list) or any(not isinstance(v, str) or not v for v in value):
            raise PackError(f"{self.where}.{key}: expected a list of non-empty strings")
        return list(value)

    def opt_int(self, key: str) -> int | None:
        """A non-negative integer or null."""
        value = self._get(key)
        if value is None:
            return None
        if type(value) is not int or value < 0:
            raise PackError(f"{self.where}.{key}: expected a non-negative integer or null")
        return value

    def rate(self, key: str) -> Decimal:
        """A non-negative decimal written as a JSON string (never a JSON number)."""
        value = self._get(key)
        if not isinstance(value, str):
            raise PackError(f"{self.where}.{key}: rates are decimal strings, got {value!r}")
        try:
            d = Decimal(value)
        except InvalidOperation:
            raise PackError(f"{self.where}.{key}: not a decimal: {value!r}") from None
        if not d.is_finite() or d < 0:
            raise PackError(f"{self.where}.{key}: must be a finite, non-negative decimal")
        return d

    def money(self, key: str, currency: str) -> Money:
        """A non-negative amount written as a decimal string."""
        value = self._get(key)
        if not isinstance(value, str):
            raise PackError(f"{self.where}.{key}: amounts are decimal strings, got {value!r}")
        try:
            m = Money.parse(value, currency)
        except InvalidAmount as e:
            raise PackError(f"{self.where}.{key}: {e}") from None
        if m.minor < 0:
            raise PackError(f"{self.where}.{key}: must not be negative")
        return m

    def opt_money(self, key: str, currency: str) -> Money | None:
        """Like :meth:`money`, but absent or null gives None."""
        if self.obj.get(key) is None:
            return None
        return self.money(key, currency)

    def date(self, key: str) -> date:
        """An ISO date ``YYYY-MM-DD``."""
        value = self.text(key)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PackError(f"{self.where}.{key}: not a YYYY-MM-DD date: {value!r}") from None

    def time(self, key: str) -> time:
        """A local time ``HH:MM``."""
        value = self.text(key)
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise PackError(f"{self.where}.{key}: not an HH:MM time: {value!r}") from None

    def timezone(self, key: str) -> str:
        """An IANA time-zone name known to :mod:`zoneinfo`."""
        value = self.text(key)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise PackError(f"{self.where}.{key}: unknown time zone {value!r}") from None
        return value
