"""Exceptions raised by :mod:`accord.negotiation` for broken preconditions."""

from __future__ import annotations


class NegotiationError(Exception):
    """Base class of every error raised by :mod:`accord.negotiation`."""


class InvalidStatement(NegotiationError):
    """A financial statement is inconsistent (mixed currencies, negative amounts, bad sizes)."""


class InvalidCase(NegotiationError):
    """A case cannot be negotiated (no debts, mixed currencies, out-of-range rates)."""


class InvalidPolicy(NegotiationError):
    """A creditor policy or a limits record holds out-of-range values."""


class ProtocolError(NegotiationError):
    """A negotiation protocol was driven out of turn or after it ended."""
