"""Fixtures of the crawl tests (helpers live in ``crawl_helpers``; the Postgres schema
fixtures are in tests/conftest.py)."""
