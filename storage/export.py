"""The downstream view of articles: the export record, streamed from the database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdedup.storage.models import ArticleRow, SourceRow

__all__ = ["EXPORT_FIELDS", "iter_export"]

#: The fields of one exported article, in order (a stable interface: extend only).
EXPORT_FIELDS = (
    "id",
    "source",
    "url",
    "canonical_url",
    "title",
    "authors",
    "published_at",
    "language",
    "text",
    "cluster_id",
    "is_canonical",
    "duplicate_of",
    "first_seen_at",
    "updated_at",
    "truncated",
    "encoding_repaired",
    "deleted_at",
    "change_id",
    "changed_at",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def iter_export(
    session: Session,
    *,
    sources: Sequence[str] = (),
    since: datetime | None = None,
    after_change: int | None = None,
    canonical_only: bool = False,
    batch_size: int = 500,
) -> Iterator[dict[str, Any]]:
    """Yield export records, oldest id first, fetching ``batch_size`` rows at a time.

    Only articles the dedup stages have finished are exported, so a reader never sees a
    body that still carries its repeats and templates. ``since`` filters on
    ``changed_at`` (when the article's last visible change became visible).
    ``after_change``: only articles whose ``change_id`` is greater, in ``change_id``
    order (the change feed, ``newsdedup.storage.changes``).
    """
    query = (
        select(ArticleRow, SourceRow.name)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ArticleRow.dedup_state == "done")
        .execution_options(yield_per=batch_size)
    )
    if after_change is not None:
        query = query.where(ArticleRow.change_id > after_change).order_by(ArticleRow.change_id)
    else:
        query = query.order_by(ArticleRow.id)
    if sources:
        query = query.where(SourceRow.name.in_(list(sources)))
    if since is not None:
        query = query.where(ArticleRow.changed_at >= since)
    if canonical_only:
        query = query.where(ArticleRow.is_canonical.is_(True))
    for row, source in session.execute(query):
        yield {
            "id": row.id,
            "source": source,
            "url": row.url,
            "canonical_url": row.canonical_url,
            "title": row.title,
            "authors": list(row.authors or []),
            "published_at": _iso(row.published_at),
            "language": row.language,
            "text": row.text,
            "cluster_id": row.cluster_id,
            "is_canonical": bool(row.is_canonical),
            "duplicate_of": row.duplicate_of,
            "first_seen_at": _iso(row.first_seen_at),
            "updated_at": _iso(row.updated_at),
            "truncated": bool(row.truncated),
            "encoding_repaired": bool(row.encoding_repaired),
            "deleted_at": _iso(row.deleted_at),
            "change_id": row.change_id,
            "changed_at": _iso(row.changed_at),
        }
        session.expunge(row)  # keep the identity map from growing with the export
