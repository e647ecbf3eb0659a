"""Exceptions raised by :mod:`accord.core` for broken preconditions."""

from __future__ import annotations


class CoreError(Exception):
    """Base class of every error raised by :mod:`accord.core`."""


class CurrencyMismatch(CoreError):
    """Two amounts in different currencies were combined."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine {left} with {right}")
        self.left = left
        self.right = right


class InvalidAmount(CoreError):
    """A text or number could not be read as an amount of money."""


class InvalidSchedule(CoreError):
    """Schedule parameters are out of range or inconsistent."""


class PackError(CoreError):
    """A jurisdiction pack is missing, malformed or lacks a required limit."""


class InvalidCashflows(CoreError):
    """Cash flows have no rate of return: too few, mixed currencies or no sign change."""
