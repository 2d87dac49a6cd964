"""Article saves are idempotent upserts keyed by canonical URL, with revisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, select

from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article, save_articles
from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRevisionRow, ArticleRow, ParagraphRow
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)
# Declared with __tablename__, so its __table__ is a Table (typed as the wider FromClause).
_articles = cast(Table, ArticleRow.__table__)


def article(body: tuple[str, ...], *, url: str = "https://a.example/story", **extra: object) -> Article:
    return Article(
        source="a",
        url=url,
        canonical_url=url,
        paragraphs=body,
        **{"title": "Ukraine and Russia swap prisoners", **extra},  # type: ignore[arg-type]
    )


def counts(db: Database) -> tuple[int, int, int]:
    with db.reader() as session:
        return (
            session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
            session.scalar(select(func.count()).select_from(ArticleRevisionRow)) or 0,
            session.scalar(select(func.count()).select_from(ParagraphRow)) or 0,
        )


def test_saving_the_same_article_twice_stores_it_once(db: Database) -> None:
    body = ("First paragraph of the story.", "Second paragraph of the story.")
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        first = save_article(session, article(body), source_id=source_id, origin="crawl", now=NOW)
    with db.session() as session:
        second = save_article(session, article(body, authors=("Daria Shulzhenko",)),
                              source_id=source_id, origin="crawl", now=NOW + timedelta(hours=1))
    assert first.status == "new"
    assert second.status == "unchanged"
    assert second.article_id == first.article_id
    assert counts(db) == (1, 1, 2)
    with db.reader() as session:
        row = session.get_one(ArticleRow, first.article_id)
        assert row.authors == ["Daria Shulzhenko"]  # metadata refreshed without a revision
        assert row.revision == 1
        assert row.updated_at == NOW


def test_changed_body_is_a_new_revision_of_the_same_article(db: Database) -> None:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        first = save_article(session, article(("Old text.", "Kept text.")), source_id=source_id,
                             origin="crawl", now=NOW)
    with db.session() as session:
        session.execute(_articles.update().values(dedup_state="done"))
    later = NOW + timedelta(hours=2)
    with db.session() as session:
        second = save_article(session, article(("New text.", "Kept text.", "Added text.")),
                              source_id=source_id, origin="crawl", now=later)
    assert second.status == "updated"
    assert second.article_id == first.article_id
    assert second.revision == 2
    assert counts(db) == (1, 2, 3)
    with db.reader() as session:
        row = session.get_one(ArticleRow, first.article_id)
        assert row.dedup_state == "pending"
        assert row.updated_at == later
        assert row.first_seen_at == NOW
        texts = session.scalars(
            select(ParagraphRow.text).where(ParagraphRow.article_id == row.id)
            .order_by(ParagraphRow.position)
        ).all()
        assert texts == ["New text.", "Kept text.", "Added text."]
        old = session.scalars(
            select(ArticleRevisionRow.extracted_text).where(ArticleRevisionRow.revision == 1)
        ).one()
        assert old == "Old text.\n\nKept text."


def test_dates_round_trip_as_aware_utc(db: Database) -> None:
    published = datetime(2025, 6, 7, 21, 17, tzinfo=UTC)
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        saved = save_article(
            session,
            article(("Body.",), published_at=published, published_from="json-ld"),
            source_id=source_id, origin="crawl", now=NOW,
        )
    with db.reader() as session:
        row = session.get_one(ArticleRow, saved.article_id)
        assert row.published_at == published
        assert row.published_at is not None and row.published_at.tzinfo is not None
        assert row.published_from == "json-ld"


def test_ensure_sources_is_idempotent(db: Database) -> None:
    with db.session() as session:
        ids = ensure_sources(session, ["a", "b"])
    with db.session() as session:
        again = ensure_sources(session, ["b", "a", "c"])
    assert again["a"] == ids["a"] and again["b"] == ids["b"]
    assert len(set(again.values())) == 3


def _stored(db: Database) -> list[tuple[object, ...]]:
    with db.reader() as session:
        articles = session.execute(
            select(ArticleRow.canonical_url, ArticleRow.source_id, ArticleRow.revision,
                   ArticleRow.text, ArticleRow.title, ArticleRow.authors, ArticleRow.published_at,
                   ArticleRow.modified_at, ArticleRow.language, ArticleRow.lead,
                   ArticleRow.http_status, ArticleRow.word_count, ArticleRow.extracted_hash,
                   ArticleRow.first_seen_at, ArticleRow.dedup_state)
            .order_by(ArticleRow.canonical_url)
        ).all()
        paragraphs = session.execute(
            select(ArticleRow.canonical_url, ParagraphRow.position, ParagraphRow.text,
                   ParagraphRow.kind, ParagraphRow.fate)
            .join(ArticleRow, ArticleRow.id == ParagraphRow.article_id)
            .order_by(ArticleRow.canonical_url, ParagraphRow.position)
        ).all()
        revisions = session.execute(
            select(ArticleRow.canonical_url, ArticleRevisionRow.revision, ArticleRevisionRow.title,
                   ArticleRevisionRow.extracted_text, ArticleRevisionRow.modified_at,
                   ArticleRevisionRow.created_at)
            .join(ArticleRow, ArticleRow.id == ArticleRevisionRow.article_id)
            .order_by(ArticleRow.canonical_url, ArticleRevisionRow.revision)
        ).all()
    return [*map(tuple, articles), *map(tuple, paragraphs), *map(tuple, revisions)]


def test_saving_many_at_once_is_saving_them_one_after_the_other(db: Database) -> None:
    stored_first = article(("Stored before the batch.",), url="https://a.example/old")
    batch = [
        # Values a bulk path must carry as they are: JSON lists, aware dates, and text
        # with tabs, backslashes, newlines and quotes (COPY's escapes).
        article(("One\twith a tab \\ and a backslash.", "Two\nlines, \"quoted\" \\N."),
                url="https://a.example/1", authors=("Daria Shulzhenko", "Олена"),
                published_at=NOW - timedelta(days=2), modified_at=NOW - timedelta(hours=3),
                language="uk", kinds=("lead", "text"), http_status=203),
        article(("Changed body.",), url="https://a.example/old"),  # stored: a new revision
        article(("Three.",), url="https://a.example/2", title="First title"),
        article(("Three.",), url="https://a.example/2", title="Same body again"),  # unchanged
        article(("Four.",), url="https://a.example/1"),  # again in the batch: a revision
        article(("Tab\there, a backslash \\ and \\N.", "Line\nbreak."), url="https://a.example/3",
                authors=("Олена",), published_at=NOW - timedelta(days=1), kinds=("lead", "text")),
    ]
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        save_article(session, stored_first, source_id=source_id, origin="crawl", now=NOW)
    with db.session() as session:
        bulk = save_articles(session, [(a, source_id) for a in batch], origin="crawl", now=NOW)
    bulk_state = _stored(db)

    with db.session() as session:
        session.execute(_articles.delete())
    with db.session() as session:
        save_article(session, stored_first, source_id=source_id, origin="crawl", now=NOW)
    with db.session() as session:
        one_by_one = [save_article(session, a, source_id=source_id, origin="crawl", now=NOW)
                      for a in batch]
    assert [r.status for r in bulk] == ["new", "updated", "new", "unchanged", "updated", "new"]
    assert [(r.status, r.revision) for r in bulk] == [(r.status, r.revision) for r in one_by_one]
    assert bulk[0].article_id == bulk[4].article_id
    assert bulk_state == _stored(db)
    assert ("https://a.example/3", 0, "Tab\there, a backslash \\ and \\N.", "lead", "kept") in bulk_state
