"""url_state: the frontier, fetch outcomes and pages, on SQLite and Postgres."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from newsdedup.core.records import FetchedPage, PageHints
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import (
    FETCH_OUTCOMES,
    Discovered,
    FetchRecord,
    backdate_url_state,
    children_of,
    count_outcomes,
    count_states,
    load_frontier,
    load_revisits,
    lookup,
    outcome_state,
    record_fetches,
)
from newsdedup.storage.models import PageRow, UrlStateRow
from newsdedup.storage.sources import ensure_sources

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
FEED = "http://news.test/feed.xml"


def page(url: str, body: bytes = b"<html>one</html>", status: int = 200) -> FetchedPage:
    return FetchedPage(source="news", url=url, final_url=url, status=status,
                       headers={"content-type": "text/html"}, body=body, fetched_at=T0)


def write(db: Database, source_id: int, *records: FetchRecord) -> int:
    """Record a batch; return how many pages it stored."""
    with db.session() as session:
        result = record_fetches(session, records, source_id=source_id, run_id=None, now=T0)
    return result.pages_stored


@pytest.fixture
def sources(db: Database) -> dict[str, int]:
    with db.session() as session:
        return ensure_sources(session, ["news", "other"])


def row(db: Database, url: str) -> UrlStateRow:
    with db.reader() as session:
        found = session.scalars(select(UrlStateRow).where(UrlStateRow.url == url)).one()
        session.expunge(found)
        return found


def pages_of(db: Database, url: str) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).where(PageRow.url == url)) or 0)


def test_every_outcome_has_a_state() -> None:
    assert {outcome_state(o, 200) for o in FETCH_OUTCOMES} <= {"fetched", "failed", "skipped"}
    assert outcome_state("http_error", 404) == "fetched"
    assert outcome_state("http_error", 503) == "failed"
    assert outcome_state("http_error", 429) == "failed"
    assert outcome_state("timeout") == "failed"
    assert outcome_state("robots_disallowed") == "skipped"
    with pytest.raises(ValueError, match="unknown fetch outcome"):
        outcome_state("exploded")


def test_feed_validators_and_frontier_land_together(db: Database, sources: dict[str, int]) -> None:
    found = (
        *(
            Discovered(f"http://news.test/a/{i}", hints=PageHints(
                title=f"A{i}", published_at=T0 - timedelta(hours=i), published_from="feed"))
            for i in range(3)
        ),
        Discovered("http://other.test/x", outcome="offsite"),
    )
    write(db, sources["news"], FetchRecord(
        FEED, "feed", "ok", T0, status=200, etag='"v1"', last_modified="Fri, 01 May 2026",
        discovered=found))
    feed = row(db, FEED)
    assert (feed.state, feed.etag, feed.last_status, feed.fetch_count) == ("fetched", '"v1"', 200, 1)
    with db.reader() as session:
        frontier = load_frontier(session, sources["news"], limit=10, max_errors=3)
        states = count_states(session, sources["news"])
    # Newest feed date first.
    assert [k.url for k in frontier] == [f"http://news.test/a/{i}" for i in range(3)]
    assert frontier[0].hints.title == "A0"
    assert frontier[0].hints.discovered_from == FEED
    assert states == {"feed/fetched": 1, "article/discovered": 3, "article/skipped": 1}
    assert row(db, "http://other.test/x").last_outcome == "offsite"


def test_a_304_keeps_the_validators_and_counts_the_fetch(db: Database, sources: dict[str, int]) -> None:
    source = sources["news"]
    write(db, source, FetchRecord(FEED, "feed", "ok", T0, status=200, etag='"v1"'))
    write(db, source, FetchRecord(FEED, "feed", "not_modified", T0, status=304))
    feed = row(db, FEED)
    assert (feed.etag, feed.last_outcome, feed.last_status, feed.fetch_count) == (
        '"v1"', "not_modified", 304, 2)
    # A fresh 200 without validators clears them: the server stopped sending them.
    write(db, source, FetchRecord(FEED, "feed", "ok", T0, status=200))
    assert row(db, FEED).etag is None


def test_a_feed_answered_by_a_page_forgets_the_feeds_validators(db: Database, sources: dict[str, int]) -> None:
    source = sources["news"]
    write(db, source, FetchRecord(FEED, "feed", "ok", T0, status=200, etag='"v1"', last_modified="Fri, 01 May 2026"))
    write(db, source, FetchRecord(FEED, "feed", "not_a_feed", T0, status=200, error="not a feed or sitemap (html)"))
    feed = row(db, FEED)
    assert (feed.etag, feed.last_modified, feed.last_outcome, feed.error_count) == (None, None, "not_a_feed", 1)


@pytest.mark.parametrize("last_fetch", [True, False])
def test_backdating_moves_the_clock_of_every_url(
        db: Database, sources: dict[str, int], last_fetch: bool) -> None:
    fetched, discovered = "http://news.test/a/1", "http://news.test/a/2"
    write(db, sources["news"], FetchRecord(fetched, "article", "ok", T0, status=200, final_url=fetched,
                                           page=page(fetched)),
          FetchRecord(FEED, "feed", "ok", T0, status=200, discovered=(Discovered(discovered),)))
    first_seen = row(db, discovered).first_seen_at
    hour = timedelta(hours=1)
    with db.reader() as session:
        assert load_revisits(session, sources["news"], [hour], now=T0, limit=10) == []
    with db.session() as session:
        backdate_url_state(session, 2 * hour, last_fetch=last_fetch)
    article = row(db, fetched)
    assert article.first_seen_at == T0 - 2 * hour
    assert article.last_fetched_at == (T0 - 2 * hour if last_fetch else T0)
    assert row(db, discovered).first_seen_at == first_seen - 2 * hour
    assert row(db, discovered).last_fetched_at is None
    with db.reader() as session:
        due = load_revisits(session, sources["news"], [hour], now=T0, limit=10)
    assert [known.url for known in due] == [fetched]


@pytest.mark.parametrize(("outcome", "status"), [("http_error", 503), ("connection_error", None),
                                               ("timeout", None)])
def test_an_article_whose_site_was_down_for_every_retry_stays_on_the_revisit_schedule(
        db: Database, sources: dict[str, int], outcome: str, status: int | None) -> None:
    # Found in the soak (bench/soak.py): a host down for a few minutes answered 503 to
    # three runs' revisits; the URL was then neither in the frontier (too many errors)
    # nor due for a revisit (not "fetched"), and its later edits were never fetched.
    url = "http://news.test/a/1"
    source = sources["news"]
    write(db, source, FetchRecord(url, "article", "ok", T0, status=200, final_url=url, page=page(url)))
    for _ in range(3):
        write(db, source, FetchRecord(url, "article", outcome, T0, status=status, final_url=url,
                                      error="down"))
    assert (row(db, url).state, row(db, url).error_count) == ("failed", 3)
    hour = timedelta(hours=1)
    with db.reader() as session:
        assert load_frontier(session, source, limit=10, max_errors=3) == []
        assert load_revisits(session, source, [hour], now=T0, limit=10) == []
        due = load_revisits(session, source, [hour], now=T0 + 2 * hour, limit=10)
    assert [known.url for known in due] == [url]


def test_discovery_never_overrides_a_fetch(db: Database, sources: dict[str, int]) -> None:
    url = "http://news.test/a/1"
    write(db, sources["news"], FetchRecord(url, "article", "ok", T0, status=200, page=page(url)))
    write(db, sources["news"], FetchRecord(FEED, "feed", "ok", T0, status=200,
                                           discovered=(Discovered(url),)))
    assert row(db, url).state == "fetched"
    with db.reader() as session:
        assert load_frontier(session, sources["news"], limit=10, max_errors=3) == []


def test_a_refetch_with_the_same_body_stores_no_page(db: Database, sources: dict[str, int]) -> None:
    url = "http://news.test/a/1"
    first = write(db, sources["news"], FetchRecord(url, "article", "ok", T0, status=200, page=page(url)))
    again = write(db, sources["news"],
                  FetchRecord(url, "article", "ok", T0, status=200, page=page(url)),
                  FetchRecord(url, "article", "ok", T0, status=200, page=page(url)))
    changed = write(db, sources["news"], FetchRecord(
        url, "article", "ok", T0, status=200, page=page(url, b"<html>two</html>")))
    assert (first, again, changed) == (1, 0, 1)
    assert pages_of(db, url) == 2
    state = row(db, url)
    assert state.fetch_count == 4
    with db.reader() as session:
        newest = session.scalar(select(PageRow.content_hash).order_by(PageRow.id.desc()).limit(1))
    assert state.content_hash == newest


def test_failures_are_retried_a_bounded_number_of_times(db: Database, sources: dict[str, int]) -> None:
    url = "http://news.test/slow"
    source = sources["news"]
    for attempt in range(1, 4):
        write(db, source, FetchRecord(url, "article", "timeout", T0, error="too slow"))
        with db.reader() as session:
            retry = [k.url for k in load_frontier(session, source, limit=10, max_errors=3)]
        assert retry == ([url] if attempt < 3 else [])
    state = row(db, url)
    assert (state.state, state.error_count, state.last_error, state.fetch_count) == (
        "failed", 3, "too slow", 0)
    write(db, source, FetchRecord(url, "article", "ok", T0, status=200, page=page(url)))
    assert (row(db, url).error_count, row(db, url).last_error) == (0, None)


def test_an_error_page_is_stored_for_the_process_phase(db: Database, sources: dict[str, int]) -> None:
    url = "http://news.test/gone"
    stored = write(db, sources["news"], FetchRecord(
        url, "article", "http_error", T0, status=404, error="HTTP 404",
        page=page(url, b"<html>not found</html>", status=404)))
    assert stored == 1
    state = row(db, url)
    assert (state.state, state.last_outcome, state.error_count) == ("fetched", "http_error", 1)


def test_a_redirect_target_is_known_after_the_fetch(db: Database, sources: dict[str, int]) -> None:
    old, new = "http://news.test/old-slug", "http://news.test/new-slug"
    write(db, sources["news"], FetchRecord(
        old, "article", "ok", T0, status=200, final_url=new, aliases=(new,), page=page(old)))
    with db.reader() as session:
        known = lookup(session, [old, new, "http://news.test/never"])
    assert set(known) == {old, new}
    assert known[new].state == "fetched"
    assert known[new].hints.discovered_from == old
    assert pages_of(db, old) == 1 and pages_of(db, new) == 0


def test_the_owner_takes_over_a_url_another_source_saw_offsite(
    db: Database, sources: dict[str, int]
) -> None:
    url = "http://other.test/their-story"
    write(db, sources["news"], FetchRecord(FEED, "feed", "ok", T0, status=200,
                                           discovered=(Discovered(url, outcome="offsite"),)))
    write(db, sources["other"], FetchRecord("http://other.test/feed", "feed", "ok", T0, status=200,
                                            discovered=(Discovered(url),)))
    state = row(db, url)
    assert (state.source_id, state.state, state.last_outcome) == (
        sources["other"], "discovered", None)
    # ...and the other way round nothing changes hands.
    write(db, sources["news"], FetchRecord(FEED, "feed", "ok", T0, status=200,
                                           discovered=(Discovered(url, outcome="offsite"),)))
    assert row(db, url).source_id == sources["other"]


def test_children_of_a_sitemap_index(db: Database, sources: dict[str, int]) -> None:
    index = "http://news.test/sitemap.xml"
    children = tuple(Discovered(f"http://news.test/sitemap-{i}.xml", kind="sitemap") for i in range(2))
    write(db, sources["news"], FetchRecord(index, "sitemap", "ok", T0, status=200,
                                           discovered=children))
    with db.reader() as session:
        found = children_of(session, sources["news"], index, "sitemap")
        outcomes = count_outcomes(session)
    assert [k.url for k in found] == [c.url for c in children]
    assert outcomes == {"ok": 1, "none": 2}
