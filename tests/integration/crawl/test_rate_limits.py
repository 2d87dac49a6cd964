"""A server that says it is asked too often (429 Too Many Requests with Retry-After) is
heeded: the retry waits as long as it asks, a wait longer than the run's longest is left
to a later run, and the host is asked more slowly for the rest of the run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from crawl_helpers import FAST_CRAWL, Crawler, pages_by_final_url, stored_pages, url_states

from newsdedup.core.urls import canonicalize_url
from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow

SOURCE = "kyiv-daily"
# Far above the tests' first backoff wait (crawl_helpers.FAST_SETTINGS: 0.05 s).
ASKED_WAIT = 2


@contextmanager
def rate_limited_crawler(tmp_path: Path, retry_after: str) -> Iterator[tuple[Crawler, str]]:
    """A crawler of the fixture web's SOURCE, one of whose articles first answers 429 with
    ``retry_after``; and that article's URL."""
    site = build_test_site()
    limited = sorted(truth.url for truth in site.expected_articles(30) if truth.outlet == SOURCE)[0]
    site.rate_limit(limited, retry_after)
    with NewsWeb(site) as web:
        yield Crawler(site, web, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                      crawl=dict(FAST_CRAWL), sources=[SOURCE]), limited


def test_a_retry_waits_as_long_as_the_server_asks_and_the_host_is_slowed(tmp_path: Path) -> None:
    with rate_limited_crawler(tmp_path, str(ASKED_WAIT)) as (crawler, limited):
        result = crawler.run()
        db = crawler.database()
    try:
        times = sorted(r.time for r in result.requests if r.url == limited)
        assert len(times) == 2
        assert times[1] - times[0] >= ASKED_WAIT
        assert pages_by_final_url(db)[canonicalize_url(limited)] == 1
    finally:
        db.dispose()
    assert result.stats[SOURCE]["fetch/slowed_down"] == 1


def test_a_page_asked_back_after_the_longest_wait_is_left_to_the_next_run(tmp_path: Path) -> None:
    with rate_limited_crawler(tmp_path, "3600") as (crawler, limited):
        first = crawler.run()
        db = crawler.database()
        try:
            assert [r.url for r in first.requests].count(limited) == 1
            state = url_states(db, SOURCE)[canonicalize_url(limited)]
            assert state.last_outcome == "http_error"
            assert first.stats[SOURCE]["fetch/retry_after_too_long"] == 1
            second = crawler.run()
            assert [r.url for r in second.requests].count(limited) == 1
            statuses = [page.status for page in stored_pages(db) if page.url == limited]
            assert statuses == [429, 200]
            assert url_states(db, SOURCE)[canonicalize_url(limited)].last_outcome == "ok"
        finally:
            db.dispose()
