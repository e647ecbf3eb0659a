"""accord.negotiation (placeholder docstring, replaced when the package is built)."""
