"""The change feed's guarantees: ids only grow and commit in order; documented view
queries compare times as ISO 8601 strings on both backends."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article
from newsdedup.storage.changes import last_change_id, stamp_changes
from newsdedup.storage.db import Database
from newsdedup.storage.export import iter_export
from newsdedup.storage.models import ArticleRow
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)


def _articles(db: Database, count: int) -> list[int]:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        ids = [
            save_article(session, Article(source="a", url=f"https://a.example/{i}",
                                          canonical_url=f"https://a.example/{i}", title=f"T{i}",
                                          paragraphs=(f"Body {i}.",)),
                         source_id=source_id, origin="crawl", now=NOW).article_id
            for i in range(count)
        ]
        session.execute(update(ArticleRow).values(dedup_state="done"))
    return ids


def _waiting_on_a_lock(db: Database) -> bool:
    with db.reader() as session:
        return bool(session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%change_counter%'")))


@pytest.mark.postgres
def test_a_second_writer_waits_so_a_reader_never_skips_a_change(postgres_url: str) -> None:
    from newsdedup.storage.migrate import upgrade

    db = Database(postgres_url)
    try:
        upgrade(db)
        first, second = _articles(db, 2)
        with db.reader() as session:
            start = last_change_id(session)
        stamped: dict[int, int] = {}
        blocked = threading.Event()

        def other_writer() -> None:
            blocked.set()
            with db.session() as session:
                stamped.update(stamp_changes(session, [second]))

        with db.session() as session:
            mine = stamp_changes(session, [first])
            writer = threading.Thread(target=other_writer)
            writer.start()
            blocked.wait(10)
            deadline = time.monotonic() + 30
            while not _waiting_on_a_lock(db):
                assert time.monotonic() < deadline, "the second writer never waited"
                time.sleep(0.05)
            # Uncommitted: a reader sees neither change yet.
            with db.reader() as reader:
                assert list(iter_export(reader, after_change=start)) == []
        writer.join(30)
        assert not writer.is_alive()
        assert stamped[second] > mine[first] > start
        with db.reader() as session:
            assert [r["id"] for r in iter_export(session, after_change=start)] == [first, second]
    finally:
        db.dispose()


def test_change_ids_only_grow(db: Database) -> None:
    ids = _articles(db, 3)
    seen: list[int] = []
    for article_id in (ids[2], ids[0], ids[2], ids[1]):
        with db.session() as session:
            seen.extend(stamp_changes(session, [article_id]).values())
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    with db.session() as session:
        assert stamp_changes(session, []) == {}


def test_change_feed_returns_changes_after_n_in_order(db: Database) -> None:
    ids = _articles(db, 4)
    with db.session() as session:
        first = stamp_changes(session, ids)
    assert sorted(first.values()) == list(range(1, 5)) and first[ids[0]] == 1
    with db.session() as session:
        # T1 changes again: it moves to the end of the feed with a larger change id.
        assert stamp_changes(session, [ids[1], 999_999]) == {ids[1]: 5}
    with db.reader() as session:
        assert last_change_id(session) == 5
        feed = list(iter_export(session, after_change=0))
        assert [r["title"] for r in feed] == ["T0", "T2", "T3", "T1"]
        assert [r["change_id"] for r in feed] == [1, 3, 4, 5]
        assert [r["title"] for r in iter_export(session, after_change=3)] == ["T3", "T1"]
        assert list(iter_export(session, after_change=5)) == []


def test_documented_view_queries_compare_times_as_iso_strings(db: Database) -> None:
    ids = _articles(db, 3)
    for index, article_id in enumerate(ids):
        with db.session() as session:
            stamp_changes(session, [article_id], NOW + timedelta(hours=index, minutes=30))
    moments = {
        "2025-06-07": 3,                          # a date
        "2025-06-07T19:00": 2,                    # same day, later: 'T' must not sort after ' '
        "2025-06-07T19:30:00+00:00": 2,           # the exact moment of the second change
        "2025-06-07T19:30:00.000001+00:00": 1,
        "2025-06-07T20:30:00": 1,
        "2025-06-08": 0,
    }
    with db.reader() as session:
        for moment, expected in moments.items():
            if session.get_bind().dialect.name == "postgresql":
                query = text("SELECT count(*) FROM article_export WHERE changed_at >= CAST(:m AS timestamptz)")
            else:
                query = text("SELECT count(*) FROM article_export WHERE changed_at >= :m")
            assert session.scalar(query, {"m": moment}) == expected, moment


def test_upgrading_converts_stored_sqlite_times_and_numbers_finished_articles(tmp_path: Path) -> None:
    from alembic import command

    from newsdedup.storage.migrate import _alembic_config, upgrade

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with db.session() as session:
            command.upgrade(_alembic_config(session.connection()), "0004")
        with db.session() as session:
            # As revision 0004 left them: a space between date and time.
            session.execute(text("INSERT INTO sources (id, name, created_at) "
                                 "VALUES (1, 'a', '2025-06-07 18:00:00.000000')"))
            for article_id, state in ((1, "done"), (2, "pending")):
                session.execute(text(
                    "INSERT INTO articles (id, source_id, canonical_url, url, text, word_count, "
                    "extracted_hash, origin, revision, first_seen_at, updated_at, dedup_state, "
                    "is_canonical, authors) VALUES (:id, 1, :u, :u, '', 0, 'h', 'crawl', 1, "
                    "'2025-06-07 18:00:00.000000', '2025-06-07 19:00:00.000000', :s, 1, '[]')"),
                    {"id": article_id, "u": f"https://a.example/{article_id}", "s": state})
        assert upgrade(db)
        with db.reader() as session:
            assert session.scalar(text("SELECT created_at FROM sources")) == "2025-06-07T18:00:00.000000+00:00"
            rows = session.execute(text(
                "SELECT id, change_id, changed_at FROM articles ORDER BY id")).all()
            assert [tuple(row) for row in rows] == [
                (1, 1, "2025-06-07T19:00:00.000000+00:00"), (2, None, None)]
            assert last_change_id(session) == 1
            assert [r["id"] for r in iter_export(session, after_change=0)] == [1]
    finally:
        db.dispose()
