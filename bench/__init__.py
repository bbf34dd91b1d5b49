"""Benchmark harness: `python -m bench` seeds PostgreSQL, runs gunicorn and drives load."""
