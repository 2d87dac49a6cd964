"""Articles the dedup stage failed on: attempts, quarantine, bounded retries.

An attempt is counted (``dedup_attempts``) in a transaction of its own before a batch
is deduplicated, and cleared when the batch commits; so a batch that raised, or a
process killed in the middle of one (out of memory), leaves its articles pending with
attempts counted. The stage then deduplicates such articles one at a time, and sets
aside (``dedup_state = 'failed'``, with ``dedup_error``) one that fails alone; the rest
of the batch, other sources and later runs go on. A quarantined article is tried
again by later runs until it reaches the attempts limit, then stays failed until its
page changes (a new revision) or ``newsdedup reprocess --dedup``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from newsdedup.storage.dedup.batch import chunked
from newsdedup.storage.models import ArticleRow, SourceRow

__all__ = [
    "QUARANTINED",
    "Quarantine",
    "begin_attempt",
    "clear_attempts",
    "quarantine",
    "quarantined_by_source",
    "retry_quarantined",
    "still_pending",
    "undo_attempt",
]

#: The ``dedup_state`` of a quarantined article.
QUARANTINED = "failed"
#: How long a stored reason may be (the first line of the error, cut).
_MAX_ERROR_CHARS = 500


def _of_sources(source_ids: Sequence[int] | None) -> ColumnElement[bool]:
    if source_ids is None:
        return ArticleRow.id.is_not(None)
    return ArticleRow.source_id.in_(list(source_ids))


def begin_attempt(session: Session, article_ids: Iterable[int]) -> None:
    """Count one more dedup attempt for each article (commit before deduplicating)."""
    for chunk in chunked(article_ids):
        session.execute(
            update(ArticleRow).where(ArticleRow.id.in_(chunk))
            .values(dedup_attempts=ArticleRow.dedup_attempts + 1)
        )


def still_pending(session: Session, article_ids: Sequence[int]) -> set[int]:
    """Those of ``article_ids`` still pending (another process may have done some)."""
    found: set[int] = set()
    for chunk in chunked(article_ids):
        found.update(session.scalars(
            select(ArticleRow.id).where(ArticleRow.id.in_(chunk), ArticleRow.dedup_state == "pending")
        ))
    return found


def undo_attempt(session: Session, article_ids: Iterable[int]) -> None:
    """Take back an attempt that was stopped on purpose (a signal, not a failure)."""
    for chunk in chunked(article_ids):
        session.execute(
            update(ArticleRow).where(ArticleRow.id.in_(chunk), ArticleRow.dedup_attempts > 0)
            .values(dedup_attempts=ArticleRow.dedup_attempts - 1)
        )


def clear_attempts(session: Session, article_ids: Iterable[int]) -> None:
    """Deduplicated: no attempts, no error (in the batch's own transaction)."""
    for chunk in chunked(article_ids):
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.id.in_(chunk), ArticleRow.dedup_attempts != 0)
            .values(dedup_attempts=0, dedup_error=None, dedup_failed_at=None)
        )


def quarantine(session: Session, article_id: int, reason: str, now: datetime) -> None:
    """Set the article aside as failed, with ``reason`` (one line)."""
    line = " ".join(reason.split())[:_MAX_ERROR_CHARS]
    session.execute(
        update(ArticleRow).where(ArticleRow.id == article_id)
        .values(dedup_state=QUARANTINED, dedup_error=line, dedup_failed_at=now)
    )


def retry_quarantined(session: Session, source_ids: Sequence[int] | None, max_attempts: int,
                      now: datetime) -> tuple[int, int]:
    """At the start of a dedup run: quarantine pending articles that already used up
    their attempts (crashes cut each of them short), and make quarantined ones with
    attempts left pending again. Returns ``(quarantined, retried)``."""
    wanted = _of_sources(source_ids)
    crashed = session.execute(
        update(ArticleRow)
        .where(wanted, ArticleRow.dedup_state == "pending",
               ArticleRow.dedup_attempts >= max_attempts)
        .values(dedup_state=QUARANTINED, dedup_failed_at=now,
                dedup_error=func.coalesce(
                    ArticleRow.dedup_error,
                    f"the process stopped during each of {max_attempts} attempts "
                    "(killed: out of memory or time?)",
                ))
    ).rowcount  # type: ignore[attr-defined]
    retried = session.execute(
        update(ArticleRow)
        .where(wanted, ArticleRow.dedup_state == QUARANTINED,
               ArticleRow.dedup_attempts < max_attempts)
        .values(dedup_state="pending")
    ).rowcount  # type: ignore[attr-defined]
    return crashed or 0, retried or 0


@dataclass(frozen=True, slots=True)
class Quarantine:
    """A source's quarantined articles: how many, and the latest one's id, reason,
    attempts and time."""

    count: int
    article_id: int
    error: str | None
    attempts: int
    failed_at: datetime | None


def quarantined_by_source(session: Session, names: Sequence[str]) -> dict[str, Quarantine]:
    """The quarantined articles of each source in ``names`` that has any."""
    counts: dict[str, int] = {
        name: count
        for name, count in session.execute(
            select(SourceRow.name, func.count())
            .join(ArticleRow, ArticleRow.source_id == SourceRow.id)
            .where(SourceRow.name.in_(list(names)), ArticleRow.dedup_state == QUARANTINED)
            .group_by(SourceRow.name)
        )
    }
    found: dict[str, Quarantine] = {}
    for name, count in counts.items():
        row = session.execute(
            select(ArticleRow.id, ArticleRow.dedup_error, ArticleRow.dedup_attempts,
                   ArticleRow.dedup_failed_at)
            .join(SourceRow, ArticleRow.source_id == SourceRow.id)
            .where(SourceRow.name == name, ArticleRow.dedup_state == QUARANTINED)
            .order_by(ArticleRow.dedup_failed_at.desc(), ArticleRow.id.desc())
            .limit(1)
        ).one()
        found[name] = Quarantine(count, row.id, row.dedup_error, row.dedup_attempts,
                                 row.dedup_failed_at)
    return found
