"""A crawl killed (SIGKILL) or stopped (SIGTERM) mid-run, then resumed; and a refetch."""

from __future__ import annotations

import json
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import crawl_stall
import pytest
from crawl_helpers import (
    FAST_CRAWL,
    Crawler,
    CrawlResult,
    pages_by_final_url,
    stored_pages,
    url_states,
    wait_for,
)
from sqlalchemy import select

from newsdedup.core.urls import canonicalize_url
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsdedup.storage.models import CrawlRunRow
from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow

SOURCE = "kyiv-daily"
# Slow enough to stop the crawl half-way on purpose, fast enough for a test.
SLOW = {**FAST_CRAWL, "download_delay": 0.25, "per_host_concurrency": 1}
# Every record is written at once, so the database shows progress as it happens.
EAGER = ("--set", "NEWSDEDUP_BATCH_SIZE=1")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def crawler(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Crawler]:
    url = (f"sqlite:///{tmp_path / 'newsdedup.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    database = Database(url)
    upgrade(database)  # so the test can watch the tables from the start
    database.dispose()
    site = build_test_site()
    with NewsWeb(site) as web:
        yield Crawler(site, web, url, tmp_path, crawl=dict(SLOW), sources=[SOURCE])


def _expected(crawler: Crawler) -> set[str]:
    return {t.canonical_url for t in crawler.site.expected_articles(sources=[SOURCE])}


def _stored(crawler: Crawler) -> Counter[str]:
    """Canonical final URL -> pages stored in the crawler's database."""
    with crawler.database() as db:
        return pages_by_final_url(db)


def _assert_every_article_stored_once(crawler: Crawler) -> Counter[str]:
    pages = _stored(crawler)
    expected = _expected(crawler)
    assert {url: pages[url] for url in expected} == dict.fromkeys(expected, 1)
    return pages


def _half_done(crawler: Crawler) -> bool:
    """The feed's validators and frontier are stored and some articles, not all, are."""
    db = crawler.database()
    try:
        states = url_states(db, SOURCE)
        pages = len(stored_pages(db))
    finally:
        db.dispose()
    feed = [row for row in states.values() if row.kind == "feed"]
    waiting = [row for row in states.values() if row.state == "discovered"]
    return bool(feed and feed[0].etag and pages >= 2 and len(waiting) >= 3)


def test_a_killed_crawl_is_finished_by_the_next_without_duplicates(crawler: Crawler) -> None:
    since = len(crawler.web.requests)
    process = crawler.start(*EAGER)
    try:
        wait_for(lambda: _half_done(crawler), timeout=60, what="a half-done crawl")
        db = crawler.database()
        done_before = set(pages_by_final_url(db))
        db.dispose()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    first = crawler.web.requests[since:]
    assert process.returncode == -signal.SIGKILL
    assert done_before and not _expected(crawler) <= done_before

    second = crawler.run()
    # The feed was read before the kill: the second run gets a 304 and works from the
    # frontier it left.
    feed = [r for r in second.requests if r.path.startswith("/feed/")]
    assert feed and {r.status for r in feed} == {304}
    assert second.stats[SOURCE]["discover/frontier"] > 0

    pages = _assert_every_article_stored_once(crawler)
    assert [url for url, n in pages.items() if n > 1] == []
    # What was stored before the kill is never requested again.
    assert {canonicalize_url(r.url) for r in second.requests} & done_before == set()
    assert first


def _sigterm_half_way(crawler: Crawler, *args: str, timeout: float) -> CrawlResult:
    """Start a crawl, send it SIGTERM once it is half done, and wait ``timeout`` seconds
    for it to end (killed, then failing the test, when it does not)."""
    since = len(crawler.web.requests)
    process = crawler.start(*EAGER, *args)
    try:
        wait_for(lambda: _half_done(crawler), timeout=60, what="a half-done crawl")
        process.send_signal(signal.SIGTERM)
        return crawler.finish(process, since, timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def test_sigterm_stops_gracefully_and_the_next_run_finishes(crawler: Crawler) -> None:
    result = _sigterm_half_way(crawler, timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stats[SOURCE]["run/interrupted"] == 1
    db = crawler.database()
    try:
        states = url_states(db, SOURCE)
        with db.reader() as session:
            status = session.scalars(select(CrawlRunRow.status)).all()
    finally:
        db.dispose()
    assert status == ["interrupted"]
    # Requests cut short by the stop are not mistaken for failures of the pages.
    assert {row.last_outcome for row in states.values()} <= {None, "ok", "not_modified",
                                                              "http_error", "redirect_loop",
                                                              "robots_disallowed", "offsite"}
    crawler.run()
    _assert_every_article_stored_once(crawler)


def test_a_crawl_that_cannot_stop_gracefully_stops_anyway_after_sigterm(crawler: Crawler) -> None:
    # Items that never get through (as when the batch writes' lock was left held): the
    # graceful stop waits for them for ever. Before, only SIGKILL ended such a crawl,
    # its run left unfinished and its lock to go stale.
    result = _sigterm_half_way(crawler, "--set", f"ITEM_PIPELINES={json.dumps(crawl_stall.PIPELINES)}",
                               "--set", "TEST_STALL_AFTER=2", "--stop-timeout", "2", timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "had not stopped 2s after the stop signal" in result.stderr
    assert result.stats[SOURCE]["run/interrupted"] == 1
    db = crawler.database()
    try:
        with db.reader() as session:
            status = session.scalars(select(CrawlRunRow.status)).all()
    finally:
        db.dispose()
    assert status == ["interrupted"]
    # What it stored is consistent: the next run finishes the work, nothing twice.
    crawler.run()
    _assert_every_article_stored_once(crawler)


def test_refetch_asks_conditionally_and_stores_only_changed_pages(crawler: Crawler) -> None:
    crawler.crawl = dict(FAST_CRAWL)
    first = crawler.run()
    stored_first = first.stats[SOURCE]["pages/stored"]
    updated = crawler.site.update_article(
        f"{crawler.site.outlets[SOURCE].base_url}/news/kyiv-denies-russia-postponed-exchange")
    again = crawler.run("--refetch")
    stats = again.stats[SOURCE]
    articles = _expected(crawler)
    requested = {canonicalize_url(r.url) for r in again.requests}
    # Every article is asked for again, with the validators of the stored copy.
    assert articles <= requested
    conditional = [r for r in again.requests if canonicalize_url(r.url) in articles]
    assert all(r.headers.get("if-none-match") for r in conditional)
    assert stats["fetch/not_modified"] > 0
    assert 1 <= stats["pages/stored"] < stored_first
    assert _stored(crawler)[updated.canonical_url] == 2


def test_max_pages_per_run_leaves_the_rest_in_the_frontier(crawler: Crawler) -> None:
    budget = 6
    crawler.crawl = {**FAST_CRAWL, "max_pages_per_run": budget}
    first = crawler.run()
    stats = first.stats[SOURCE]
    assert stats["discover/requested"] == budget
    assert stats["discover/deferred"] > 0
    runs = [first]
    for _ in range(5):
        db = crawler.database()
        try:
            waiting = [row for row in url_states(db, SOURCE).values() if row.state == "discovered"]
        finally:
            db.dispose()
        if not waiting:
            break
        runs.append(crawler.run())
        assert runs[-1].stats[SOURCE]["discover/frontier"] == min(budget, len(waiting))
    assert len(runs) >= 3
    _assert_every_article_stored_once(crawler)
    expected = _expected(crawler)
    gets = sum((run.gets() for run in runs), start=type(first.gets())())
    assert all(gets[url] == 1 for url in expected if url in gets)
