"""Fetched pages: stored compressed, read back as pending work for the process phase."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from newsdedup.core.records import FetchedPage, PageHints
from newsdedup.storage.models import PageRow, SourceRow
from newsdedup.storage.rows import update_rows

__all__ = [
    "PageOutcome",
    "body_hash",
    "count_pending",
    "decompress_body",
    "load_pages",
    "mark_processed",
    "page_values",
    "pending_page_ids",
    "reset_processed",
    "save_page",
    "save_pages",
]

_COMPRESSION_LEVEL = 6


def body_hash(body: bytes) -> str:
    """The hex SHA-256 of a raw body (``content_hash`` in pages and url_state)."""
    return hashlib.sha256(body).hexdigest()


def _hints_json(hints: PageHints) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if hints.title:
        data["title"] = hints.title
    if hints.published_at is not None:
        data["published_at"] = hints.published_at.isoformat()
        data["published_from"] = hints.published_from
    if hints.discovered_from:
        data["discovered_from"] = hints.discovered_from
    return data


def _hints_from_json(data: dict[str, Any] | None) -> PageHints:
    if not data:
        return PageHints()
    published = data.get("published_at")
    return PageHints(
        title=data.get("title"),
        published_at=datetime.fromisoformat(published) if published else None,
        published_from=data.get("published_from"),
        discovered_from=data.get("discovered_from"),
    )


def page_values(
    page: FetchedPage,
    *,
    source_id: int,
    url_state_id: int,
    run_id: int | None,
    content_hash: str | None = None,
) -> dict[str, Any]:
    """The ``pages`` row of ``page`` as column values (body compressed), for
    :func:`save_pages`. ``content_hash`` saves hashing the body again when known."""
    return {
        "source_id": source_id,
        "url_state_id": url_state_id,
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "headers": dict(page.headers),
        "body": zlib.compress(page.body, _COMPRESSION_LEVEL),
        "body_size": len(page.body),
        "content_hash": content_hash or body_hash(page.body),
        "hints": _hints_json(page.hints),
        "fetched_at": page.fetched_at,
    }


def save_page(
    session: Session,
    page: FetchedPage,
    *,
    source_id: int,
    url_state_id: int,
    run_id: int | None,
) -> int:
    """Store ``page`` as pending work; return its id. The body is zlib-compressed."""
    row = PageRow(**page_values(page, source_id=source_id, url_state_id=url_state_id,
                                run_id=run_id))
    session.add(row)
    session.flush()
    return row.id


def save_pages(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Store many pages (rows from :func:`page_values`) in one statement; no ids back."""
    if rows:
        session.execute(insert(PageRow), list(rows))


def _source_filter(source_ids: Sequence[int] | None) -> Any:
    return True if source_ids is None else PageRow.source_id.in_(list(source_ids))


def pending_page_ids(
    session: Session, source_ids: Sequence[int] | None = None, *, limit: int | None = None
) -> list[int]:
    """Ids of unprocessed pages, oldest first (optionally of some sources only)."""
    query = (
        select(PageRow.id)
        .where(PageRow.processed_at.is_(None), _source_filter(source_ids))
        .order_by(PageRow.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_pending(session: Session, source_ids: Sequence[int] | None = None) -> int:
    query = select(func.count()).where(PageRow.processed_at.is_(None), _source_filter(source_ids))
    return int(session.scalar(query) or 0)


def decompress_body(stored: bytes) -> bytes:
    """A page's body as fetched, from the ``body`` column (see ``load_pages(compressed=True)``)."""
    return zlib.decompress(stored)


def load_pages(session: Session, page_ids: Sequence[int], *,
               compressed: bool = False) -> Iterator[FetchedPage]:
    """The pages with these ids as records, in id order: body decompressed, or as stored
    when ``compressed`` (for a process that decompresses it with :func:`decompress_body`)."""
    query = (
        select(PageRow, SourceRow.name)
        .join(SourceRow, SourceRow.id == PageRow.source_id)
        .where(PageRow.id.in_(list(page_ids)))
        .order_by(PageRow.id)
    )
    for row, source in session.execute(query):
        yield FetchedPage(
            source=source,
            url=row.url,
            final_url=row.final_url,
            status=row.status,
            headers=row.headers or {},
            body=row.body if compressed else zlib.decompress(row.body),
            fetched_at=row.fetched_at,
            hints=_hints_from_json(row.hints),
            page_id=row.id,
        )


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What processing made of a page: ``article`` (with its id), ``rejected`` or ``failed``."""

    page_id: int
    outcome: str
    reason: str | None = None
    article_id: int | None = None


def mark_processed(session: Session, outcomes: Sequence[PageOutcome], now: datetime) -> None:
    """Record each page's outcome and release its claim (one statement for them all)."""
    if not outcomes:
        return
    update_rows(
        session, cast(Table, PageRow.__table__), "id",
        [{"id": item.page_id, "outcome": item.outcome, "reason": item.reason,
          "article_id": item.article_id} for item in outcomes],
        processed_at=now, claimed_by=None, claimed_until=None,
    )


def reset_processed(session: Session, source_ids: Sequence[int] | None = None) -> int:
    """Mark the newest page of each URL pending again (for ``reprocess``); returns how many.

    Older fetches of a URL stay processed: replaying them would only walk the article
    through revisions it already had.
    """
    newest = (
        select(func.max(PageRow.id))
        .where(_source_filter(source_ids))
        .group_by(PageRow.url_state_id)
        .scalar_subquery()
    )
    result = session.execute(
        update(PageRow)
        .where(PageRow.id.in_(newest), PageRow.processed_at.is_not(None))
        .values(processed_at=None, outcome=None, reason=None, claimed_by=None,
                claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
