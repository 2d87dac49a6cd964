"""What the metrics endpoint reads from the database at each scrape, for all sources at once.

Three grouped queries whatever the number of sources: the last successful crawl run,
the failures since it (the streak ``status`` counts), and the pages still pending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from newsdedup.storage.health import CRAWL_TRIGGERS, FAILURE_STATUSES, after_last_success
from newsdedup.storage.models import CrawlRunRow, PageRow, SourceRow

__all__ = ["SourceGauges", "source_gauges"]


@dataclass(frozen=True, slots=True)
class SourceGauges:
    """One source as the database says now."""

    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    pending_pages: int = 0


def _pairs(session: Session, query: Select[*tuple[Any, ...]]) -> dict[Any, Any]:
    return {key: value for key, value in session.execute(query)}


def source_gauges(session: Session, names: Iterable[str]) -> dict[str, SourceGauges]:
    """Name -> gauges for each of ``names`` (zeros for a source never run)."""
    wanted = list(dict.fromkeys(names))
    crawl = (CrawlRunRow.trigger.in_(CRAWL_TRIGGERS),)
    last_success = _pairs(session, (
        select(SourceRow.name, func.max(CrawlRunRow.started_at))
        .join(CrawlRunRow, CrawlRunRow.source_id == SourceRow.id)
        .where(SourceRow.name.in_(wanted), CrawlRunRow.status == "success", *crawl)
        .group_by(SourceRow.name)
    )) if wanted else {}
    streaks = _pairs(session, (
        select(SourceRow.name, func.count())
        .join(CrawlRunRow, CrawlRunRow.source_id == SourceRow.id)
        .where(SourceRow.name.in_(wanted), CrawlRunRow.status.in_(FAILURE_STATUSES), *crawl,
               after_last_success())
        .group_by(SourceRow.name)
    )) if wanted else {}
    pending = _pairs(session, (
        select(SourceRow.name, func.count())
        .join(PageRow, PageRow.source_id == SourceRow.id)
        .where(SourceRow.name.in_(wanted), PageRow.processed_at.is_(None))
        .group_by(SourceRow.name)
    )) if wanted else {}
    return {
        name: SourceGauges(last_success.get(name), int(streaks.get(name, 0)),
                           int(pending.get(name, 0)))
        for name in wanted
    }
