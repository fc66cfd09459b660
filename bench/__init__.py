"""Benchmarks: ``python -m bench [name ...]`` runs every ``bench_*.py`` module's ``run``.

Each prints a table of timings and the ratio to a baseline measured in the same run."""
