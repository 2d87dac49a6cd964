"""Holding the crawl locks of a run's sources: take them all at once, heartbeat, release.

Every run that touches a source (``crawl`` by hand, the daemon's children, ``run-due``,
``process``) holds its lock, so one source is never crawled twice at the same time.
The locks and the runs' ``crawl_runs`` rows are written in one transaction, in source
name order (two processes wanting overlapping sources cannot deadlock on Postgres).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from newsdedup.core.config import Config, SourceConfig
from newsdedup.core.errors import SourceBusy
from newsdedup.core.records import utcnow
from newsdedup.core.stopguard import StopRun
from newsdedup.storage.db import Database
from newsdedup.storage.locks import LockHolder, heartbeat, release, this_host, try_acquire
from newsdedup.storage.runs import finish_run, start_run
from newsdedup.storage.sources import ensure_sources

__all__ = ["SourceLease", "acquire_all", "hold_sources", "holding"]

log = logging.getLogger(__name__)

#: How often ``--wait`` looks at a busy lock again (a database row has nothing to wait on).
WAIT_POLL_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class SourceLease:
    """A source whose lock this process holds, with the run recorded for it (if any)."""

    source: SourceConfig
    source_id: int
    run_id: int | None
    token: str


class _Busy(Exception):
    def __init__(self, source: SourceConfig, holder: LockHolder) -> None:
        super().__init__(source.name)
        self.source = source
        self.holder = holder


def _try_all(db: Database, config: Config, sources: Sequence[SourceConfig], *,
             trigger: str | None, token: str) -> list[SourceLease] | _Busy:
    stale = timedelta(seconds=config.daemon.stale_lock_seconds)
    pid, host = os.getpid(), this_host()
    try:
        with db.session() as session:
            ids = ensure_sources(session, [source.name for source in sources])
            # The clock is read once the transaction holds the database (on SQLite its
            # first write waits for the other writers): a run that queued behind the
            # holder's last write must not be recorded as started before that write.
            now = utcnow()
            leases: dict[str, SourceLease] = {}
            for source in sorted(sources, key=lambda s: s.name):
                run_id = None
                if trigger is not None:
                    run_id = start_run(session, source_id=ids[source.name], trigger=trigger,
                                       now=now, pid=pid, hostname=host)
                holder = try_acquire(session, ids[source.name], token=token, run_id=run_id,
                                     pid=pid, hostname=host, now=now, stale_after=stale)
                if holder is not None:
                    raise _Busy(source, holder)  # rolls back: no locks, no run rows
                leases[source.name] = SourceLease(source, ids[source.name], run_id, token)
            return [leases[source.name] for source in sources]
    except _Busy as busy:
        return busy


def acquire_all(db: Database, config: Config, sources: Sequence[SourceConfig], *,
                trigger: str | None, wait: bool = False,
                pause: Callable[[float], None] = time.sleep) -> list[SourceLease]:
    """Take the locks of all ``sources`` (and start their runs when ``trigger`` is given).

    Raises SourceBusy naming a live holder, unless ``wait``: then looks again every
    WAIT_POLL_SECONDS (spent in ``pause``) until every lock is free at once; a dead
    holder is taken over.
    """
    token = uuid.uuid4().hex
    told: set[tuple[str, int]] = set()
    while True:
        got = _try_all(db, config, sources, trigger=trigger, token=token)
        if not isinstance(got, _Busy):
            return got
        if not wait:
            holder = got.holder
            # The host is named only when it is another one: "by pid N since T" otherwise.
            host = holder.hostname if holder.hostname != this_host() else ""
            raise SourceBusy(got.source.name, holder.pid, host, holder.acquired_at)
        if (got.source.name, got.holder.pid) not in told:
            told.add((got.source.name, got.holder.pid))
            log.info("source %s is being crawled by pid %d; waiting for it", got.source.name,
                     got.holder.pid)
        pause(WAIT_POLL_SECONDS)


class _Heartbeat(threading.Thread):
    """Refreshes the leases' heartbeats until stopped; reports a lock taken from us."""

    def __init__(self, db: Database, leases: Sequence[SourceLease], interval: float,
                 on_lost: Callable[[str], None] | None) -> None:
        super().__init__(name="newsdedup-heartbeat", daemon=True)
        self.db = db
        self.leases = leases
        self.interval = interval
        self.on_lost = on_lost
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                with self.db.session() as session:
                    lost = [lease.source.name for lease in self.leases
                            if not heartbeat(session, lease.source_id, lease.token, utcnow())]
            except Exception:  # a missed beat is retried; the lock goes stale only after many
                log.warning("heartbeat failed", exc_info=True)
                continue
            for name in lost:
                log.error("lost the lock of source %s: another process took it over", name)
                if self.on_lost is not None:
                    self.on_lost(name)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval + 5)


def _status_of(exc: BaseException | None) -> tuple[str, str]:
    if exc is None:
        return "failed", "the run ended without recording its outcome"
    if isinstance(exc, StopRun):
        return exc.status, exc.detail
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", "stopped by SIGINT"
    return "failed", f"{type(exc).__name__}: {exc}"


def _release(db: Database, leases: Sequence[SourceLease], exc: BaseException | None) -> None:
    """Finish the runs the caller left ``running`` (as failed or interrupted) and unlock."""
    status, error = _status_of(exc)
    try:
        with db.session() as session:
            now = utcnow()
            for lease in leases:
                if lease.run_id is not None:
                    finish_run(session, lease.run_id, status=status, now=now, error=error)
                release(session, lease.source_id, lease.token)
    except Exception:
        # The locks stay behind; the next run takes them over once this pid is gone.
        log.exception("could not release the locks of %s",
                      ", ".join(lease.source.name for lease in leases))


@contextmanager
def holding(db: Database, config: Config, leases: Sequence[SourceLease], *,
            on_lost: Callable[[str], None] | None = None) -> Iterator[None]:
    """Keep ``leases`` (from :func:`acquire_all`) alive for the block, heartbeating.

    On exit every lock is released; a run the block left ``running`` is finished as
    ``failed`` (an exception) or ``interrupted`` (a signal), so none stays running.
    ``on_lost`` is called (from the heartbeat thread) with a source whose lock was taken
    over because this process looked dead.
    """
    beat = _Heartbeat(db, leases, config.daemon.heartbeat_seconds, on_lost)
    beat.start()
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        beat.stop()
        _release(db, leases, error)


@contextmanager
def hold_sources(db: Database, config: Config, sources: Sequence[SourceConfig], *,
                 trigger: str | None, wait: bool = False,
                 on_lost: Callable[[str], None] | None = None) -> Iterator[list[SourceLease]]:
    """Hold the locks of ``sources`` (all or none) for the block: :func:`acquire_all`
    then :func:`holding`."""
    leases = acquire_all(db, config, sources, trigger=trigger, wait=wait)
    with holding(db, config, leases, on_lost=on_lost):
        yield leases
