"""Accord: fair, verifiable negotiation of overdue loans between creditors and debtors.

The package is layered (see DESIGN.md); imports point downward only:
interfaces (cli, api, web, notify) → services → store → engines (risk, negotiation,
agreements, compliance, analytics) → ledger → core.
"""

__version__ = "0.1.0"
