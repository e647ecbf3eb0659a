"""Write the agreement-terms JSON Schema: ``python -m accord.agreements.schema_export [PATH]``.

Default path ``schemas/agreement-terms.v1.json``; a test checks the committed file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from accord.agreements.terms import write_schema


def main(argv: list[str] | None = None) -> None:
    """Write the schema to the path given (or the default)."""
    args = sys.argv[1:] if argv is None else argv
    write_schema(Path(args[0] if args else "schemas/agreement-terms.v1.json"))


if __name__ == "__main__":
    main()
