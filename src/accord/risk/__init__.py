"""accord.risk (placeholder docstring, replaced when the package is built)."""
