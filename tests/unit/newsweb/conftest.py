"""Fixtures of the news web's own tests."""

from __future__ import annotations

import pytest
from newsweb_client import Fetch, Fetched, fetch_through

from newsweb import NewsWeb


@pytest.fixture
def fetch(fresh_news_web: NewsWeb) -> Fetch:
    """``fetch(url, headers=..., method=...)`` against the session's news web."""

    def get(url: str, **kwargs: object) -> Fetched:
        return fetch_through(fresh_news_web, url, **kwargs)  # type: ignore[arg-type]

    return get
