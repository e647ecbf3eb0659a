"""accord.api (placeholder docstring, replaced when the package is built)."""
