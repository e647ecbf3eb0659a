"""Agreements engine: executes signed agreements as deterministic state machines.

Owns agreement terms as data (:mod:`.terms`, JSON Schema ``schemas/agreement-terms.v1.json``),
acceptance signatures (:mod:`.signing`), the executor (:mod:`.executor`) with its preset term
adjustments (:mod:`.adjust`), replay from events (:mod:`.replay`), the reason catalogue
(:mod:`.reasons`) and a vectorised daily tick for portfolio scale (:mod:`.vector`).
Pure: may import ``accord.core`` and ``accord.ledger``; never the store, services or network.
"""

from accord.agreements.errors import (
    AgreementError,
    InvalidCommand,
    InvalidSignature,
    InvalidTransition,
    ReplayMismatch,
)
from accord.agreements.events import (
    Cancel,
    Command,
    DeclareHardship,
    Event,
    Evidence,
    Pay,
    Sign,
    Tick,
    VerifyHardship,
    VerifyIncomeChange,
)
from accord.agreements.executor import Step, apply, open_agreement, start, tick
from accord.agreements.replay import replay, verify_log
from accord.agreements.run import Contract, compile_terms
from accord.agreements.state import AgreementState, Status, state_hash
from accord.agreements.terms import AgreementTerms, parse_terms, terms_hash

__all__ = [
    "AgreementError",
    "AgreementState",
    "AgreementTerms",
    "Cancel",
    "Command",
    "Contract",
    "DeclareHardship",
    "Event",
    "Evidence",
    "InvalidCommand",
    "InvalidSignature",
    "InvalidTransition",
    "Pay",
    "ReplayMismatch",
    "Sign",
    "Status",
    "Step",
    "Tick",
    "VerifyHardship",
    "VerifyIncomeChange",
    "apply",
    "compile_terms",
    "open_agreement",
    "parse_terms",
    "replay",
    "start",
    "state_hash",
    "terms_hash",
    "tick",
    "verify_log",
]
