"""URL identity and an article's life: never two stories in one row, aliases, deletion.

Stories come from the fixture web's text generator; saves go through the storage API
with the pipeline's same-story check, on SQLite and Postgres.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from dedup_stories import BUS_ZH, TRAM_ZH, TRAM_ZH_COPY
from sqlalchemy import select

from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.identity import SameStoryCheck
from newsdedup.storage.articles import follow_move, save_articles
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import FetchRecord, record_fetches
from newsdedup.storage.models import (
    ArticleAliasRow,
    ArticleRevisionRow,
    ArticleRow,
    IdentityConflictRow,
    UrlStateRow,
)
from newsdedup.storage.sources import ensure_sources
from newsweb.content.textgen import generate_story

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
URL = "https://news.example/article.pl?sid=24/05/03/1234"


def story_article(seed: int, url: str = URL, *, canonical: str | None = None,
                  edit: bool = False) -> Article:
    story = generate_story(seed)
    paragraphs = [p.removeprefix("## ") for p in story.paragraphs]
    if edit:
        paragraphs = [*paragraphs, "The ministry confirmed the figures in a statement later that day."]
    return Article(source="news", url=url, canonical_url=canonical or url, title=story.title,
                   paragraphs=tuple(paragraphs))


def save(db: Database, article: Article, when: datetime) -> int:
    with db.session() as session:
        source_id = ensure_sources(session, ["news"])["news"]
        [result] = save_articles(session, [(article, source_id)], origin="crawl", now=when,
                                 same_story=SameStoryCheck())
        return result.article_id


def rows(db: Database) -> dict[str, ArticleRow]:
    with db.reader() as session:
        found = {row.canonical_url: row for row in session.scalars(select(ArticleRow))}
        session.expunge_all()
    return found


def conflicts(db: Database) -> list[tuple[str, str | None, str]]:
    with db.reader() as session:
        return [(row.url, row.claimed_url, row.reason)
                for row in session.scalars(select(IdentityConflictRow).order_by(IdentityConflictRow.id))]


def test_an_edit_of_the_story_is_a_revision(db: Database) -> None:
    first = save(db, story_article(11), NOW)
    second = save(db, story_article(11, edit=True), NOW + timedelta(hours=1))
    assert second == first
    stored = rows(db)
    assert list(stored) == [URL]
    assert stored[URL].revision == 2
    assert conflicts(db) == []


def test_a_different_story_under_a_stored_url_is_a_new_article(db: Database) -> None:
    first = save(db, story_article(11), NOW)
    second = save(db, story_article(12), NOW + timedelta(hours=1))
    assert second != first
    stored = rows(db)
    # The URL now serves the new story; the old one keeps its row, text and revision.
    assert stored[URL].id == second
    moved = f"{URL}#article-{first}"
    assert stored[moved].id == first
    assert stored[moved].revision == 1
    assert stored[moved].text == story_article(11).text
    assert conflicts(db) == [(URL, None, "different_story")]


@pytest.mark.parametrize(("later", "same"), [(TRAM_ZH_COPY, True), (BUS_ZH, False)], ids=["edited", "other-story"])
def test_a_story_in_chinese_is_told_from_another_as_in_english(db: Database, later: tuple[str, ...],
                                                               same: bool) -> None:
    # Written without spaces: a story edited in every paragraph is a revision, not a new
    # story, and another story on the same subject is not a revision.
    title = "\u6e2f\u6e7e\u5e02\u6279\u51c6\u65b0\u6709\u8f68\u7535\u8f66\u7ebf\u8def"
    first = save(db, Article(source="news", url=URL, canonical_url=URL, title=title, paragraphs=TRAM_ZH), NOW)
    second = save(db, Article(source="news", url=URL, canonical_url=URL, title=title, paragraphs=later),
                  NOW + timedelta(hours=1))
    assert (second == first) is same
    assert conflicts(db) == ([] if same else [(URL, None, "different_story")])


def test_a_canonical_holding_another_story_is_refused(db: Database) -> None:
    holder = "https://news.example/section/main-story"
    first = save(db, story_article(21, holder), NOW)
    page = story_article(22, "https://news.example/2026/05/04/other-story", canonical=holder)
    second = save(db, page, NOW + timedelta(minutes=5))
    assert second != first
    stored = rows(db)
    assert stored[holder].id == first and stored[holder].revision == 1
    assert stored[page.url].id == second
    assert conflicts(db) == [(page.url, holder, "canonical_taken")]


def test_a_page_moved_to_another_url_of_the_same_story_keeps_its_row(db: Database) -> None:
    old, new = "https://news.example/news/old-slug", "https://news.example/news/new-slug"
    first = save(db, story_article(31, old), NOW)
    with db.session() as session:
        source_id = ensure_sources(session, ["news"])["news"]
        session.add(UrlStateRow(source_id=source_id, url=old, kind="article", state="fetched",
                                canonical_url=old, first_seen_at=NOW, last_seen_at=NOW))
    moved_page = replace(story_article(31, old, edit=True), canonical_url=new)
    with db.session() as session:
        assert follow_move(session, old, moved_page, SameStoryCheck(), NOW + timedelta(hours=2))
    assert save(db, moved_page, NOW + timedelta(hours=2)) == first
    stored = rows(db)
    assert list(stored) == [new]
    assert stored[new].revision == 2
    with db.reader() as session:
        aliases = [(a.url, a.article_id, a.reason) for a in session.scalars(select(ArticleAliasRow))]
    assert aliases == [(old, first, "redirect")]


def test_a_different_story_at_the_new_url_does_not_move(db: Database) -> None:
    old, new = "https://news.example/news/a", "https://news.example/news/b"
    save(db, story_article(41, old), NOW)
    with db.session() as session:
        source_id = ensure_sources(session, ["news"])["news"]
        session.add(UrlStateRow(source_id=source_id, url=old, kind="article", state="fetched",
                                canonical_url=old, first_seen_at=NOW, last_seen_at=NOW))
    other = replace(story_article(42, old), canonical_url=new)
    with db.session() as session:
        assert not follow_move(session, old, other, SameStoryCheck(), NOW)


def _fetch(url: str, status: int, when: datetime, body: bytes = b"<html></html>") -> FetchRecord:
    outcome = {200: "ok", 304: "not_modified"}.get(status, "http_error")
    page = None
    if status != 304:
        page = FetchedPage(source="news", url=url, final_url=url, status=status,
                           headers={"content-type": "text/html"}, body=body, fetched_at=when)
    return FetchRecord(url=url, kind="article", outcome=outcome, fetched_at=when, status=status,
                       final_url=url, page=page)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_marks_deleted_and_a_304_restores(db: Database, status: int) -> None:
    article_id = save(db, story_article(51), NOW)
    with db.session() as session:
        source_id = ensure_sources(session, ["news"])["news"]
    later = NOW + timedelta(hours=6)
    with db.session() as session:
        record_fetches(session, [_fetch(URL, 200, NOW)], source_id=source_id, run_id=None, now=NOW)
        result = record_fetches(session, [_fetch(URL, status, later)], source_id=source_id,
                                run_id=None, now=later)
    assert result.deleted == 1
    stored = rows(db)[URL]
    assert stored.deleted_at == later
    assert stored.text == story_article(51).text  # the row and its text stay
    with db.session() as session:
        again = record_fetches(session, [_fetch(URL, status, later)], source_id=source_id,
                               run_id=None, now=later + timedelta(hours=1))
        assert again.deleted == 0  # already deleted: not marked twice
        back = record_fetches(session, [_fetch(URL, 304, later)], source_id=source_id,
                              run_id=None, now=later + timedelta(days=1))
    assert back.restored == 1
    assert rows(db)[URL].deleted_at is None
    with db.reader() as session:
        assert session.scalar(select(ArticleRevisionRow.revision).where(
            ArticleRevisionRow.article_id == article_id)) == 1


def test_a_changed_body_after_deletion_restores_as_a_revision(db: Database) -> None:
    save(db, story_article(61), NOW)
    with db.session() as session:
        source_id = ensure_sources(session, ["news"])["news"]
        record_fetches(session, [_fetch(URL, 410, NOW)], source_id=source_id, run_id=None, now=NOW)
    assert rows(db)[URL].deleted_at is not None
    save(db, story_article(61, edit=True), NOW + timedelta(hours=1))
    stored = rows(db)[URL]
    assert stored.deleted_at is None
    assert stored.revision == 2
