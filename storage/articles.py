"""Articles: idempotent saves keyed by canonical URL, with revisions and paragraphs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from newsdedup.core.records import Article
from newsdedup.storage.dedup.bulk import insert_dicts, insert_returning
from newsdedup.storage.lifecycle import (
    move_identity,
    record_alias,
    record_conflict,
    restore_deleted,
)
from newsdedup.storage.models import ArticleRevisionRow, ArticleRow, ParagraphRow, UrlStateRow
from newsdedup.storage.revisions import archive_current_text, revision_text
from newsdedup.storage.upsert import insert_ignore

__all__ = [
    "SameStory",
    "SaveResult",
    "StoredStory",
    "extracted_hash",
    "follow_move",
    "save_article",
    "save_articles",
    "write_revision",
]

#: ``restored``: the body is unchanged and the article had been marked deleted.
SaveStatus = Literal["new", "updated", "unchanged", "restored"]


@dataclass(frozen=True, slots=True)
class StoredStory:
    """What a same-story check compares new text with: the stored current revision."""

    article_id: int
    canonical_url: str
    title: str | None
    lead: str | None
    text: str


#: Whether a changed body (``Article``) is still the story already stored
#: (:class:`StoredStory`) under its canonical URL; see ``newsdedup.pipeline.identity``.
SameStory = Callable[[StoredStory, Article], bool]


@dataclass(frozen=True, slots=True)
class SaveResult:
    article_id: int
    status: SaveStatus
    revision: int


def extracted_hash(article: Article) -> str:
    """Fingerprint of the extracted body: a refetch with the same body is no new revision."""
    digest = hashlib.sha256()
    for paragraph in article.paragraphs:
        digest.update(paragraph.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _article_values(article: Article) -> dict[str, object]:
    return {
        "url": article.url,
        "title": article.title,
        "authors": list(article.authors),
        "published_at": article.published_at,
        "published_from": article.published_from,
        "modified_at": article.modified_at,
        "modified_from": article.modified_from,
        "language": article.language,
        "lead": article.lead,
        "encoding": article.encoding,
        "http_status": article.http_status,
        "page_id": article.page_id,
        "truncated": article.truncated,
        "encoding_repaired": article.encoding_repaired,
    }


_INSERT_COLUMNS = (
    "source_id", "canonical_url", "text", "word_count", "extracted_hash", "origin", "revision",
    "first_seen_at", "updated_at", "dedup_state", "is_canonical", "url", "title", "authors",
    "published_at", "published_from", "modified_at", "modified_from", "language", "lead",
    "encoding", "http_status", "page_id", "truncated", "encoding_repaired",
)
_INSERTS: dict[str, Insert] = {}


def _insert_statement(session: Session) -> Insert:
    """The new-article INSERT for the session's dialect, built once with bound parameters
    (a statement built from literal values is re-analysed on every call)."""
    dialect = session.get_bind().dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        table = ArticleRow.__table__
        statement = (
            insert_ignore(session, table, keys=["canonical_url"])  # type: ignore[arg-type]
            .values({name: bindparam(name) for name in _INSERT_COLUMNS})
            .returning(table.c.id)
        )
        _INSERTS[dialect] = statement
    return statement


def _paragraph_rows(article_id: int, article: Article) -> list[dict[str, object]]:
    return [
        {"article_id": article_id, "position": position, "kind": kind, "text": text, "fate": "kept"}
        for position, (text, kind) in enumerate(zip(article.paragraphs, article.kinds, strict=True))
    ]


def _write_body(session: Session, article_id: int, article: Article, *, replace: bool) -> None:
    # Core statements, not ORM objects: an import stores thousands of paragraphs, and the
    # unit of work costs more per row than the insert itself.
    if replace:
        session.execute(delete(ParagraphRow).where(ParagraphRow.article_id == article_id))
    if not article.paragraphs:
        return
    session.execute(insert(cast(Table, ParagraphRow.__table__)), _paragraph_rows(article_id, article))


def _revision_row(article_id: int, revision: int, article: Article, digest: str,
                  now: datetime) -> dict[str, object]:
    # The text of the current revision is its paragraphs (newsdedup.storage.revisions):
    # the row gets it when a newer revision replaces them.
    return {
        "article_id": article_id,
        "revision": revision,
        "page_id": article.page_id,
        "title": article.title,
        "extracted_text": None,
        "extracted_hash": digest,
        "modified_at": article.modified_at,
        "created_at": now,
    }


def _add_revision(session: Session, article_id: int, revision: int, article: Article,
                  digest: str, now: datetime) -> None:
    session.execute(insert(cast(Table, ArticleRevisionRow.__table__)),
                    _revision_row(article_id, revision, article, digest, now))


def _new_row(article: Article, digest: str, *, source_id: int, origin: str,
             now: datetime) -> dict[str, object]:
    return {
        "source_id": source_id,
        "canonical_url": article.canonical_url,
        "text": article.text,
        "word_count": article.word_count,
        "extracted_hash": digest,
        "origin": origin,
        "revision": 1,
        "first_seen_at": now,
        "updated_at": now,
        "dedup_state": "pending",
        "is_canonical": True,
        **_article_values(article),
    }


def save_articles(session: Session, articles: Sequence[tuple[Article, int]], *, origin: str,
                  now: datetime, same_story: SameStory | None = None) -> list[SaveResult]:
    """:func:`save_article` for many ``(article, source_id)`` at once, results in order.

    New canonical URLs are inserted in bulk (articles, first revisions, paragraphs: one
    multi-row statement each); an article whose URL is already stored, or comes again
    later in ``articles``, goes through :func:`save_article` after them, in order, so
    the outcome is the same as saving one after the other.
    """
    digests = [extracted_hash(article) for article, _source in articles]
    first: dict[str, int] = {}
    for index, (article, _source) in enumerate(articles):
        first.setdefault(article.canonical_url, index)
    fresh = sorted(first.values())
    inserted: dict[str, int] = {}
    if fresh:
        rows = [
            _new_row(articles[i][0], digests[i], source_id=articles[i][1], origin=origin, now=now)
            for i in fresh
        ]
        inserted = {
            url: article_id
            for article_id, url in insert_returning(
                session, cast(Table, ArticleRow.__table__), rows,
                conflict=["canonical_url"], returning=["id", "canonical_url"],
            )
        }
    revisions, paragraphs = [], []
    results: list[SaveResult | None] = [None] * len(articles)
    for i in fresh:
        article = articles[i][0]
        article_id = inserted.get(article.canonical_url)
        if article_id is not None:
            revisions.append(_revision_row(article_id, 1, article, digests[i], now))
            paragraphs.extend(_paragraph_rows(article_id, article))
            results[i] = SaveResult(article_id, "new", 1)
    insert_dicts(session, cast(Table, ArticleRevisionRow.__table__), revisions)
    insert_dicts(session, cast(Table, ParagraphRow.__table__), paragraphs)
    for i, (article, source_id) in enumerate(articles):
        if results[i] is None:
            results[i] = save_article(session, article, source_id=source_id, origin=origin,
                                      now=now, same_story=same_story)
    return [result for result in results if result is not None]


def save_article(
    session: Session, article: Article, *, source_id: int, origin: str, now: datetime,
    same_story: SameStory | None = None,
) -> SaveResult:
    """Insert or update the article with ``article.canonical_url``.

    New URL: a new article (revision 1). Same URL, same extracted body: metadata is
    refreshed, nothing else changes (``unchanged``; ``restored`` when it had been marked
    deleted). Same URL, changed body: a new revision (:func:`write_revision`) when
    ``same_story`` says it is the stored story (or no check is given). When it is not,
    two stories must not share a row: a canonical taken from the page's rel=canonical
    is refused (``canonical_taken``) and the article saved under its own URL; when its
    own URL is the one holding the other story, that story moves aside to
    ``<url>#article-<id>`` and the new text is a new article (``different_story``).
    Both are recorded in ``identity_conflicts``. The first source that stored a URL
    keeps it.
    """
    digest = extracted_hash(article)
    values = _article_values(article)
    inserted = session.execute(
        _insert_statement(session),
        _new_row(article, digest, source_id=source_id, origin=origin, now=now),
    ).scalar_one_or_none()
    if inserted is not None:
        _add_revision(session, inserted, 1, article, digest, now)
        _write_body(session, inserted, article, replace=False)
        return SaveResult(inserted, "new", 1)

    row = session.scalars(
        select(ArticleRow).where(ArticleRow.canonical_url == article.canonical_url).with_for_update()
    ).one()
    if row.extracted_hash == digest:
        # Refresh what the page may have improved (a date, an author) without a revision.
        for key in ("title", "authors", "published_at", "published_from", "modified_at",
                    "modified_from", "language", "lead"):
            new_value = values[key]
            if new_value not in (None, [], ""):
                setattr(row, key, new_value)
        if row.deleted_at is not None:
            session.flush()
            restore_deleted(session, row.id)
            session.expire(row)
            return SaveResult(row.id, "restored", row.revision)
        return SaveResult(row.id, "unchanged", row.revision)

    if same_story is not None and not same_story(_stored_story(session, row), article):
        return _save_other_story(session, row, article, source_id=source_id, origin=origin,
                                 now=now, same_story=same_story)
    was_deleted = row.deleted_at is not None
    write_revision(session, row, article, digest, now)
    if was_deleted:
        restore_deleted(session, row.id)
        session.expire(row)
    return SaveResult(row.id, "updated", row.revision)


def write_revision(session: Session, row: ArticleRow, article: Article, digest: str,
                   now: datetime) -> None:
    """Make ``article`` the next revision of the stored article ``row`` (locked by the
    caller): metadata and body replaced, paragraphs rewritten, the revision recorded,
    and ``dedup_state`` back to ``pending`` so the dedup stages run again on it. The
    revision replaced keeps its extracted text on its revision row."""
    archive_current_text(session, row.id, row.revision)
    row.revision += 1
    for key, value in _article_values(article).items():
        setattr(row, key, value)
    row.extracted_hash = digest
    row.text = article.text
    row.word_count = article.word_count
    row.updated_at = now
    row.dedup_state = "pending"
    # A new body gets the full number of dedup attempts again.
    row.dedup_attempts = 0
    row.dedup_error = None
    row.dedup_failed_at = None
    _add_revision(session, row.id, row.revision, article, digest, now)
    session.flush()
    _write_body(session, row.id, article, replace=True)


def follow_move(session: Session, fetched_url: str, article: Article, same_story: SameStory,
                now: datetime, *, redirected: bool = True) -> bool:
    """Keep one row when a stored article's page now names another identity.

    The page fetched as ``fetched_url`` was stored before under one canonical URL and
    now gives ``article.canonical_url`` (a 301 to another URL, a changed rel=canonical).
    When no article holds the new URL and ``same_story`` says the text is the stored
    story, the article moves to the new URL and its former one becomes an alias
    (``redirect`` when the page was redirected, else ``moved``); saving ``article``
    afterwards then makes a revision, not a second row. Whether it moved.
    """
    previous = session.scalar(
        select(UrlStateRow.canonical_url).where(UrlStateRow.url == fetched_url)
    )
    if previous is None or previous == article.canonical_url:
        return False
    taken = session.scalar(
        select(ArticleRow.id).where(ArticleRow.canonical_url == article.canonical_url)
    )
    if taken is not None:
        return False
    row = session.scalars(
        select(ArticleRow).where(ArticleRow.canonical_url == previous).with_for_update()
    ).one_or_none()
    if row is None or not same_story(_stored_story(session, row), article):
        return False
    move_identity(session, row.id, article.canonical_url)
    record_alias(session, row.id, previous, "redirect" if redirected else "moved", now)
    session.expire(row)
    return True


def _stored_story(session: Session, row: ArticleRow) -> StoredStory:
    # The current revision's extracted text: ``row.text`` has lost its repeats and
    # templates to dedup, the new article has not.
    text = revision_text(session, row.id, row.revision)
    return StoredStory(row.id, row.canonical_url, row.title, row.lead,
                       text if text is not None else row.text)


def _save_other_story(
    session: Session, row: ArticleRow, article: Article, *, source_id: int, origin: str,
    now: datetime, same_story: SameStory,
) -> SaveResult:
    own = article.url
    if article.canonical_url != own:
        record_conflict(session, url=own, claimed_url=article.canonical_url,
                        reason="canonical_taken", now=now, other_article_id=row.id,
                        detail="the page's canonical URL holds a different story")
        return save_article(session, replace(article, canonical_url=own), source_id=source_id,
                            origin=origin, now=now, same_story=same_story)
    other = row.id
    moved_to = f"{own}#article-{other}"
    move_identity(session, other, moved_to)
    session.expire(row)
    result = save_article(session, article, source_id=source_id, origin=origin, now=now)
    record_conflict(session, url=own, reason="different_story", now=now,
                    article_id=result.article_id, other_article_id=other,
                    detail=f"the stored story moved to {moved_to}")
    return result
