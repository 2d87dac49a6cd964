"""Per-source crawl history for scheduling and health: last runs, failures, article counts.

Only crawl runs count here (triggers ``schedule``, ``cron``, ``manual``); a failure is a
run that ended ``failed``, ``timeout`` or ``abandoned``. An ``interrupted`` run (stopped
by an operator or a shutdown) is neither a failure nor a success, and ``running`` runs
are not finished yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.models import ArticleRow, CrawlRunRow, UrlStateRow
from storage.runs import RunView, run_view
from storage.sources import source_ids

__all__ = [
    "CRAWL_TRIGGERS",
    "FAILURE_STATUSES",
    "RECENT_RUNS",
    "SourceHistory",
    "last_fetch_error",
    "source_histories",
]

CRAWL_TRIGGERS = ("schedule", "cron", "manual")
FAILURE_STATUSES = ("failed", "timeout", "abandoned")


@dataclass(frozen=True, slots=True)
class SourceHistory:
    """What the database says about one source's crawls (empty for a source never run).

    ``consecutive_failures`` counts failures since the last success (all of them when
    there was none). ``articles_recent`` counts articles first seen within the window
    given to :func:`source_histories` (24 hours by default). ``recent_runs`` are the
    last few finished crawl runs, newest first (their pages, articles and errors).
    """

    name: str
    last_run: RunView | None = None
    last_success: RunView | None = None
    last_failure: RunView | None = None
    consecutive_failures: int = 0
    first_run_at: datetime | None = None
    articles_total: int = 0
    articles_recent: int = 0
    recent_runs: tuple[RunView, ...] = ()


def _latest(session: Session, source_id: int, name: str, *statuses: str) -> RunView | None:
    query = (
        select(CrawlRunRow)
        .where(CrawlRunRow.source_id == source_id, CrawlRunRow.trigger.in_(CRAWL_TRIGGERS))
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        .limit(1)
    )
    if statuses:
        query = query.where(CrawlRunRow.status.in_(statuses))
    row = session.scalars(query).first()
    return run_view(row, name) if row is not None else None


#: How many finished runs ``SourceHistory.recent_runs`` holds.
RECENT_RUNS = 5


def _recent(session: Session, source_id: int, name: str) -> tuple[RunView, ...]:
    rows = session.scalars(
        select(CrawlRunRow)
        .where(CrawlRunRow.source_id == source_id, CrawlRunRow.trigger.in_(CRAWL_TRIGGERS),
               CrawlRunRow.status != "running")
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        .limit(RECENT_RUNS)
    )
    return tuple(run_view(row, name) for row in rows)


def _history(session: Session, source_id: int, name: str) -> SourceHistory:
    last_success = _latest(session, source_id, name, "success")
    failures = select(func.count()).where(
        CrawlRunRow.source_id == source_id,
        CrawlRunRow.trigger.in_(CRAWL_TRIGGERS),
        CrawlRunRow.status.in_(FAILURE_STATUSES),
    )
    if last_success is not None:
        failures = failures.where(CrawlRunRow.started_at > last_success.started_at)
    first_run_at = session.scalar(
        select(func.min(CrawlRunRow.started_at)).where(
            CrawlRunRow.source_id == source_id, CrawlRunRow.trigger.in_(CRAWL_TRIGGERS)
        )
    )
    return SourceHistory(
        name=name,
        last_run=_latest(session, source_id, name),
        last_success=last_success,
        last_failure=_latest(session, source_id, name, *FAILURE_STATUSES),
        consecutive_failures=session.scalar(failures) or 0,
        first_run_at=first_run_at,
        recent_runs=_recent(session, source_id, name),
    )


def _article_counts(session: Session, ids: Iterable[int],
                    since: datetime) -> dict[int, tuple[int, int]]:
    recent = func.sum(case((ArticleRow.first_seen_at >= since, 1), else_=0))
    query = (
        select(ArticleRow.source_id, func.count(), recent)
        .where(ArticleRow.source_id.in_(list(ids)))
        .group_by(ArticleRow.source_id)
    )
    return {source_id: (total, int(fresh or 0)) for source_id, total, fresh in session.execute(query)}


def source_histories(session: Session, names: Iterable[str], *, now: datetime,
                     recent: timedelta = timedelta(hours=24)) -> dict[str, SourceHistory]:
    """The history of each source in ``names`` (a few indexed look-ups per source)."""
    wanted = list(dict.fromkeys(names))
    ids = source_ids(session, wanted)
    counts = _article_counts(session, ids.values(), now - recent) if ids else {}
    histories = {}
    for name in wanted:
        source_id = ids.get(name)
        if source_id is None:
            histories[name] = SourceHistory(name)
            continue
        total, fresh = counts.get(source_id, (0, 0))
        histories[name] = replace(
            _history(session, source_id, name), articles_total=total, articles_recent=fresh
        )
    return histories


def last_fetch_error(session: Session, run_id: int) -> str | None:
    """``URL: reason`` of the last request that failed in run ``run_id``, if any."""
    row = session.execute(
        select(UrlStateRow.url, UrlStateRow.last_error)
        .where(UrlStateRow.last_run_id == run_id, UrlStateRow.last_error.is_not(None))
        .order_by(UrlStateRow.last_fetched_at.desc(), UrlStateRow.id.desc())
        .limit(1)
    ).first()
    return f"{row.url}: {row.last_error}" if row is not None else None
