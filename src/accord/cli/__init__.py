"""Command-line interface (Typer + Rich): ``accord ...``.

Thin: each command parses its input, calls one service function, and renders the result as a Rich
table or, with ``--json``, as JSON (amounts as decimal strings with a currency field). Failures
print one line to stderr and exit non-zero. Must not import the store directly.
"""
