"""One crawl run: take the sources' locks, crawl, process, record the runs, release.

This is what ``newsdedup crawl``, the daemon's child processes and ``run-due`` all
call; it runs in the calling process (Scrapy's reactor: once per process).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsdedup.config import Config, SourceConfig
from newsdedup.errors import SourceBusy
from newsdedup.records import utcnow
from storage.db import Database
from storage.locks import LockHolder, heartbeat, release, this_host, try_acquire
from storage.migrate import ensure_schema
from storage.runs import RunCounts, finish_run, start_run
from storage.sources import ensure_sources

__all__ = ["RunResult", "SourceLease", "hold_sources", "run_sources"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceLease:
    """A source whose lock this process holds, with the run recorded for it."""

    source: SourceConfig
    source_id: int
    run_id: int | None
    token: str


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


def _acquire_one(db: Database, config: Config, source: SourceConfig, *, trigger: str | None,
                 token: str) -> SourceLease | LockHolder:
    stale = timedelta(seconds=config.daemon.stale_lock_seconds)
    with db.session() as session:
        now = utcnow()
        source_id = ensure_sources(session, [source.name])[source.name]
        run_id = None
        if trigger is not None:
            run_id = start_run(
                session, source_id=source_id, trigger=trigger, now=now, pid=os.getpid(),
                hostname=this_host(),
            )
        holder = try_acquire(
            session, source_id, token=token, run_id=run_id, pid=os.getpid(),
            hostname=this_host(), now=now, stale_after=stale,
        )
        if holder is not None:
            session.rollback()  # no run row for a run that did not happen
            return holder
        return SourceLease(source, source_id, run_id, token)


def acquire(db: Database, config: Config, source: SourceConfig, *, trigger: str | None,
            wait: bool, poll_seconds: float = 1.0) -> SourceLease:
    """Take ``source``'s lock (and start its run when ``trigger`` is given).

    Raises SourceBusy when a live process holds it, unless ``wait``: then polls until free.
    """
    token = uuid.uuid4().hex
    while True:
        got = _acquire_one(db, config, source, trigger=trigger, token=token)
        if isinstance(got, SourceLease):
            return got
        if not wait:
            raise SourceBusy(source.name, got.pid, got.hostname, got.acquired_at)
        log.info("source %s is busy (pid %d); waiting", source.name, got.pid)
        time.sleep(poll_seconds)


class _Heartbeat(threading.Thread):
    """Refreshes the leases' heartbeats until stopped, from its own thread."""

    def __init__(self, db: Database, leases: Sequence[SourceLease], interval: float) -> None:
        super().__init__(name="newsdedup-heartbeat", daemon=True)
        self.db = db
        self.leases = leases
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                with self.db.session() as session:
                    for lease in self.leases:
                        if not heartbeat(session, lease.source_id, lease.token, utcnow()):
                            log.error("lost the lock of source %s", lease.source.name)
            except Exception:  # a missed beat is retried; the lock goes stale only after many
                log.warning("heartbeat failed", exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval + 5)


@contextmanager
def hold_sources(db: Database, config: Config, sources: Sequence[SourceConfig], *,
                 trigger: str | None, wait: bool = False) -> Iterator[list[SourceLease]]:
    """Hold the locks of ``sources`` (all or none), heartbeating, released on exit."""
    leases: list[SourceLease] = []
    try:
        for source in sources:
            leases.append(acquire(db, config, source, trigger=trigger, wait=wait))
        beat = _Heartbeat(db, leases, config.daemon.heartbeat_seconds)
        beat.start()
        try:
            yield leases
        finally:
            beat.stop()
    finally:
        if leases:
            with db.session() as session:
                for lease in leases:
                    release(session, lease.source_id, lease.token)


def run_sources(config: Config, sources: Sequence[SourceConfig], *, trigger: str,
                refetch: bool = False, wait: bool = False) -> list[RunResult]:
    """Crawl then process ``sources`` as one run per source; returns how each ended."""
    from crawler.run import CrawlJob, crawl
    from pipeline.process import Processor

    db = Database(config.database.url)
    try:
        ensure_schema(db)
        with hold_sources(db, config, sources, trigger=trigger, wait=wait) as leases:
            started = utcnow()
            results = {
                lease.source.name: RunResult(lease.source.name, lease.run_id, "running",
                                             started_at=started)
                for lease in leases
            }
            try:
                jobs = [CrawlJob(lease.source, lease.source_id, lease.run_id or 0)
                        for lease in leases]
                for name, stats in crawl(config, jobs, refetch=refetch).items():
                    results[name].stats.update(stats)
                report = Processor(config, db).run([lease.source_id for lease in leases])
                for name, stats in report.by_source.items():
                    if name in results:
                        results[name].stats.update(stats)
                dedup = report.by_source.get("*", Counter())
                for result in results.values():
                    result.status = "success"
                    result.stats.update({k: v for k, v in dedup.items() if k.startswith("dedup/")})
            except BaseException as exc:
                status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                for result in results.values():
                    result.status = status
                    result.error = f"{type(exc).__name__}: {exc}"
                raise
            finally:
                _finish(db, leases, results)
        return list(results.values())
    finally:
        db.dispose()


def _finish(db: Database, leases: Sequence[SourceLease], results: dict[str, RunResult]) -> None:
    now = utcnow()
    try:
        with db.session() as session:
            for lease in leases:
                result = results[lease.source.name]
                result.finished_at = now
                if lease.run_id is None:
                    continue
                status = result.status if result.status != "running" else "failed"
                finish_run(
                    session, lease.run_id, status=status, now=now, counts=result.counts,
                    stats=dict(result.stats), error=result.error,
                )
    except Exception:
        log.exception("could not record the end of the runs")
