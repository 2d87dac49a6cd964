"""One stored copy of each revision's text (issue 12): the current revision's is its
paragraphs, an earlier one's its revision row; migration 0009 converts older databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from alembic import command
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from newsdedup.core.errors import StorageError
from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
from newsdedup.storage.export import iter_export
from newsdedup.storage.migrate import _alembic_config, current_revision, head_revision, upgrade
from newsdedup.storage.models import ArticleRevisionRow, ArticleRow, ParagraphRow, SourceRow
from newsdedup.storage.revisions import revision_text, revision_texts
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
URL = "https://a.example/story"


def article(*body: str, url: str = URL) -> Article:
    return Article(source="a", url=url, canonical_url=url, title="A story", paragraphs=body)


def save(db: Database, body: Article, now: datetime = NOW) -> None:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        save_article(session, body, source_id=source_id, origin="crawl", now=now)


def stored_texts(db: Database, article_id: int = 1) -> list[str | None]:
    with db.reader() as session:
        return list(session.scalars(
            select(ArticleRevisionRow.extracted_text).where(ArticleRevisionRow.article_id == article_id)
            .order_by(ArticleRevisionRow.revision)))


def test_each_revision_text_is_stored_once_and_read_back(db: Database) -> None:
    first = article("Opening paragraph.", "Second paragraph.")
    second = article("Opening paragraph, corrected.", "Second paragraph.", "An added one.")
    third = article("Opening paragraph, corrected.", "An added one.")
    for number, body in enumerate((first, second, third)):
        save(db, body, NOW + timedelta(hours=number))
        # The current revision's text is its paragraphs, not a second copy.
        assert stored_texts(db)[-1] is None
    assert stored_texts(db) == [first.text, second.text, None]
    with db.reader() as session:
        assert revision_texts(session, 1) == {1: first.text, 2: second.text, 3: third.text}
        assert revision_text(session, 1, 3) == third.text
        assert revision_text(session, 1, 4) is None
        assert session.scalar(select(ArticleRow.text).where(ArticleRow.id == 1)) == third.text


def test_an_unchanged_refetch_keeps_the_paragraphs_as_the_text(db: Database) -> None:
    body = article("Only paragraph.")
    save(db, body)
    save(db, body, NOW + timedelta(hours=1))
    assert stored_texts(db) == [None]
    with db.reader() as session:
        assert revision_texts(session, 1) == {1: body.text}


def test_an_earlier_revision_without_its_text_is_an_error_not_a_guess(db: Database) -> None:
    save(db, article("First."))
    save(db, article("Second."), NOW + timedelta(hours=1))
    with db.session() as session:
        session.execute(text("UPDATE article_revisions SET extracted_text = NULL WHERE revision = 1"))
    with db.reader() as session, pytest.raises(StorageError, match="revision 1 has no text"):
        revision_text(session, 1, 1)


# -- migration 0009 --

_REVISIONS = [
    ("First text.", "Kept paragraph."),
    ("First text, revised.", "Kept paragraph.", "Kept paragraph."),
    ("Third text.", "Kept paragraph.", "Kept paragraph.", "Printed on every page."),
]
_FATES = [("kept", None), ("kept", None), ("repeat", 1), ("template", None)]


def _insert(session: Session, row_type: Any, rows: list[dict[str, Any]]) -> None:
    session.execute(insert(cast(Table, row_type.__table__)), rows)


def _article_row(article_id: int, revision: int, clean: str) -> dict[str, Any]:
    url = f"https://a.example/{article_id}"
    return {"id": article_id, "source_id": 1, "canonical_url": url, "url": url, "title": "T",
            "authors": [], "text": clean, "word_count": 3, "extracted_hash": f"h{article_id}",
            "origin": "crawl", "revision": revision, "first_seen_at": NOW, "updated_at": NOW,
            "dedup_state": "done", "cluster_id": None, "is_canonical": True,
            "change_id": article_id, "changed_at": NOW}


def _build_at_0008(session: Session) -> None:
    """Rows as the writers of schema revision 0008 left them: every revision's text on its
    row, the current one's also in the paragraphs (with fates) and, clean, in the article."""
    _insert(session, SourceRow, [{"id": 1, "name": "a", "created_at": NOW}])
    kept = [p for p, (fate, _) in zip(_REVISIONS[-1], _FATES, strict=True) if fate == "kept"]
    _insert(session, ArticleRow, [_article_row(1, 3, "\n\n".join(kept)),
                                  _article_row(2, 1, "Lone text."),
                                  _article_row(3, 1, "Text without paragraphs.")])
    revisions = [(1, number + 1, "\n\n".join(body)) for number, body in enumerate(_REVISIONS)]
    revisions += [(2, 1, "Lone text."), (3, 1, "Text without paragraphs.")]
    _insert(session, ArticleRevisionRow, [
        {"article_id": a, "revision": r, "title": "T", "extracted_text": body,
         "extracted_hash": f"h{a}.{r}", "created_at": NOW} for a, r, body in revisions])
    _insert(session, ParagraphRow, [
        {"article_id": 1, "position": position, "kind": "text", "text": body, "fate": fate,
         "duplicate_of": duplicate_of, "fingerprint": position * 7}
        for position, (body, (fate, duplicate_of)) in enumerate(zip(_REVISIONS[-1], _FATES, strict=True))
    ] + [{"article_id": 2, "position": 0, "kind": "text", "text": "Lone text.", "fate": "kept",
          "duplicate_of": None, "fingerprint": None}])


def _fates(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(
        select(ParagraphRow.article_id, ParagraphRow.position, ParagraphRow.kind, ParagraphRow.text,
               ParagraphRow.fate, ParagraphRow.duplicate_of, ParagraphRow.fingerprint)
        .order_by(ParagraphRow.article_id, ParagraphRow.position))]


def _export(session: Session) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in iter_export(session))


def test_migration_0009_keeps_every_revision_fate_and_export(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db.session() as session:
            command.upgrade(_alembic_config(session.connection()), "0008")
        with db.session() as session:
            _build_at_0008(session)
        with db.reader() as session:
            fates, export = _fates(session), _export(session)
        assert upgrade(db)
        assert current_revision(db) == head_revision()
        with db.reader() as session:
            assert revision_texts(session, 1) == {n + 1: "\n\n".join(b) for n, b in enumerate(_REVISIONS)}
            assert revision_texts(session, 2) == {1: "Lone text."}
            assert revision_texts(session, 3) == {1: "Text without paragraphs."}
            assert _fates(session) == fates
            assert _export(session) == export
        # The current revisions' copies are gone, but for the one its paragraphs do not give back.
        assert stored_texts(db, 1) == ["First text.\n\nKept paragraph.",
                                       "First text, revised.\n\nKept paragraph.\n\nKept paragraph.", None]
        assert stored_texts(db, 2) == [None]
        assert stored_texts(db, 3) == ["Text without paragraphs."]

        # A new revision after the upgrade: the replaced one gets its text back on its row.
        save(db, Article(source="a", url="https://a.example/1", canonical_url="https://a.example/1",
                         title="T", paragraphs=("Fourth text.",)), NOW + timedelta(days=1))
        assert stored_texts(db, 1)[2:] == ["\n\n".join(_REVISIONS[-1]), None]

        with db.session() as session:
            command.downgrade(_alembic_config(session.connection()), "0008")
        assert stored_texts(db, 1)[3] == "Fourth text."
        assert stored_texts(db, 2) == ["Lone text."]
        with db.reader() as session:
            nulls = session.scalar(select(func.count()).select_from(ArticleRevisionRow)
                                   .where(ArticleRevisionRow.extracted_text.is_(None)))
            assert nulls == 0
            assert session.scalar(text("SELECT count(*) FROM article_revisions")) == 6
    finally:
        db.dispose()
