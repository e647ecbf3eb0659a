"""accord.notify (placeholder docstring, replaced when the package is built)."""
