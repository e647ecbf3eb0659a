"""Book import: read CSV/Parquet/Excel files, map columns, validate every row, report findings.

Reading and validation produce typed rows plus a list of findings ``(file, row, column, value,
reason)``; nothing is written unless there are no findings at all (all-or-nothing).
"""
