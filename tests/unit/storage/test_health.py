"""Per-source history on both backends: last runs, consecutive failures, article counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
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
