"""Crawl runs: start, finish, and read back (one row per source per run)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from newsdedup.storage.models import CrawlRunRow, SourceRow

__all__ = [
    "FINAL_STATUSES",
    "RUN_STATUSES",
    "TRIGGERS",
    "RunCounts",
    "RunView",
    "finish_run",
    "list_runs",
    "process_runs",
    "run_view",
    "start_run",
]

RUN_STATUSES = ("running", "success", "failed", "timeout", "interrupted", "abandoned")
FINAL_STATUSES = RUN_STATUSES[1:]
TRIGGERS = ("schedule", "cron", "manual", "import", "reprocess")


@dataclass(frozen=True, slots=True)
class RunCounts:
    """The headline counts of a run (the full stats go in ``crawl_runs.stats``)."""

    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    rejected: int = 0
    errors: int = 0


@dataclass(frozen=True, slots=True)
class RunView:
    """A run as ``newsdedup runs`` shows it."""

    id: int
    source: str | None
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    articles_new: int
    articles_updated: int
    rejected: int
    errors: int
    error: str | None
    pid: int | None
    stats: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The ``runs --format jsonl`` object (ISO 8601 times)."""
        return {
            "id": self.id,
            "source": self.source,
            "trigger": self.trigger,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "pages_fetched": self.pages_fetched,
            "articles_new": self.articles_new,
            "articles_updated": self.articles_updated,
            "rejected": self.rejected,
            "errors": self.errors,
            "error": self.error,
        }


def start_run(
    session: Session,
    *,
    source_id: int | None,
    trigger: str,
    now: datetime,
    pid: int | None = None,
    hostname: str | None = None,
) -> int:
    """Insert a ``running`` run and return its id."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}; expected one of {', '.join(TRIGGERS)}")
    row = CrawlRunRow(
        source_id=source_id,
        trigger=trigger,
        status="running",
        started_at=now,
        heartbeat_at=now,
        pid=pid,
        hostname=hostname,
        stats={},
    )
    session.add(row)
    session.flush()
    return row.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    now: datetime,
    counts: RunCounts | None = None,
    stats: Mapping[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Record how a run ended. Only a ``running`` run changes (finishing twice is a no-op)."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final run status: {status!r}")
    values: dict[str, Any] = {"status": status, "finished_at": now, "error": error}
    if counts is not None:
        values.update(
            pages_fetched=counts.pages_fetched,
            articles_new=counts.articles_new,
            articles_updated=counts.articles_updated,
            rejected=counts.rejected,
            errors=counts.errors,
        )
    if stats is not None:
        values["stats"] = dict(stats)
    session.execute(
        update(CrawlRunRow)
        .where(CrawlRunRow.id == run_id, CrawlRunRow.status == "running")
        .values(**values)
    )


def list_runs(
    session: Session, *, limit: int = 20, sources: Sequence[str] | None = None
) -> list[RunView]:
    """The most recent runs, newest first."""
    query = (
        select(CrawlRunRow, SourceRow.name)
        .outerjoin(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        .limit(limit)
    )
    if sources:
        query = query.where(SourceRow.name.in_(list(sources)))
    return [run_view(row, name) for row, name in session.execute(query)]


def process_runs(session: Session, *, pid: int, hostname: str, since: datetime) -> list[RunView]:
    """The runs started by process ``pid`` on ``hostname`` at or after ``since``, oldest first.

    A supervisor uses it to find what its child recorded (pids are reused, hence ``since``).
    """
    query = (
        select(CrawlRunRow, SourceRow.name)
        .outerjoin(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .where(CrawlRunRow.pid == pid, CrawlRunRow.hostname == hostname,
               CrawlRunRow.started_at >= since)
        .order_by(CrawlRunRow.started_at, CrawlRunRow.id)
    )
    return [run_view(row, name) for row, name in session.execute(query)]


def run_view(row: CrawlRunRow, source: str | None) -> RunView:
    return RunView(
        id=row.id,
        source=source,
        trigger=row.trigger,
        status=row.status,
        started_at=row.started_at,
        finished_at=row.finished_at,
        pages_fetched=row.pages_fetched,
        articles_new=row.articles_new,
        articles_updated=row.articles_updated,
        rejected=row.rejected,
        errors=row.errors,
        error=row.error,
        pid=row.pid,
        stats=row.stats or {},
    )
