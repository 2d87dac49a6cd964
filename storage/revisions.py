"""Where the extracted text of each revision lives: the one module that knows.

The current revision's extracted text is its ``paragraphs`` rows (every extracted
paragraph, in order, with its fate): its ``article_revisions`` row keeps title, hash
and dates, and ``extracted_text`` NULL. When a newer revision replaces the paragraphs,
:func:`archive_current_text` first writes the paragraphs joined by a blank line (what
``Article.text`` is) into that row, so every earlier revision holds its own text. One
copy of each revision's extracted text, and the clean body in ``articles.text``.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, and_, select, update
from sqlalchemy.orm import Session

from newsdedup.core.errors import StorageError
from newsdedup.storage.models import ArticleRevisionRow, ArticleRow, ParagraphRow

__all__ = [
    "PARAGRAPH_SEPARATOR",
    "archive_current_text",
    "current_extracted_text",
    "revision_text",
    "revision_texts",
]

#: What joins the extracted paragraphs into a revision's text (``Article.text``).
PARAGRAPH_SEPARATOR = "\n\n"

_revisions = cast(Table, ArticleRevisionRow.__table__)


def current_extracted_text(session: Session, article_id: int) -> str:
    """The extracted text of the article's current revision, from its paragraphs."""
    texts = session.scalars(
        select(ParagraphRow.text).where(ParagraphRow.article_id == article_id)
        .order_by(ParagraphRow.position)
    )
    return PARAGRAPH_SEPARATOR.join(texts)


def revision_text(session: Session, article_id: int, revision: int) -> str | None:
    """The extracted text of revision ``revision`` of the article (None: no such revision).
    Raises StorageError for an earlier revision without its text (a damaged database)."""
    found = session.execute(
        select(ArticleRevisionRow.extracted_text, ArticleRow.revision)
        .join(ArticleRow, ArticleRow.id == ArticleRevisionRow.article_id)
        .where(ArticleRevisionRow.article_id == article_id, ArticleRevisionRow.revision == revision)
    ).one_or_none()
    if found is None:
        return None
    stored, current = found
    if stored is not None:
        return stored
    if revision != current:
        # Only the current revision's text is left to its paragraphs.
        raise StorageError(f"article_revisions: article {article_id} revision {revision} has no "
                           "text stored, and only the current revision's lives in its paragraphs")
    return current_extracted_text(session, article_id)


def revision_texts(session: Session, article_id: int) -> dict[int, str]:
    """Revision number -> extracted text, for every revision of the article."""
    numbers = session.scalars(
        select(ArticleRevisionRow.revision).where(ArticleRevisionRow.article_id == article_id)
        .order_by(ArticleRevisionRow.revision)
    ).all()
    found = {number: revision_text(session, article_id, number) for number in numbers}
    return {number: body for number, body in found.items() if body is not None}


def archive_current_text(session: Session, article_id: int, revision: int) -> None:
    """Before the paragraphs of revision ``revision`` (the current one) are replaced: keep
    its extracted text on its revision row. A row that holds its text already (written
    before schema revision 0009 left it to the paragraphs) keeps it."""
    session.execute(
        update(_revisions)
        .where(and_(_revisions.c.article_id == article_id, _revisions.c.revision == revision,
                    _revisions.c.extracted_text.is_(None)))
        .values(extracted_text=current_extracted_text(session, article_id))
    )

