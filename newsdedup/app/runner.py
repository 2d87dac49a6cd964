"""One crawl run: take the sources' locks, crawl, process, record the runs, release.

This is what ``newsdedup crawl``, the daemon's child processes and ``run-due``'s
children all call; it runs in the calling process (Scrapy's reactor: once per process).
A SIGTERM, SIGINT or SIGHUP, or the time limit (the largest ``max_run_minutes`` of the
sources), stops the run: it is recorded ``interrupted`` or ``timeout``, its locks are
released, and :class:`~newsdedup.core.errors.RunStopped` is raised. What was fetched before
the stop is kept and processed by the next run. A crash (SIGKILL, power loss) leaves
the locks to be taken over once the process is seen dead or its heartbeat goes stale.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsdedup.app.daemon.runlog import log_run_end, log_run_start, run_fields
from newsdedup.app.leases import SourceLease, acquire_all, hold_sources, holding
from newsdedup.core.config import Config, SourceConfig
from newsdedup.core.errors import RunStopped, StorageError
from newsdedup.core.progress import Progress
from newsdedup.core.records import utcnow
from newsdedup.core.stopguard import StopGuard, StopRun
from newsdedup.storage.db import Database
from newsdedup.storage.health import last_fetch_error
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.runs import RunCounts, finish_run

if TYPE_CHECKING:
    from newsdedup.pipeline.process import ProcessReport

__all__ = ["RunResult", "SourceLease", "acquire_all", "hold_sources", "run_sources"]

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """How one source's run ended, with its stats (``fetch/...``, ``extract/...``...)."""

    source: str
    run_id: int | None
    status: str
    stats: Counter[str] = field(default_factory=Counter)
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def counts(self) -> RunCounts:
        stats = self.stats
        return RunCounts(
            pages_fetched=stats["pages/fetched"],
            articles_new=stats["articles/new"],
            articles_updated=stats["articles/updated"],
            rejected=sum(v for k, v in stats.items() if k.startswith("extract/") and k != "extract/article"),
            errors=stats["fetch/errors"] + stats["process/failed"],
        )

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


def _time_limit(config: Config, sources: Sequence[SourceConfig]) -> float:
    return max(config.crawl_for(source).max_run_minutes for source in sources) * 60


def run_sources(config: Config, sources: Sequence[SourceConfig], *, trigger: str,
                refetch: bool = False, wait: bool = False) -> list[RunResult]:
    """Crawl then process ``sources`` as one run per source; returns how each ended.

    Raises SourceBusy when a source is locked by a live process (unless ``wait``),
    RunStopped after recording a stopped run, StorageError when the database fails.
    """
    db = Database(config.database.url)
    try:
        ensure_schema(db)
        guard = StopGuard(time_limit=_time_limit(config, sources),
                          stop_timeout=config.daemon.stop_timeout_seconds)
        try:
            with guard:
                results, stop = _run(db, config, sources, guard, trigger=trigger,
                                     refetch=refetch, wait=wait)
        except StopRun as stopped_waiting:  # stopped while waiting for a lock: nothing ran
            results, stop = [], stopped_waiting
    finally:
        db.dispose()
    if stop is not None:
        names = ", ".join(source.name for source in sources)
        raise RunStopped(f"run of {names} stopped: {stop.detail}; what was fetched is kept",
                         exit_code=stop.exit_code)
    return results


def _run(db: Database, config: Config, sources: Sequence[SourceConfig], guard: StopGuard, *,
         trigger: str, refetch: bool, wait: bool) -> tuple[list[RunResult], StopRun | None]:
    """The run itself; returns the results, and the stop that ended it early (if any)."""
    def pause(seconds: float) -> None:
        with guard.raising():  # a stop while waiting for a busy lock ends the wait
            time.sleep(seconds)

    def lost(name: str) -> None:
        guard.request_stop("failed", f"lost the lock of source {name}: another process took it over")

    leases = acquire_all(db, config, sources, trigger=trigger, wait=wait, pause=pause)
    with holding(db, config, leases, on_lost=lost):
        started = utcnow()
        results = {
            lease.source.name: RunResult(lease.source.name, lease.run_id, "running",
                                         started_at=started)
            for lease in leases
        }
        for lease in leases:
            log_run_start(source=lease.source.name, trigger=trigger, run_id=lease.run_id,
                          pid=os.getpid())
        guard.start_clock()
        stop = None
        # A run of one source (the daemon's and run-due's children) tags every log line.
        bound = ({"source": leases[0].source.name, "run_id": leases[0].run_id}
                 if len(leases) == 1 else {})
        try:
            with run_fields(**bound):
                _crawl_and_process(db, config, leases, results, guard, refetch=refetch)
        except StopRun as stopped:
            stop = stopped
            _fail(results, stop.status, stop.detail)
        except BaseException as exc:
            _fail(results, "failed", f"{type(exc).__name__}: {exc}")
            raise
        finally:
            _finish(db, leases, results, trigger)
    return list(results.values()), stop


def _crawl_and_process(db: Database, config: Config, leases: Sequence[SourceLease],
                       results: dict[str, RunResult], guard: StopGuard, *, refetch: bool) -> None:
    """Process what earlier runs left pending, crawl, process what was fetched.

    The backlog goes first so that a run stopped after its crawl (time limit, signal,
    kill) never leaves pages unprocessed for longer than until the next run.
    """
    from newsdedup.crawler.outcomes import crawl_failure
    from newsdedup.crawler.run import CrawlJob, crawl
    from newsdedup.pipeline.process import Processor

    source_ids = [lease.source_id for lease in leases]
    line = Progress()

    def processing(done: int, total: int) -> None:
        line.show(f"processing pages: {done}/{total}")

    def crawling(live: Mapping[str, Mapping[str, Any]]) -> None:
        fetched = sum(int(stats.get("pages/fetched", 0)) for stats in live.values())
        requests = sum(int(stats.get("fetch/requests", 0)) for stats in live.values())
        errors = sum(int(stats.get("fetch/errors", 0)) for stats in live.values())
        line.show(f"crawling {len(live)} source(s): {requests} requests, {fetched} pages, "
                  f"{errors} errors")

    with line:
        with guard.raising():
            _add_report(results, Processor(config, db).run(source_ids, progress=processing))
        jobs = [CrawlJob(lease.source, lease.source_id, lease.run_id or 0) for lease in leases]
        guard.check()
        with guard.crawling():
            # A crawl asked to stop has half the daemon's stop timeout to do it gracefully:
            # it ends (recorded interrupted) before the daemon's SIGKILL would.
            crawled = crawl(config, jobs, refetch=refetch,
                            progress=crawling if line.enabled else None,
                            stop_timeout=config.daemon.stop_timeout_seconds / 2)
        line.clear()
    for name, stats in crawled.items():
        if name in results:
            results[name].stats.update(stats)
    if any(stats["run/timeout"] for stats in crawled.values()):
        guard.note_stop("timeout", "crawl time limit reached (crawl.max_run_minutes)")
    if any(stats["run/interrupted"] for stats in crawled.values()):
        guard.note_stop("interrupted", "stopped by a signal")
    guard.check()  # record the stop now; the pages fetched are processed by the next run
    with line, guard.raising():
        _add_report(results, Processor(config, db).run(source_ids, progress=processing))
    for lease in leases:
        result = results[lease.source.name]
        result.status, result.error = "success", None
        failure = crawl_failure(result.stats)
        if failure is not None:
            # Nothing answered: the source is down or unreachable, whatever was processed.
            result.status = "failed"
            result.error = _with_last_error(db, failure, lease.run_id)


def _with_last_error(db: Database, failure: str, run_id: int | None) -> str:
    """``failure`` with the last failed request's URL and reason (from ``url_state``)."""
    if run_id is None:
        return failure
    try:
        with db.reader() as session:
            last = last_fetch_error(session, run_id)
    except StorageError:
        return failure
    return f"{failure}; last: {last}" if last else failure


def _add_report(results: dict[str, RunResult], report: ProcessReport) -> None:
    for name, stats in report.by_source.items():
        if name in results:
            results[name].stats.update(stats)
    dedup = {k: v for k, v in report.by_source.get("*", Counter()).items() if k.startswith("dedup/")}
    for result in results.values():
        result.stats.update(dedup)


def _fail(results: dict[str, RunResult], status: str, error: str) -> None:
    for result in results.values():
        result.status = status
        result.error = error


def _finish(db: Database, leases: Sequence[SourceLease], results: dict[str, RunResult],
            trigger: str) -> None:
    now = utcnow()
    for result in results.values():
        result.finished_at = now
        if result.status == "running":
            result.status = "failed"
    try:
        with db.session() as session:
            for lease in leases:
                result = results[lease.source.name]
                if lease.run_id is not None:
                    finish_run(session, lease.run_id, status=result.status, now=now,
                               counts=result.counts, stats=dict(result.stats), error=result.error)
    except Exception:
        log.exception("could not record the end of the runs")
    for lease in leases:
        result = results[lease.source.name]
        log_run_end(source=result.source, trigger=trigger, run_id=lease.run_id,
                    status=result.status, duration_s=result.duration_s, counts=result.counts,
                    error=result.error)
