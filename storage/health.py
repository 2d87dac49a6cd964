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

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from newsdedup.storage.models import ArticleRow, CrawlRunRow, PageRow, UrlStateRow
from newsdedup.storage.runs import RunView, run_view
from newsdedup.storage.sources import source_ids

__all__ = [
    "CRAWL_TRIGGERS",
    "FAILURE_STATUSES",
    "RECENT_PAGES",
    "RECENT_RUNS",
    "SourceHistory",
    "after_last_success",
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
    ``recent_pages`` are the outcomes of the last ``RECENT_PAGES`` pages processed, newest
    first, revisits of its articles left out: ``(outcome, reason)``, outcome ``article``,
    ``rejected`` or ``failed``.
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
    recent_pages: tuple[tuple[str, str | None], ...] = ()


#: How many finished runs ``SourceHistory.recent_runs`` holds.
RECENT_RUNS = 5
#: How many processed pages ``SourceHistory.recent_pages`` holds.
RECENT_PAGES = 50


def _ranked_runs(session: Session, ids: dict[int, str]) -> dict[int, list[tuple[CrawlRunRow, int, int, int]]]:
    """Per source id, the crawl runs that can be its last run, last success, last failure
    or one of its recent finished runs, with their ranks (newest first) among all runs,
    among runs of their class (success, failure, other) and among finished runs."""
    newest = (CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
    klass = case((CrawlRunRow.status == "success", 1),
                 (CrawlRunRow.status.in_(FAILURE_STATUSES), 2), else_=3)
    finished = case((CrawlRunRow.status == "running", 0), else_=1)
    ranked = (
        select(
            CrawlRunRow.id.label("run_id"),
            func.row_number().over(partition_by=CrawlRunRow.source_id, order_by=newest).label("all_rank"),
            func.row_number().over(partition_by=(CrawlRunRow.source_id, klass), order_by=newest)
            .label("class_rank"),
            func.row_number().over(partition_by=(CrawlRunRow.source_id, finished), order_by=newest)
            .label("finished_rank"),
        )
        .where(CrawlRunRow.source_id.in_(list(ids)), CrawlRunRow.trigger.in_(CRAWL_TRIGGERS))
        .subquery()
    )
    query = (
        select(CrawlRunRow, ranked.c.all_rank, ranked.c.class_rank, ranked.c.finished_rank)
        .join(ranked, ranked.c.run_id == CrawlRunRow.id)
        .where((ranked.c.all_rank == 1) | (ranked.c.class_rank == 1)
               | (ranked.c.finished_rank <= RECENT_RUNS))
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
    )
    runs: dict[int, list[tuple[CrawlRunRow, int, int, int]]] = {}
    for row, all_rank, class_rank, finished_rank in session.execute(query):
        assert row.source_id is not None  # the query asked for these sources only
        runs.setdefault(row.source_id, []).append((row, all_rank, class_rank, finished_rank))
    return runs


def after_last_success() -> ColumnElement[bool]:
    """A condition on a ``crawl_runs`` row: it started after the last successful crawl
    run of its source, or that source has none (the runs of a failure streak)."""
    success = aliased(CrawlRunRow)
    last_success = (
        select(func.max(success.started_at))
        .where(success.source_id == CrawlRunRow.source_id, success.status == "success",
               success.trigger.in_(CRAWL_TRIGGERS))
        .scalar_subquery()
    )
    return (CrawlRunRow.started_at > last_success) | last_success.is_(None)


def _streaks_and_firsts(session: Session, ids: dict[int, str]) -> tuple[dict[int, int], dict[int, datetime]]:
    """Per source id: failures since its last success (all of them without one), and
    when its first crawl run started."""
    crawl = CrawlRunRow.trigger.in_(CRAWL_TRIGGERS)
    streaks = {
        source_id: int(count) for source_id, count in session.execute(
            select(CrawlRunRow.source_id, func.count())
            .where(CrawlRunRow.source_id.in_(list(ids)), crawl,
                   CrawlRunRow.status.in_(FAILURE_STATUSES), after_last_success())
            .group_by(CrawlRunRow.source_id)) if source_id is not None
    }
    firsts = {
        source_id: first for source_id, first in session.execute(
            select(CrawlRunRow.source_id, func.min(CrawlRunRow.started_at))
            .where(CrawlRunRow.source_id.in_(list(ids)), crawl)
            .group_by(CrawlRunRow.source_id)) if source_id is not None
    }
    return streaks, firsts


def _histories(session: Session, ids: dict[int, str]) -> dict[int, SourceHistory]:
    """The crawl history of each source id: four grouped queries for all of them."""
    if not ids:
        return {}
    ranked = _ranked_runs(session, ids)
    streaks, firsts = _streaks_and_firsts(session, ids)
    histories = {}
    for source_id, name in ids.items():
        last_run = last_success = last_failure = None
        recent = []
        for row, all_rank, class_rank, finished_rank in ranked.get(source_id, []):
            view = run_view(row, name)
            if all_rank == 1:
                last_run = view
            if class_rank == 1 and row.status == "success":
                last_success = view
            if class_rank == 1 and row.status in FAILURE_STATUSES:
                last_failure = view
            if row.status != "running" and finished_rank <= RECENT_RUNS:
                recent.append(view)
        histories[source_id] = SourceHistory(
            name=name, last_run=last_run, last_success=last_success, last_failure=last_failure,
            consecutive_failures=streaks.get(source_id, 0), first_run_at=firsts.get(source_id),
            recent_runs=tuple(recent),
        )
    return histories


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
    """The history of each source in ``names``: a fixed number of grouped queries for all
    of them (window functions rank each source's runs), whatever their number."""
    wanted = list(dict.fromkeys(names))
    ids = source_ids(session, wanted)
    counts = _article_counts(session, ids.values(), now - recent) if ids else {}
    found = _histories(session, {source_id: name for name, source_id in ids.items()})
    histories = {}
    for name in wanted:
        source_id = ids.get(name)
        if source_id is None:
            histories[name] = SourceHistory(name)
            continue
        total, fresh = counts.get(source_id, (0, 0))
        histories[name] = replace(found[source_id], articles_total=total, articles_recent=fresh,
                                  recent_pages=_recent_pages(session, source_id))
    return histories


def _recent_pages(session: Session, source_id: int) -> tuple[tuple[str, str | None], ...]:
    """The outcomes of the source's last ``RECENT_PAGES`` processed pages, newest first,
    revisits of its articles left out (a story taken down answers 404 to them, which
    says nothing of the site's new pages): one query a source, read backwards along the
    (source_id, processed_at) index."""
    earlier = aliased(PageRow)
    revisit = (
        select(earlier.id)
        .where(earlier.url_state_id == PageRow.url_state_id, earlier.id < PageRow.id,
               earlier.outcome == "article")
        .exists()
    )
    rows = session.execute(
        select(PageRow.outcome, PageRow.reason)
        .where(PageRow.source_id == source_id, PageRow.processed_at.is_not(None),
               PageRow.outcome.is_not(None), ~revisit)
        .order_by(PageRow.processed_at.desc(), PageRow.id.desc())
        .limit(RECENT_PAGES)
    )
    return tuple((str(outcome), reason) for outcome, reason in rows)


def last_fetch_error(session: Session, run_id: int) -> str | None:
    """``URL: reason`` of the last request that failed in run ``run_id``, if any."""
    row = session.execute(
        select(UrlStateRow.url, UrlStateRow.last_error)
        .where(UrlStateRow.last_run_id == run_id, UrlStateRow.last_error.is_not(None))
        .order_by(UrlStateRow.last_fetched_at.desc(), UrlStateRow.id.desc())
        .limit(1)
    ).first()
    return f"{row.url}: {row.last_error}" if row is not None else None
