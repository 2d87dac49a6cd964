"""The change feed: a new, larger ``change_id`` for each article a reader can see change.

Call :func:`stamp_changes` in the transaction that makes the change, as its last write
(new article or revision finished by dedup, cluster or canonical change, deletion,
restore, alias). It takes the one row of ``change_counter`` with an UPDATE: on Postgres
that row stays locked until the transaction ends, so a second writer waits for the
first to commit or roll back before it gets its numbers. Change ids therefore become
visible in the order they were given, and a reader who polls with the largest
``change_id`` it has seen (``newsdedup export --after-change N``) never skips one that
commits later with a smaller number. On SQLite, write transactions are exclusive anyway.

The articles' rows are locked (updated) before the counter, so a writer never waits for
an article row while it holds the counter: the counter is held only from the stamp to
the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, event, select, update
from sqlalchemy.orm import Session

from newsdedup.core.records import utcnow
from newsdedup.storage.dedup.batch import chunked
from newsdedup.storage.models import ArticleRow, ChangeCounterRow
from newsdedup.storage.rows import update_rows

__all__ = ["last_change_id", "note_changed", "stamp_changes"]

# Session.info key: articles changed in the session's transaction, stamped at commit.
_NOTED = "newsdedup.changed_articles"

_articles = cast(Table, ArticleRow.__table__)
_counter = cast(Table, ChangeCounterRow.__table__)


def stamp_changes(session: Session, article_ids: Iterable[int],
                  now: datetime | None = None) -> dict[int, int]:
    """Give each article a new ``change_id`` (in id order) and ``changed_at`` = ``now``
    (default: the current time, read once the counter is held).

    Returns article id -> its new change id. Ids of articles that do not exist are
    ignored. Must run inside the caller's transaction, last: the counter row stays locked
    until that transaction ends.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    existing: list[int] = []
    for chunk in chunked(ids):
        # Lock the rows first (see the module docstring); an UPDATE locks them everywhere.
        found = session.execute(
            update(_articles).where(_articles.c.id.in_(chunk))
            .values(change_id=_articles.c.change_id).returning(_articles.c.id)
        )
        existing.extend(row[0] for row in found)
    if not existing:
        return {}
    existing.sort()
    last = session.execute(
        update(_counter).where(_counter.c.id == 1)
        .values(last_change_id=_counter.c.last_change_id + len(existing))
        .returning(_counter.c.last_change_id)
    ).scalar_one()
    moment = now or utcnow()
    first = last - len(existing) + 1
    stamped = {article_id: first + offset for offset, article_id in enumerate(existing)}
    update_rows(session, _articles, "id",
                [{"id": article_id, "change_id": change} for article_id, change in stamped.items()],
                changed_at=moment)
    return stamped


def last_change_id(session: Session) -> int:
    """The largest change id handed out so far (0 before any)."""
    return session.scalar(select(ChangeCounterRow.last_change_id).where(ChangeCounterRow.id == 1)) or 0


def note_changed(session: Session, article_ids: Iterable[int]) -> None:
    """Stamp these articles when the session's transaction commits (after its other
    writes, so the counter is held only from then to the commit: a writer never waits
    for an article row while it holds the counter). For changes made outside the dedup
    stage: deletions, restores, aliases, identity moves."""
    session.info.setdefault(_NOTED, set()).update(article_ids)


@event.listens_for(Session, "before_commit")
def _stamp_noted(session: Session) -> None:
    noted = session.info.pop(_NOTED, None)
    if noted:
        stamp_changes(session, noted)


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)
