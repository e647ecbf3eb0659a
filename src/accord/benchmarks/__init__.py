"""Benchmark runners (interface layer): each module's ``run(...)`` returns one JSON-ready dict.

Output follows CONVENTIONS.md §13 (benchmark, n, seconds, per_second, peak_rss_mb, and baseline
fields when a baseline runs in the same process). Runners may import any layer below them; no
other package may import this one.
"""
