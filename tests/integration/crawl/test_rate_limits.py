"""A server that says it is asked too often (429 Too Many Requests with Retry-After) is
heeded: the retry waits as long as it asks, a wait longer than the run's longest is left
to a later run, and the host is asked more slowly for the rest of the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_helpers import FAST_CRAWL, Crawler, pages_by_final_url, stored_pages, url_states

from newsdedup.core.urls import canonicalize_url
from newsweb import NewsWeb, Site, build_test_site

pytestmark = pytest.mark.slow

SOURCE = "kyiv-daily"
# Far above the tests' first backoff wait (crawl_helpers.FAST_SETTINGS: 0.05 s).
ASKED_WAIT = 2


def _article_urls(site: Site) -> list[str]:
    return sorted(truth.url for truth in site.expected_articles(30) if truth.outlet == SOURCE)


def test_a_retry_waits_as_long_as_the_server_asks_and_the_host_is_slowed(tmp_path: Path) -> None:
    site = build_test_site()
    limited = _article_urls(site)[0]
    site.rate_limit(limited, str(ASKED_WAIT))
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                          crawl=dict(FAST_CRAWL), sources=[SOURCE])
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
    site = build_test_site()
    limited = _article_urls(site)[0]
    site.rate_limit(limited, "3600")
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                          crawl=dict(FAST_CRAWL), sources=[SOURCE])
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
