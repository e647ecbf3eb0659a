"""accord.compliance (placeholder docstring, replaced when the package is built)."""
