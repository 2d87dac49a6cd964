"""Source rows: created on first use, looked up by name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdedup.core.records import utcnow
from newsdedup.storage.models import SourceRow
from newsdedup.storage.upsert import upsert

__all__ = ["ensure_sources", "source_ids"]


def ensure_sources(session: Session, names: Iterable[str]) -> dict[str, int]:
    """The ids of ``names``, creating the rows that do not exist yet (idempotent)."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    now = utcnow()
    upsert(
        session,
        SourceRow.__table__,  # type: ignore[arg-type]
        [{"name": name, "created_at": now} for name in wanted],
        keys=["name"],
        update=[],
    )
    return source_ids(session, wanted)


def source_ids(session: Session, names: Iterable[str] | None = None) -> dict[str, int]:
    """Name -> id of the stored sources (all of them when ``names`` is None)."""
    query = select(SourceRow.name, SourceRow.id)
    if names is not None:
        query = query.where(SourceRow.name.in_(list(names)))
    return {name: id_ for name, id_ in session.execute(query)}
