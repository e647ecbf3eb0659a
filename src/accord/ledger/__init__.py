"""accord.ledger (placeholder docstring, replaced when the package is built)."""
