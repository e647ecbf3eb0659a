"""accord.store (placeholder docstring, replaced when the package is built)."""
