"""Errors raised by the risk engine (one hierarchy, rooted at :class:`RiskError`)."""

from __future__ import annotations


class RiskError(Exception):
    """Base class of every error the risk engine raises on purpose."""


class SchemaError(RiskError):
    """Input data lacks a required column, has a wrong type, or has an unusable target."""


class ArtifactError(RiskError):
    """A model artifact is missing, corrupted, of an unknown schema version, or untrusted."""


class ProtectedFeatureError(RiskError):
    """A protected attribute (sex, age, marital status, ...) was about to become a model feature."""
