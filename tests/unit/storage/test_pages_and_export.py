"""Pages round-trip compressed; export streams finished articles with its filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from newsdedup.core.records import Article, FetchedPage, PageHints
from newsdedup.storage.articles import save_article
from newsdedup.storage.changes import stamp_changes
from newsdedup.storage.db import Database
from newsdedup.storage.export import EXPORT_FIELDS, iter_export
from newsdedup.storage.models import ArticleRow, UrlStateRow
from newsdedup.storage.pages import (
    PageOutcome,
    count_pending,
    load_pages,
    mark_processed,
    pending_page_ids,
    reset_processed,
    save_page,
)
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)


def _url_state(db: Database, source_id: int, url: str) -> int:
    with db.session() as session:
        row = UrlStateRow(source_id=source_id, url=url, kind="article", state="fetched",
                          first_seen_at=NOW, last_seen_at=NOW)
        session.add(row)
        session.flush()
        return row.id


def test_pages_round_trip_and_pending_queue(db: Database) -> None:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
    state_id = _url_state(db, source_id, "https://a.example/x")
    body = ("<html><body>" + "Привіт, світ! " * 2000 + "</body></html>").encode()
    page = FetchedPage(
        source="a", url="https://a.example/x", final_url="https://a.example/x?r=1", status=200,
        headers={"content-type": "text/html; charset=utf-8"}, body=body, fetched_at=NOW,
        hints=PageHints(title="T", published_at=NOW, published_from="feed"),
    )
    with db.session() as session:
        first = save_page(session, page, source_id=source_id, url_state_id=state_id, run_id=None)
        second = save_page(session, page, source_id=source_id, url_state_id=state_id, run_id=None)
    with db.reader() as session:
        assert pending_page_ids(session) == [first, second]
        (loaded, _) = list(load_pages(session, [first, second]))
    assert loaded.body == body
    assert loaded.hints == page.hints
    assert loaded.content_type == "text/html"
    assert loaded.page_id == first

    with db.session() as session:
        mark_processed(session, [PageOutcome(first, "rejected", "soft_404"),
                                 PageOutcome(second, "rejected", "soft_404")], NOW)
    with db.reader() as session:
        assert count_pending(session) == 0
    with db.session() as session:
        assert reset_processed(session, [source_id]) == 1  # only the newest fetch of the URL
    with db.reader() as session:
        assert pending_page_ids(session) == [second]


def test_export_streams_finished_articles_with_filters(db: Database) -> None:
    with db.session() as session:
        ids = ensure_sources(session, ["a", "b"])
        for index in range(7):
            source = "a" if index % 2 else "b"
            save_article(
                session,
                Article(source=source, url=f"https://{source}.example/{index}",
                        canonical_url=f"https://{source}.example/{index}", title=f"T{index}",
                        paragraphs=(f"Body {index}.", "Second."), authors=("X Y",),
                        encoding_repaired=index == 3),
                source_id=ids[source], origin="crawl", now=NOW + timedelta(days=index),
            )
        # Only articles the dedup stages finished are exported.
        session.execute(update(ArticleRow).where(ArticleRow.title != "T6")
                        .values(dedup_state="done"))
        session.execute(update(ArticleRow).where(ArticleRow.title == "T5")
                        .values(is_canonical=False))
        # Each became visible a day after the one before, T6 (still pending) last.
        for index, article_id in enumerate(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id))):
            stamp_changes(session, [article_id], NOW + timedelta(days=index))
    with db.reader() as session:
        everything = list(iter_export(session, batch_size=2))
        assert [r["title"] for r in everything] == ["T0", "T1", "T2", "T3", "T4", "T5"]
        assert all(tuple(r) == EXPORT_FIELDS for r in everything)
        assert everything[0]["authors"] == ["X Y"]
        assert everything[0]["text"] == "Body 0.\n\nSecond."
        # The export and the view both say which article's text was repaired.
        assert [r["encoding_repaired"] for r in everything] == [i == 3 for i in range(6)]
        viewed = session.execute(text("SELECT title, encoding_repaired FROM article_export"))
        assert {title for title, repaired in viewed if repaired} == {"T3"}
        assert {r["source"] for r in iter_export(session, sources=["a"])} == {"a"}
        since = [r["title"] for r in iter_export(session, since=NOW + timedelta(days=4))]
        assert since == ["T4", "T5"]
        canonical = [r["title"] for r in iter_export(session, canonical_only=True)]
        assert "T5" not in canonical and len(canonical) == 5
