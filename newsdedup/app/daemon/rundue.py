"""``newsdedup run-due``: run each enabled source that is due, then exit (for system cron).

Due-ness and backoff are read from ``crawl_runs`` (:mod:`newsdedup.app.daemon.policy`), so
calling it every minute runs each source on its schedule, and calling it twice in a
row runs nothing the second time. Each run is a child process, as in the daemon, at
most ``daemon.max_parallel_runs`` at once. A source another process is crawling (the
daemon, a manual crawl, an overlapping run-due) is skipped with a note. SIGTERM or
SIGINT stops starting runs and asks running ones to stop (they record ``interrupted``).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType

from newsdedup.app.daemon.child import ChildRun, child_environment
from newsdedup.app.daemon.policy import backoff_until, is_dead, is_due
from newsdedup.app.daemon.supervise import Outbox, Outcome, RunContext, run_in_child
from newsdedup.core.config import SourceConfig
from newsdedup.core.records import utcnow
from newsdedup.storage.health import FAILURE_STATUSES, source_histories
from newsdedup.storage.locks import holders

__all__ = ["RunDueReport", "run_due"]

log = logging.getLogger(__name__)


@dataclass
class RunDueReport:
    """What ``run-due`` did: ``outcomes`` of the runs it started, ``busy`` sources it left
    to the process crawling them, and the signal that stopped it, if any."""

    outcomes: list[Outcome] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)
    stopped_by: int | None = None

    @property
    def failed(self) -> list[Outcome]:
        """Runs that failed, timed out or were abandoned (not the interrupted or skipped)."""
        return [outcome for outcome in self.outcomes if outcome.status in FAILURE_STATUSES]


def due_sources(ctx: RunContext, now: datetime) -> tuple[list[SourceConfig], list[str]]:
    """The enabled sources due at ``now``, and the due ones a live process holds."""
    config = ctx.config
    enabled = config.enabled_sources
    stale = timedelta(seconds=config.daemon.stale_lock_seconds)
    with ctx.db.reader() as session:
        histories = source_histories(session, [source.name for source in enabled], now=now)
        locks = holders(session)
    due, busy = [], []
    for source in enabled:
        history = histories[source.name]
        if not is_due(source, history, config, now):
            hold = backoff_until(history, config.daemon)
            if hold is not None and hold > now:
                state = "dead" if is_dead(history, config.daemon) else "backing off"
                log.info("%s skipped: %s after %d failed runs, next try after %s", source.name,
                         state, history.consecutive_failures, hold.isoformat(timespec="seconds"))
            continue
        holder = locks.get(source.name)
        if holder is not None and not holder.is_dead(now, stale):
            busy.append(source.name)
            log.info("%s is due but being crawled by pid %d since %s; skipped", source.name,
                     holder.pid, holder.acquired_at.isoformat(timespec="seconds"))
        else:
            due.append(source)
    return due, busy


class _Runner:
    """Starts the children and stops them on a signal."""

    def __init__(self, ctx: RunContext, outbox: Outbox) -> None:
        self.ctx = ctx
        self.outbox = outbox
        self.lock = threading.Lock()
        self.children: dict[str, ChildRun] = {}
        self.stopped_by: int | None = None

    def spawn(self, name: str, argv: Sequence[str]) -> ChildRun | None:
        with self.lock:
            if self.stopped_by is not None:
                return None
            child = ChildRun(name, argv, env=child_environment())
            self.children[name] = child
        if self.stopping:  # the signal came while it was starting: it missed the child
            child.terminate("interrupted")
        return child

    @property
    def stopping(self) -> bool:
        return self.stopped_by is not None

    def run(self, source: SourceConfig) -> Outcome:
        return run_in_child(self.ctx, source, trigger="cron", outbox=self.outbox,
                            spawn=self.spawn)

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Runs in the main thread, which never holds self.lock: no deadlock possible.
        self.stopped_by = self.stopped_by or signum
        for child in tuple(self.children.values()):
            child.terminate("interrupted")


def run_due(ctx: RunContext, *, now: datetime | None = None) -> RunDueReport:
    """Run every due source once (in parallel up to ``daemon.max_parallel_runs``)."""
    now = now or utcnow()
    due, busy = due_sources(ctx, now)
    report = RunDueReport(busy=busy)
    if not due:
        log.debug("nothing is due")
        return report
    outbox = Outbox()
    runner = _Runner(ctx, outbox)
    in_main = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, runner.on_signal)
    try:
        workers = min(ctx.config.daemon.max_parallel_runs, len(due))
        with ThreadPoolExecutor(workers, thread_name_prefix="run-due") as pool:
            report.outcomes = list(pool.map(runner.run, due))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    report.stopped_by = runner.stopped_by
    outbox.flush(ctx.db)
    if len(outbox):  # run-due exits now: nobody will write them later
        log.error("%d run records could not be written: the database is unreachable",
                  len(outbox))
    return report
