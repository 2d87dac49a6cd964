"""Dropping derived dedup data so the stages rebuild it (``newsdedup reprocess --dedup``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from newsdedup.storage.dedup.batch import chunked
from newsdedup.storage.models import (
    ArticleRow,
    ArticleSignatureRow,
    ClusterRow,
    DedupSchemeRow,
    LshBandRow,
    ParagraphBandRow,
    ParagraphGroupRow,
    ParagraphRow,
)

__all__ = ["articles_of_sources", "clear_all", "clear_source_groups", "reset_articles"]

_UNDONE = {
    "dedup_state": "pending",
    "cluster_id": None,
    "is_canonical": True,
    "duplicate_of": None,
    "similarity": None,
    "match_method": None,
    "dedup_attempts": 0,
    "dedup_error": None,
    "dedup_failed_at": None,
}


def clear_all(session: Session) -> int:
    """Drop every signature, band, paragraph group and cluster; every article pending.

    Returns the number of articles now pending.
    """
    for table in (LshBandRow, ParagraphBandRow, ParagraphGroupRow, ArticleSignatureRow):
        session.execute(delete(table))
    session.execute(delete(DedupSchemeRow))
    session.execute(update(ArticleRow).values(**_UNDONE))
    session.execute(delete(ClusterRow))
    session.execute(update(ParagraphRow).values(fate="kept", duplicate_of=None, fingerprint=None))
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def clear_source_groups(session: Session, source_ids: Sequence[int]) -> None:
    """Drop the paragraph groups (template counts) and their bands of these sources."""
    ids = list(source_ids)
    session.execute(delete(ParagraphBandRow).where(ParagraphBandRow.source_id.in_(ids)))
    session.execute(delete(ParagraphGroupRow).where(ParagraphGroupRow.source_id.in_(ids)))


def articles_of_sources(session: Session, source_ids: Sequence[int], after_id: int,
                        limit: int) -> list[tuple[int, int | None]]:
    """``(id, cluster_id)`` of the sources' articles with ids above ``after_id``, by id."""
    rows = session.execute(
        select(ArticleRow.id, ArticleRow.cluster_id)
        .where(ArticleRow.source_id.in_(list(source_ids)))
        .where(ArticleRow.id > after_id)
        .order_by(ArticleRow.id)
        .limit(limit)
    )
    return [(article_id, cluster_id) for article_id, cluster_id in rows]


def reset_articles(session: Session, article_ids: Sequence[int]) -> None:
    """Mark articles pending, unclustered, with every paragraph kept again."""
    for chunk in chunked(article_ids):
        session.execute(update(ArticleRow).where(ArticleRow.id.in_(chunk)).values(**_UNDONE))
        session.execute(
            update(ParagraphRow)
            .where(ParagraphRow.article_id.in_(chunk))
            .values(fate="kept", duplicate_of=None, fingerprint=None)
        )
