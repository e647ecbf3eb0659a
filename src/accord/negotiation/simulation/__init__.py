"""Synthetic-population simulation of negotiation strategies (``accord simulate``).

The debtors' behaviour (accepting offers, income shocks, re-defaulting, what collections
recover) is modelled here, independently of the engine's valuation model: the engine only sees
each debtor's declared statement and a noisy PD, exactly as it would in production.
"""
