"""Exact loan arithmetic: money, rates, day counts, calendars, schedules, allocation, delinquency.

Owns: every booked amount and its rounding. Pure and deterministic: no I/O beyond reading the
bundled, versioned jurisdiction packs. Must not import anything else from ``accord``.
"""
