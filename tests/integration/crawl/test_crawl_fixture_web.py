"""A full crawl of the fixture web, then a second one, on SQLite and on Postgres.

Asserted from the database (url_state, pages) and from the web's request log.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from crawl_helpers import FAST_CRAWL, Crawler, CrawlResult, pages_by_final_url, url_states

from newsdedup.core.urls import canonicalize_url
from newsdedup.storage.db import Database
from newsweb import NewsWeb, Site, build_test_site

pytestmark = pytest.mark.slow

CRAWL_DELAY = 0.5
BACKOFF = 0.3
MAX_AGE_DAYS = 30


@dataclass
class Scenario:
    site: Site
    db: Database
    first: CrawlResult
    second: CrawlResult


@pytest.fixture(scope="module")
def scenario(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    workdir = tmp_path_factory.mktemp("crawl")
    url = module_database_url
    site = build_test_site(crawl_delay=CRAWL_DELAY)
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, url, Path(workdir), crawl=dict(FAST_CRAWL))
        first = crawler.run("--set", f"NEWSDEDUP_RETRY_BACKOFF={BACKOFF}")
        second = crawler.run()
        db = crawler.database()
        try:
            yield Scenario(site, db, first, second)
        finally:
            db.dispose()


def expected_urls(site: Site) -> set[str]:
    return {truth.canonical_url for truth in site.expected_articles(MAX_AGE_DAYS)}


def test_every_expected_article_is_stored_once(scenario: Scenario) -> None:
    stored = pages_by_final_url(scenario.db)
    expected = expected_urls(scenario.site)
    assert {url: stored[url] for url in expected} == dict.fromkeys(expected, 1)
    # Nothing else is stored twice either (bad pages and soft 404s included).
    assert [url for url, n in stored.items() if n > 1] == []


def test_no_page_is_requested_twice_except_retries(scenario: Scenario) -> None:
    retried = {url for url, page in scenario.site.bad_pages.items()
               if page.kind in ("flaky", "stall", "too_large", "too_large_chunked", "timeout")
               or page.expected == "timeout" or page.status == 500}
    twice = {url: n for url, n in scenario.first.gets().items()
             if n > 1 and not url.endswith("/robots.txt") and url not in retried}
    assert twice == {}


def test_robots_disallowed_pages_are_recorded_never_requested(scenario: Scenario) -> None:
    disallowed = scenario.site.disallowed_urls
    assert disallowed
    requested = scenario.first.gets() + scenario.second.gets()
    states = url_states(scenario.db)
    for url in disallowed:
        assert requested[url] == 0, url
        assert states[canonicalize_url(url)].last_outcome == "robots_disallowed"


def test_crawl_delay_is_honoured(scenario: Scenario) -> None:
    dnipro = scenario.site.outlets["dnipro-pravda"]
    # The delay is learned from robots.txt itself, and Scrapy counts it from when that
    # request was sent: the gaps that must hold are those between the requests after it.
    times = sorted(r.time for r in scenario.first.requests
                   if r.host == dnipro.host and r.path != "/robots.txt")
    assert len(times) >= 5
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # The server stamps a request when its handler starts, which a loaded machine can
    # delay: one late stamp lengthens one gap and shortens the next by as much, so the
    # span of n requests is what jitter cannot shrink. Without the delay every gap would
    # be a few milliseconds.
    assert times[-1] - times[0] >= (len(times) - 1) * CRAWL_DELAY - 0.1, gaps
    assert sorted(gaps)[len(gaps) // 2] >= CRAWL_DELAY - 0.05, gaps
    assert min(gaps) >= CRAWL_DELAY - 0.25, gaps
    stats = scenario.first.stats["dnipro-pravda"]
    assert stats[f"robots/crawl_delay_ms/{dnipro.host}"] == CRAWL_DELAY * 1000


def test_old_feed_and_sitemap_entries_are_not_fetched(scenario: Scenario) -> None:
    site = scenario.site
    listed = {truth.canonical_url for truth in site.articles if truth.channels}
    too_old = listed - expected_urls(site) - {canonicalize_url(u) for u in site.disallowed_urls}
    assert too_old
    requested = {canonicalize_url(url) for url in scenario.first.gets()}
    assert too_old & requested == set()
    assert sum(stats["discover/too_old"] for stats in scenario.first.stats.values()) >= len(too_old)


def test_bad_pages_are_recorded_with_their_outcome(scenario: Scenario) -> None:
    states = url_states(scenario.db)
    pages = pages_by_final_url(scenario.db)
    requested = scenario.first.gets()
    outcome_of = {"http_error": "http_error", "soft_404": "ok", "article": "ok",
                  "redirect_loop": "redirect_loop", "robots_disallowed": "robots_disallowed",
                  "too_large": "too_large", "timeout": "timeout", "not_html": "not_html",
                  "offsite": "offsite"}
    for url, bad in scenario.site.bad_pages.items():
        state = states[canonicalize_url(url)]
        if bad.expected == "offsite" and state.last_outcome != "offsite":
            # Another outlet's article: its own source fetched it, the linking one did not.
            owner = url_states(scenario.db, bad.outlet)
            assert canonicalize_url(url) not in owner, url
            assert state.last_outcome == "ok" and requested[url] == 1, url
            continue
        assert state.last_outcome == outcome_of[bad.expected], (url, bad.note)
        if bad.expected in ("robots_disallowed", "offsite"):
            assert requested[url] == 0, url
        if bad.expected in ("article", "soft_404", "http_error"):
            final = canonicalize_url(bad.article_url or url)
            assert pages[final] == 1, (url, bad.note)
        if bad.expected in ("too_large", "not_html", "timeout", "redirect_loop"):
            assert pages[canonicalize_url(url)] == 0, url
        if bad.expected == "http_error":
            assert state.last_status == bad.status, url


def test_url_variants_collapse_to_one_identity(scenario: Scenario) -> None:
    states = url_states(scenario.db)
    pages = pages_by_final_url(scenario.db)
    # An article is fetched under the spelling it was discovered by (a site may need
    # its parameters), once per identity.
    requested: Counter[str] = Counter()
    for url, count in scenario.first.gets().items():
        requested[canonicalize_url(url)] += count
    for variant in scenario.site.url_variants:
        identity = canonicalize_url(variant.url)
        if identity != variant.canonical_url:
            # A different host that redirects: recorded as such, not fetched twice.
            assert canonicalize_url(states[identity].final_url or "") == variant.canonical_url
            assert states[identity].last_outcome in ("redirected", "ok")
        assert pages[variant.canonical_url] == 1, variant
        assert requested[variant.canonical_url] == 1, variant


def test_pagination_is_followed(scenario: Scenario) -> None:
    listings = {url: row for url, row in url_states(scenario.db).items() if row.kind == "listing"}
    for outlet in scenario.site.outlets.values():
        for start in outlet.start_urls:
            pages = [url for url, row in listings.items() if row.discovered_from == canonicalize_url(start)]
            assert pages, f"no page after {start} was followed"
    stats = scenario.first.stats
    assert sum(s["discover/pagination"] for s in stats.values()) == len(
        [row for row in listings.values() if row.discovered_from])


def test_second_run_is_conditional_and_fetches_no_article(scenario: Scenario) -> None:
    site = scenario.site
    second = scenario.second
    articles = {truth.url for truth in site.articles} | {truth.canonical_url for truth in site.articles}
    transient = {url for url, page in site.bad_pages.items() if page.expected == "timeout"}
    refetched = {url for url in second.gets() if url in articles and url not in transient}
    assert refetched == set()
    # Feeds, sitemaps and the sitemaps an index lists.
    kinds = {url: row.kind for url, row in url_states(scenario.db).items()}
    discovery = [r for r in second.requests if kinds.get(r.url) in ("feed", "sitemap")]
    assert discovery
    assert all(r.headers.get("if-none-match") or r.headers.get("if-modified-since")
               for r in discovery)
    assert {r.status for r in discovery} == {304}
    total = sum((s for s in second.stats.values()), start=type(second.stats["kyiv-daily"])())
    assert total["pages/stored"] == 0
    assert total["fetch/not_modified"] == len(discovery)


def test_retries_back_off(scenario: Scenario) -> None:
    flaky = [url for url, page in scenario.site.bad_pages.items()
             if page.expected == "article" and page.status == 500]
    assert flaky
    for url in flaky:
        times = sorted(r.time for r in scenario.first.requests if r.url == url)
        assert len(times) == 2, url
        assert times[1] - times[0] >= BACKOFF, url
