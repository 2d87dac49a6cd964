"""An article's visible life after its first save: deletion, restoration, aliases, moves.

Every change a downstream reader can see, other than a new article or a new revision
(:func:`newsdedup.storage.articles.write_revision`), goes through one function here, in the
caller's transaction, so that whatever must accompany a visible change (the change
feed's stamp) is added in one place. Conflicts of URL identity, which change nothing a
reader sees, are recorded by :func:`record_conflict`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from newsdedup.storage.changes import note_changed
from newsdedup.storage.models import ArticleAliasRow, ArticleRow, IdentityConflictRow, UrlStateRow
from newsdedup.storage.upsert import insert_ignore

__all__ = [
    "CONFLICT_REASONS",
    "article_for_url",
    "mark_deleted",
    "move_identity",
    "record_alias",
    "record_conflict",
    "restore_deleted",
]

log = logging.getLogger(__name__)

#: Why an identity was refused (``identity_conflicts.reason``).
CONFLICT_REASONS = ("canonical_root", "canonical_section", "canonical_taken", "different_story")


def article_for_url(session: Session, url: str) -> int | None:
    """The id of the article stored for the fetched URL ``url`` (an url_state identity):
    under its recorded canonical URL, under ``url`` itself, or through an alias."""
    canonical = session.scalar(select(UrlStateRow.canonical_url).where(UrlStateRow.url == url))
    for key in dict.fromkeys(filter(None, (canonical, url))):
        found = session.scalar(select(ArticleRow.id).where(ArticleRow.canonical_url == key))
        if found is not None:
            return int(found)
    alias = session.scalar(select(ArticleAliasRow.article_id).where(ArticleAliasRow.url == url))
    return int(alias) if alias is not None else None


def mark_deleted(session: Session, article_ids: Sequence[int], now: datetime) -> list[int]:
    """Mark these articles deleted (their page answered 404 or 410) unless they already
    are; the rows and their text stay. Returns the ids newly marked."""
    if not article_ids:
        return []
    ids = list(
        session.scalars(
            select(ArticleRow.id).where(
                ArticleRow.id.in_(list(article_ids)), ArticleRow.deleted_at.is_(None)
            )
        )
    )
    if ids:
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.id.in_(ids))
            .values(deleted_at=now)
            .execution_options(synchronize_session=False)
        )
        note_changed(session, ids)
    return ids


def restore_deleted(session: Session, article_id: int) -> bool:
    """Clear the deletion of an article whose page answered again; whether it was deleted."""
    result = session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == article_id, ArticleRow.deleted_at.is_not(None))
        .values(deleted_at=None)
        .execution_options(synchronize_session=False)
    )
    restored = bool(result.rowcount)  # type: ignore[attr-defined]
    if restored:
        note_changed(session, [article_id])
    return restored


def record_alias(session: Session, article_id: int, url: str, reason: str, now: datetime) -> bool:
    """Record ``url`` as another URL of the article (``redirect``: it answered a 301 to
    the article's URL; ``moved``: the article's former identity). An alias already
    recorded stays with its article. Whether a new alias was recorded."""
    statement = insert_ignore(session, ArticleAliasRow.__table__, keys=["url"])  # type: ignore[arg-type]
    result = session.execute(
        statement.values(article_id=article_id, url=url, reason=reason, created_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def move_identity(session: Session, article_id: int, new_url: str) -> None:
    """Give the article the canonical URL ``new_url`` (free, checked by the caller)."""
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == article_id)
        .values(canonical_url=new_url)
        .execution_options(synchronize_session=False)
    )
    note_changed(session, [article_id])


def record_conflict(
    session: Session, *, url: str, reason: str, now: datetime, claimed_url: str | None = None,
    article_id: int | None = None, other_article_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Record (and log) an identity newsdedup refused, ``reason`` one of CONFLICT_REASONS."""
    if reason not in CONFLICT_REASONS:
        raise ValueError(f"unknown identity conflict reason {reason!r}")
    log.info("identity: %s: %s%s%s", url, reason,
             f" (claimed {claimed_url})" if claimed_url else "", f": {detail}" if detail else "")
    session.add(IdentityConflictRow(
        url=url, claimed_url=claimed_url, reason=reason, article_id=article_id,
        other_article_id=other_article_id, detail=detail, created_at=now,
    ))
