"""Read-only summaries of what is stored: per source, per rejection reason, per story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdedup.storage.models import ArticleRow, PageRow, SourceRow

__all__ = ["StoryOutlet", "articles_per_source", "rejections_by_reason", "syndicated_stories"]


def articles_per_source(session: Session) -> dict[str, int]:
    query = (
        select(SourceRow.name, func.count(ArticleRow.id))
        .join(ArticleRow, ArticleRow.source_id == SourceRow.id)
        .group_by(SourceRow.name)
        .order_by(SourceRow.name)
    )
    return {name: int(count) for name, count in session.execute(query)}


def rejections_by_reason(session: Session) -> dict[str, int]:
    """Processed pages that did not become articles, by reason (``failed`` included)."""
    query = (
        select(PageRow.reason, func.count())
        .where(PageRow.outcome.in_(("rejected", "failed")))
        .group_by(PageRow.reason)
        .order_by(func.count().desc())
    )
    return {str(reason): int(count) for reason, count in session.execute(query)}


@dataclass(frozen=True, slots=True)
class StoryOutlet:
    """One article of a syndicated story."""

    cluster_id: int
    article_id: int
    source: str
    title: str | None
    url: str
    is_canonical: bool
    similarity: float | None
    match_method: str | None


def syndicated_stories(session: Session, *, min_outlets: int = 2,
                       limit: int = 50) -> list[list[StoryOutlet]]:
    """Stories carried by at least ``min_outlets`` articles, canonical first in each."""
    sizes = (
        select(ArticleRow.cluster_id)
        .where(ArticleRow.cluster_id.is_not(None))
        .group_by(ArticleRow.cluster_id)
        .having(func.count() >= min_outlets)
        .order_by(ArticleRow.cluster_id)
        .limit(limit)
    )
    cluster_ids: Sequence[int] = [c for c in session.scalars(sizes) if c is not None]
    if not cluster_ids:
        return []
    query = (
        select(ArticleRow, SourceRow.name)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ArticleRow.cluster_id.in_(cluster_ids))
        .order_by(ArticleRow.cluster_id, ArticleRow.is_canonical.desc(), ArticleRow.id)
    )
    stories: dict[int, list[StoryOutlet]] = {}
    for row, source in session.execute(query):
        assert row.cluster_id is not None
        stories.setdefault(row.cluster_id, []).append(
            StoryOutlet(row.cluster_id, row.id, source, row.title, row.url, row.is_canonical,
                        row.similarity, row.match_method)
        )
    return list(stories.values())
