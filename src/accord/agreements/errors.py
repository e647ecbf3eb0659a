"""Errors of the agreement engine: one hierarchy rooted at :class:`AgreementError`."""

from __future__ import annotations


class AgreementError(Exception):
    """Base class of every agreement-engine error."""


class InvalidTransition(AgreementError):
    """A command or event that the state machine does not allow in the current status."""


class InvalidSignature(AgreementError):
    """A signature that does not verify against the party's key and the agreement hash."""


class InvalidCommand(AgreementError):
    """A command or event record that is malformed (unknown type, bad payload)."""


class ReplayMismatch(AgreementError):
    """Replay produced a different event than the one recorded at ``index``."""

    def __init__(self, index: int, expected: object, recorded: object) -> None:
        super().__init__(f"event {index}: replay gives {expected!r}, log has {recorded!r}")
        self.index = index
        self.expected = expected
        self.recorded = recorded
