"""``newsdedup daemon``: an APScheduler BlockingScheduler starting each source's runs.

One job per enabled source (id ``crawl:<name>``, its schedule as trigger,
``max_instances=1``, coalescing, ``daemon.misfire_grace_seconds``). A job waits for one
of ``daemon.max_parallel_runs`` slots, skips the run when the source is backing off
or another process holds it, and otherwise runs it in a child process
(:mod:`newsdedup.app.daemon.supervise`).

Signals only put a message on a queue (``SimpleQueue.put`` is safe in a handler); a
control thread acts on them. SIGTERM/SIGINT: no new runs; running ones get the grace
period (:class:`~newsdedup.app.daemon.control.ShutdownPlan`), a second signal cuts it short;
exit 0. SIGHUP: reload the config file; added, removed and changed sources take effect
for the next runs, running ones are left alone; a config that does not validate is
reported and the running one kept.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from datetime import UTC, timedelta
from pathlib import Path
from typing import TextIO

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.blocking import BlockingScheduler

from newsdedup.app.daemon.child import ChildRun, child_environment
from newsdedup.app.daemon.control import RunSlots, ShutdownPlan
from newsdedup.app.daemon.metrics import MetricsServer, RunMetrics
from newsdedup.app.daemon.policy import (
    backoff_delay,
    backoff_until,
    is_dead,
    next_due,
    ran_this_period,
)
from newsdedup.app.daemon.supervise import Outbox, RunContext, run_in_child, write_config_snapshot
from newsdedup.core.config import Config, SourceConfig, load_config
from newsdedup.core.errors import ConfigError, StorageError
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.health import SourceHistory, source_histories
from newsdedup.storage.locks import holders
from newsdedup.storage.migrate import ensure_schema

__all__ = ["Daemon", "job_id"]

log = logging.getLogger(__name__)

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_HANDLED_SIGNALS = (*_STOP_SIGNALS, signal.SIGHUP)


def job_id(source: str) -> str:
    """The stable APScheduler job id of a source."""
    return f"crawl:{source}"


class Daemon:
    """The scheduler daemon. :meth:`run` blocks until a stop signal and returns the exit code.

    ``config_path`` is the file SIGHUP reloads; children run on a snapshot of the
    config the daemon validated (kept in a private temporary folder).
    """

    def __init__(self, config: Config, config_path: Path, *, log_format: str = "text",
                 verbose: int = 0, out: TextIO | None = None) -> None:
        self._config_path = config_path
        self._log_format = log_format
        self._verbose = verbose
        self._out = out or sys.stdout
        self._workdir = Path(tempfile.mkdtemp(prefix="newsdedup-daemon-"))
        self._ctx = self._context(config, Database(config.database.url))
        self._outbox = Outbox()
        self._lock = threading.Lock()
        self._running: dict[str, ChildRun] = {}
        self._in_flight = 0
        self._stopping = False
        self._started = False
        self._events: queue.SimpleQueue[tuple[str, int | None]] = queue.SimpleQueue()
        self._slots = RunSlots(config.daemon.max_parallel_runs)
        self._metrics: RunMetrics | None = None
        if config.daemon.metrics_address is not None:
            self._metrics = RunMetrics(lambda: self._ctx.db,
                                       lambda: [s.name for s in self._ctx.config.sources])
        self._announced: dict[str, str] = {}
        apscheduler_log = logging.getLogger("newsdedup.app.daemon.apscheduler")
        apscheduler_log.setLevel(logging.DEBUG if verbose >= 2 else logging.ERROR)
        self.scheduler = _WakefulScheduler(
            timezone=UTC,
            logger=apscheduler_log,
            executors={"default": ThreadPoolExecutor(max(16, 2 * len(config.sources)))},
        )

    # -- set-up -----------------------------------------------------------------------

    def _context(self, config: Config, db: Database) -> RunContext:
        snapshot = write_config_snapshot(config, self._workdir)
        return RunContext(config, snapshot, db, self._log_format, self._verbose)

    def run(self) -> int:
        """Schedule the enabled sources and run until stopped. Returns the exit code (0)."""
        try:
            ensure_schema(self._ctx.db)
            self._serve()
        finally:
            self._ctx.db.dispose()
            shutil.rmtree(self._workdir, ignore_errors=True)
        log.info("daemon stopped")
        return 0

    def _serve(self) -> None:
        ctx = self._ctx
        server = self._serve_metrics()
        try:
            self._schedule_and_block(ctx)
        finally:
            if server is not None:
                server.close()

    def _serve_metrics(self) -> MetricsServer | None:
        address = self._ctx.config.daemon.metrics_address
        if self._metrics is None or address is None:
            return None
        try:
            server = MetricsServer(self._metrics, address)
        except OSError as exc:
            raise ConfigError(f"daemon.metrics: cannot listen on {address[0]}:{address[1]}: "
                              f"{exc.strerror or exc}") from exc
        print(f"metrics: {server.url}", file=self._out)
        self._out.flush()
        log.info("serving metrics at %s", server.url,
                 extra={"fields": {"event": "metrics", "url": server.url}})
        return server

    def _schedule_and_block(self, ctx: RunContext) -> None:
        previous = {signum: signal.signal(signum, self._on_signal) for signum in _HANDLED_SIGNALS}
        control = threading.Thread(target=self._control_loop, name="newsdedup-daemon-control")
        control.start()
        try:
            self._schedule(ctx.config.enabled_sources, self._histories(ctx, ctx.config.sources))
            self.scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
            self.scheduler.add_listener(self._on_job_event,
                                        EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR)
            self.scheduler.start()  # blocks until the control thread shuts it down
        except BaseException:
            self._events.put(("abort", None))
            raise
        finally:
            control.join()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _histories(self, ctx: RunContext,
                   sources: Sequence[SourceConfig]) -> dict[str, SourceHistory]:
        with ctx.db.reader() as session:
            return source_histories(session, [source.name for source in sources], now=utcnow())

    def _schedule(self, sources: Sequence[SourceConfig],
                  histories: dict[str, SourceHistory]) -> None:
        config = self._ctx.config
        now = utcnow()
        for source in sources:
            due = next_due(source, histories.get(source.name, SourceHistory(source.name)), config)
            # Catch up at once on a run missed while no daemon ran (or never run); else keep
            # the rhythm of the last success, so a restart does not delay or repeat a run.
            first = now if due is None or due <= now else due
            self.scheduler.add_job(
                self._job, source.parsed_schedule.trigger(UTC), args=[source.name],
                id=job_id(source.name), name=source.name, max_instances=1, coalesce=True,
                misfire_grace_time=int(config.daemon.misfire_grace_seconds),
                replace_existing=True, next_run_time=first,
            )

    def _on_started(self, _event: SchedulerEvent) -> None:
        with self._lock:
            self._started = True
            stop_now = self._stopping
        if stop_now:  # a stop signal came while we were starting
            self.scheduler.shutdown(wait=False)
            return
        self._print_next_runs("daemon started")

    def _print_next_runs(self, heading: str) -> None:
        jobs = sorted(self.scheduler.get_jobs(), key=lambda job: job.name)
        config = self._ctx.config
        print(f"{heading}: {len(jobs)} sources scheduled (times in UTC)", file=self._out)
        for job in jobs:
            when = job.next_run_time.astimezone(UTC).isoformat(timespec="seconds") \
                if job.next_run_time else "paused"
            schedule = config.source(job.name).schedule
            print(f"  {job.name:<28} {schedule:<16} next run {when}", file=self._out)
            log.info("source %s: schedule %r, next run %s", job.name, schedule, when,
                     extra={"fields": {"event": "scheduled", "source": job.name,
                                       "schedule": schedule, "next_run": when}})
        self._out.flush()

    def _on_job_event(self, event: JobEvent) -> None:
        name = event.job_id.removeprefix("crawl:")
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.debug("run of %s not started: the previous one is still going", name)
        elif event.code == EVENT_JOB_MISSED:
            log.warning("run of %s due at %s was missed by more than daemon.misfire_grace_seconds",
                        name, getattr(event, "scheduled_run_time", "?"))
        elif isinstance(event, JobExecutionEvent) and event.exception is not None:
            log.error("job of %s failed: %s", name, event.exception)

    # -- runs -------------------------------------------------------------------------

    def _job(self, name: str) -> None:
        """One scheduled firing: never raises (a failure is logged and recorded)."""
        with self._lock:
            if self._stopping:
                return
            self._in_flight += 1
        try:
            ctx = self._ctx
            try:
                source = ctx.config.source(name)
            except KeyError:
                return
            if not source.enabled or not self._slots.acquire():
                return
            try:
                if self._may_run(ctx, source):
                    outcome = run_in_child(ctx, source, trigger="schedule",
                                           outbox=self._outbox, spawn=self._spawn)
                    if self._metrics is not None:
                        self._metrics.observe(outcome)
            finally:
                self._slots.release()
        except Exception:
            log.exception("the daemon could not run %s; it carries on", name)
        finally:
            with self._lock:
                self._running.pop(name, None)
                self._in_flight -= 1
            self._events.put(("run-ended", None))

    def _spawn(self, name: str, argv: Sequence[str]) -> ChildRun | None:
        with self._lock:  # no child may start once the shutdown has looked at the running ones
            if self._stopping:
                return None
            child = ChildRun(name, argv, env=child_environment())
            self._running[name] = child
            return child

    def _may_run(self, ctx: RunContext, source: SourceConfig) -> bool:
        now = utcnow()
        name = source.name
        try:
            self._outbox.flush(ctx.db)
            with ctx.db.reader() as session:
                history = source_histories(session, [name], now=now)[name]
                holder = holders(session).get(name)
        except StorageError as exc:
            # The child would fail the same way; back off on the failures kept in memory.
            count, last = self._outbox.failures(name)
            hold = last + backoff_delay(count, ctx.config.daemon) if last else None
            if hold is not None and now < hold:
                self._announce(name, f"backoff:{hold}", "run of %s skipped: database "
                               "unreachable (%s); next try after %s", name, exc, hold)
                return False
            return True
        hold = backoff_until(history, ctx.config.daemon)
        if hold is not None and now < hold:
            state = "dead" if is_dead(history, ctx.config.daemon) else "backing off"
            self._announce(name, f"backoff:{hold}",
                           "run of %s skipped: %s after %d consecutive failures until %s",
                           name, state, history.consecutive_failures,
                           hold.isoformat(timespec="seconds"))
            return False
        stale = timedelta(seconds=ctx.config.daemon.stale_lock_seconds)
        if holder is not None and not holder.is_dead(now, stale):
            self._announce(name, f"busy:{holder.pid}",
                           "run of %s skipped: being crawled by pid %d since %s", name,
                           holder.pid, holder.acquired_at.isoformat(timespec="seconds"))
            return False
        ran = ran_this_period(source, history, now)
        if ran is not None:
            self._announce(name, f"ran:{ran}", "run of %s skipped: it already ran at %s "
                           "(another daemon, or by hand) in this period", name,
                           ran.isoformat(timespec="seconds"))
            return False
        self._announced.pop(name, None)
        return True

    def _announce(self, name: str, key: str, message: str, *args: object) -> None:
        """Log a skip once per cause, not at every firing of a short schedule."""
        if self._announced.get(name) != key:
            self._announced[name] = key
            log.info(message, *args)

    # -- signals and control ----------------------------------------------------------

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._events.put(("signal", signum))

    def _control_loop(self) -> None:
        plan: ShutdownPlan | None = None
        while True:
            try:
                kind, value = self._events.get(timeout=plan.seconds_to_next() if plan else None)
            except queue.Empty:
                kind, value = "tick", None
            if kind == "signal" and value == signal.SIGHUP:
                if plan is None:
                    self._reload()
            elif kind in ("signal", "abort"):
                if plan is None:
                    plan = self._begin_stop(value)
                else:
                    log.warning("second stop signal: stopping the running runs now")
                    plan.hurry(self._ctx.config.daemon.stop_timeout_seconds)
            if plan is not None and self._advance(plan):
                return

    def _begin_stop(self, signum: int | None) -> ShutdownPlan:
        daemon = self._ctx.config.daemon
        with self._lock:
            self._stopping = True
            started = self._started
            running = len(self._running)
        self._slots.close()
        if started:
            self.scheduler.shutdown(wait=False)
        what = signal.Signals(signum).name if signum else "an error"
        log.info("stopping on %s: no new runs; %d running get up to %gs to finish", what,
                 running, daemon.grace_period_seconds)
        return ShutdownPlan.start(daemon.grace_period_seconds, daemon.stop_timeout_seconds)

    def _advance(self, plan: ShutdownPlan) -> bool:
        """Act on the shutdown timeline; True once nothing runs any more (or we give up)."""
        with self._lock:
            children = list(self._running.values())
            idle = self._in_flight == 0
        if idle:
            return True
        action = plan.due_action()
        if action == "terminate":
            for child in children:
                log.warning("asking run of %s (pid %d) to stop: grace period over",
                            child.source, child.pid)
                child.terminate("interrupted")
        elif action == "kill":
            for child in children:
                log.error("killing run of %s (pid %d): it did not stop", child.source, child.pid)
                child.kill("interrupted")
        elif action == "give_up":
            log.error("giving up waiting for %d runs to be recorded", len(children))
            return True
        return False

    def _reload(self) -> None:
        old = self._ctx
        try:
            config = load_config(self._config_path)
            db = old.db
            if config.database.url != old.config.database.url:
                db = Database(config.database.url)
                ensure_schema(db)
        except (ConfigError, StorageError) as exc:
            for line in str(exc).splitlines():
                log.error("config reload refused: %s", line)
            log.error("keeping the running config (%d sources)", len(old.config.enabled_sources))
            return
        new_ctx = self._context(config, db)
        before = {source.name: source for source in old.config.enabled_sources}
        after = {source.name: source for source in config.enabled_sources}
        removed = sorted(before.keys() - after.keys())
        added = [after[name] for name in sorted(after.keys() - before.keys())]
        rescheduled = [after[name] for name in sorted(after.keys() & before.keys())
                       if after[name].schedule != before[name].schedule]
        changed = sorted(name for name in after.keys() & before.keys()
                         if after[name] != before[name])
        self._ctx = new_ctx  # jobs starting from now on read the new config
        self._slots.resize(config.daemon.max_parallel_runs)
        for name in removed:
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job(job_id(name))
        self._schedule([*added, *rescheduled], self._histories_or_empty(new_ctx, added + rescheduled))
        if config.daemon.misfire_grace_seconds != old.config.daemon.misfire_grace_seconds:
            for name in after:
                self.scheduler.modify_job(job_id(name), misfire_grace_time=int(
                    config.daemon.misfire_grace_seconds))
        log.info("config reloaded: added %s; removed %s; changed %s",
                 ", ".join(s.name for s in added) or "none", ", ".join(removed) or "none",
                 ", ".join(changed) or "none",
                 extra={"fields": {"event": "reload", "added": [s.name for s in added],
                                   "removed": removed, "changed": changed}})
        self._print_next_runs("config reloaded")
        if db is not old.db:
            old.db.dispose()

    def _histories_or_empty(self, ctx: RunContext,
                            sources: Sequence[SourceConfig]) -> dict[str, SourceHistory]:
        try:
            return self._histories(ctx, sources)
        except StorageError as exc:
            log.warning("cannot read the run history (%s); new sources start now", exc)
            return {}


#: Longest sleep of the scheduler's (main) thread, in seconds: how late a stop signal may
#: be acted on at worst.
_WAKE_SECONDS = 1.0


class _WakefulScheduler(BlockingScheduler):  # type: ignore[misc]
    """A BlockingScheduler whose main thread wakes at least every ``_WAKE_SECONDS``.

    Python runs signal handlers on the main thread only. A SIGTERM the kernel hands to
    another thread (the control thread, an executor's) waited until the main thread ran
    again: until the next firing, an hour away with hourly sources, so `systemctl stop`
    ended in SIGKILL. Seen once in CI as a daemon that did not stop in 60 s.
    """

    def _process_jobs(self) -> float:
        wait: float | None = super()._process_jobs()
        return _WAKE_SECONDS if wait is None else min(wait, _WAKE_SECONDS)
