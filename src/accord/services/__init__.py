"""accord.services (placeholder docstring, replaced when the package is built)."""
