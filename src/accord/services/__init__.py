"""Use cases: one function per action (import_book, tick, portfolio, ...), keyword-only.

Owns: the transaction boundary. Each function opens one unit of work, calls the engines and the
store, appends the ledger events for the state change in the same transaction, and returns plain
records for the interfaces to render. May import store, engines, ledger and core; never
interfaces.
"""
