"""Per-source history on both backends: last runs, consecutive failures, article counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from extract_helpers import story_page

from newsdedup.core.config import config_from_mapping
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.process import Processor
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import FetchRecord, record_fetches
from newsdedup.storage.health import SourceHistory, source_histories
from newsdedup.storage.runs import finish_run, process_runs, start_run
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def add_run(db: Database, source: str, status: str, minutes_ago: float, *,
            trigger: str = "schedule", error: str | None = None, pid: int = 1) -> int:
    started = NOW - timedelta(minutes=minutes_ago)
    with db.session() as session:
        sid = ensure_sources(session, [source])[source]
        run_id = start_run(session, source_id=sid, trigger=trigger, now=started, pid=pid,
                           hostname="here")
        if status != "running":
            finish_run(session, run_id, status=status, now=started + timedelta(seconds=30),
                       error=error)
    return run_id


def add_article(db: Database, source: str, url: str, first_seen: datetime) -> None:
    with db.session() as session:
        sid = ensure_sources(session, [source])[source]
        save_article(session, Article(source=source, url=url, canonical_url=url, title="T",
                                      paragraphs=("Body text of the story.",)),
                     source_id=sid, origin="crawl", now=first_seen)


def histories_now(db: Database, names: list[str]) -> dict[str, SourceHistory]:
    with db.reader() as session:
        return source_histories(session, names, now=NOW)


def test_a_source_never_run_has_an_empty_history(db: Database) -> None:
    history = histories_now(db, ["ghost"])["ghost"]
    assert history.last_run is None and history.last_success is None
    assert history.consecutive_failures == 0 and history.articles_total == 0


def test_failures_count_since_the_last_success_and_ignore_interruptions(db: Database) -> None:
    add_run(db, "alpha", "failed", 60, error="old failure")
    add_run(db, "alpha", "success", 50)
    add_run(db, "alpha", "timeout", 40, error="time limit")
    add_run(db, "alpha", "interrupted", 30)
    add_run(db, "alpha", "abandoned", 20, error="died")
    add_run(db, "alpha", "failed", 10, error="boom")
    add_run(db, "alpha", "success", 5, trigger="reprocess")  # not a crawl: does not count
    add_run(db, "alpha", "running", 1)
    history = histories_now(db, ["alpha"])["alpha"]
    assert history.consecutive_failures == 3
    assert history.last_success is not None
    assert history.last_success.started_at == NOW - timedelta(minutes=50)
    assert history.last_failure is not None and history.last_failure.error == "boom"
    assert history.last_run is not None and history.last_run.status == "running"
    assert history.first_run_at == NOW - timedelta(minutes=60)


def test_a_source_that_never_succeeded_counts_all_its_failures(db: Database) -> None:
    add_run(db, "beta", "failed", 30)
    add_run(db, "beta", "failed", 20)
    add_run(db, "gamma", "success", 10)
    histories = histories_now(db, ["beta", "gamma"])
    assert histories["beta"].consecutive_failures == 2
    assert histories["beta"].last_success is None
    assert histories["gamma"].consecutive_failures == 0


def test_articles_are_counted_in_total_and_in_the_recent_window(db: Database) -> None:
    add_article(db, "alpha", "https://a.example/1", NOW - timedelta(hours=2))
    add_article(db, "alpha", "https://a.example/2", NOW - timedelta(hours=30))
    add_article(db, "beta", "https://b.example/1", NOW - timedelta(hours=1))
    histories = histories_now(db, ["alpha", "beta"])
    assert (histories["alpha"].articles_total, histories["alpha"].articles_recent) == (2, 1)
    assert (histories["beta"].articles_total, histories["beta"].articles_recent) == (1, 1)


def test_process_runs_finds_a_process_runs_since_a_time(db: Database) -> None:
    old = add_run(db, "alpha", "success", 60, pid=77)
    mine = add_run(db, "alpha", "running", 1, pid=77)
    add_run(db, "beta", "running", 1, pid=78)
    with db.reader() as session:
        runs = process_runs(session, pid=77, hostname="here", since=NOW - timedelta(minutes=5))
    assert [run.id for run in runs] == [mine]
    assert old != mine


PUBLISHED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
GONE = b"<!doctype html><html><head><title>Page not found</title></head><body><h1>Gone</h1></body></html>"


def crawl_and_process(db: Database, pages: list[tuple[int, int, bytes]], at: datetime) -> None:
    """One crawl run of "alpha" that fetched ``pages`` (story number, status, body),
    then the process phase over them, as `newsdedup crawl` does."""
    config = config_from_mapping({"sources": [{"name": "alpha", "feeds": ["https://a.example/feed"]}],
                                  "process": {"workers": 1}}, environ={})
    records = []
    for n, status, body in pages:
        url = f"https://a.example/news/story-{n}"
        page = FetchedPage(source="alpha", url=url, final_url=url, status=status,
                           headers={"content-type": "text/html; charset=utf-8"}, body=body, fetched_at=at)
        records.append(FetchRecord(url=url, kind="article", outcome="ok" if status < 300 else "http_error",
                                   fetched_at=at, status=status, final_url=url, page=page))
    with db.session() as session:
        sid = ensure_sources(session, ["alpha"])["alpha"]
        run_id = start_run(session, source_id=sid, trigger="schedule", now=at, pid=1, hostname="here")
        record_fetches(session, records, source_id=sid, run_id=run_id, now=at)
        finish_run(session, run_id, status="success", now=at + timedelta(seconds=5))
    Processor(config, db).run()


def test_recent_pages_are_the_newest_first_fetches_not_revisits_of_articles(db: Database) -> None:
    """A story taken down answers 404 to its revisit: that says nothing of the site's new
    pages. Twenty such revisits made a source whose new pages were all articles look as
    if none was (status: unhealthy)."""
    crawl_and_process(db, [(n, 200, story_page(n, PUBLISHED)) for n in range(3)], NOW - timedelta(hours=2))
    crawl_and_process(db, [(9, 200, GONE)] + [(n, 404, GONE) for n in range(3)], NOW - timedelta(hours=1))
    pages = histories_now(db, ["alpha"])["alpha"].recent_pages
    assert [outcome for outcome, _ in pages] == ["rejected", "article", "article", "article"]
    assert pages[0][1] is not None and pages[0][1] != "http_error"
