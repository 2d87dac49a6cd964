"""Run one source in a child process under a time limit, and record what the child could not.

The child records its own run (start, end, counts) and logs its start and end lines.
The supervisor steps in when it cannot: the child was killed or crashed (its run is
still ``running``: finished here as ``timeout``, ``interrupted`` or ``failed`` with the
exit described, and its locks released), or it failed before starting a run (a
``failed`` run is recorded with the child's error line). When the database is down,
those records wait in memory (:class:`Outbox`) and are written when it is back.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from newsdedup.app.daemon.child import ChildRun, child_environment, crawl_command
from newsdedup.app.daemon.runlog import log_run_end
from newsdedup.core.config import Config, SourceConfig
from newsdedup.core.errors import StorageError
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.locks import release_process, this_host
from newsdedup.storage.runs import RunCounts, RunView, finish_run, process_runs, start_run
from newsdedup.storage.sources import ensure_sources

__all__ = [
    "BUSY_EXIT_CODE",
    "Outbox",
    "Outcome",
    "RunContext",
    "Spawner",
    "run_in_child",
    "write_config_snapshot",
]

log = logging.getLogger(__name__)

BUSY_EXIT_CODE = 3
#: A child's own clock starts once it has imported everything and taken its lock.
STARTUP_ALLOWANCE_SECONDS = 15

Spawner = Callable[[str, Sequence[str]], ChildRun | None]


def write_config_snapshot(config: Config, directory: Path) -> Path:
    """Write ``config`` where children read it, so they run on exactly the daemon's config.

    The file on disk may have changed since (a reload may even have been refused); the
    snapshot is what was validated. It may hold passwords: the file is private (0600).
    A relative SQLite path (a config not loaded from a file) is made absolute against
    the current directory, as the loader would otherwise anchor it to the snapshot's.
    """
    from sqlalchemy.engine import make_url

    url = make_url(config.database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:") and not Path(url.database).is_absolute():
        absolute = url.set(database=str(Path(url.database).resolve()))
        database = config.database.model_copy(
            update={"url": absolute.render_as_string(hide_password=False)})
        config = config.model_copy(update={"database": database})
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    existing = sorted(directory.glob("config-*.json"))
    path = directory / f"config-{len(existing) + 1}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(config.model_dump(mode="json"), stream, indent=1)
    return path


@dataclass(frozen=True)
class RunContext:
    """What starting runs needs: the config, the file children load it from, the database."""

    config: Config
    config_path: Path
    db: Database
    log_format: str = "text"
    verbose: int = 0


@dataclass
class Outcome:
    """How a supervised run ended. ``status`` is a run status, or ``busy`` (another process
    held the source: nothing ran) or ``not_started`` (stopped before it began)."""

    source: str
    trigger: str
    status: str
    runs: list[RunView] = field(default_factory=list)
    error: str | None = None
    duration_s: float = 0.0
    exit_code: int | None = None

    @property
    def counts(self) -> RunCounts:
        return RunCounts(
            pages_fetched=sum(run.pages_fetched for run in self.runs),
            articles_new=sum(run.articles_new for run in self.runs),
            articles_updated=sum(run.articles_updated for run in self.runs),
            rejected=sum(run.rejected for run in self.runs),
            errors=sum(run.errors for run in self.runs),
        )


@dataclass
class _Record:
    source: str
    failed_at: datetime
    description: str
    write: Callable[[Session], None]


class Outbox:
    """Records the supervisor could not write because the database was unreachable.

    They are written, oldest first, by :meth:`flush` (called before each run). Pending
    failures also feed the backoff while the database cannot say how a source is doing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Record] = []

    def __len__(self) -> int:
        return len(self._pending)

    def write(self, db: Database, *, source: str, failed_at: datetime, description: str,
              write: Callable[[Session], None]) -> None:
        """Apply ``write`` in a transaction now, or later if the database is unreachable."""
        with self._lock:
            self._pending.append(_Record(source, failed_at, description, write))
        self.flush(db)

    def flush(self, db: Database) -> None:
        with self._lock:
            if not self._pending:
                return
            try:
                with db.session() as session:
                    for record in self._pending:
                        record.write(session)
            except StorageError as exc:
                log.warning("%d run records wait for the database: %s", len(self._pending), exc)
                return
            self._pending.clear()

    def failures(self, source: str) -> tuple[int, datetime | None]:
        """How many unwritten failures ``source`` has, and when the last one happened."""
        with self._lock:
            mine = [record.failed_at for record in self._pending if record.source == source]
        return len(mine), (max(mine) if mine else None)


def _time_limit(config: Config, source: SourceConfig) -> float:
    stop = config.daemon.stop_timeout_seconds
    return config.crawl_for(source).max_run_minutes * 60 + stop + STARTUP_ALLOWANCE_SECONDS


def _spawn_directly(source: str, argv: Sequence[str]) -> ChildRun:
    return ChildRun(source, argv, env=child_environment())


def run_in_child(ctx: RunContext, source: SourceConfig, *, trigger: str, outbox: Outbox,
                 spawn: Spawner = _spawn_directly) -> Outcome:
    """Run ``source`` once in a child process and wait for it (time limit included).

    ``spawn`` starts the child (the daemon registers it there, and returns None once it
    is shutting down: then nothing runs). Never raises for a failed run: it is recorded.
    """
    argv = crawl_command(source.name, trigger=trigger, config_path=str(ctx.config_path),
                         log_format=ctx.log_format, verbose=ctx.verbose)
    child = spawn(source.name, argv)
    if child is None:
        return Outcome(source.name, trigger, "not_started")
    if not child.wait(_time_limit(ctx.config, source)):
        log.error("run of %s (pid %d) did not stop at its time limit; stopping it",
                  source.name, child.pid)
        child.terminate("timeout")
        if not child.wait(ctx.config.daemon.stop_timeout_seconds):
            child.kill("timeout")
            child.wait()
    return _settle(ctx, source, trigger, child, outbox)


def _child_runs(ctx: RunContext, child: ChildRun, outbox: Outbox) -> list[RunView]:
    """The runs the exited child recorded (none when the database cannot say)."""
    try:
        outbox.flush(ctx.db)
        with ctx.db.reader() as session:
            return process_runs(session, pid=child.pid, hostname=this_host(),
                                since=child.started_at - timedelta(seconds=1))
    except StorageError as exc:
        log.warning("cannot read the runs of child %d: %s", child.pid, exc)
        return []


def _ended_by_child(outcome: Outcome, runs: list[RunView], child: ChildRun) -> bool:
    """Fill in ``outcome`` when the child's records, or its exit, say how it ended."""
    if runs:
        if any(run.status == "running" for run in runs):
            return False
        statuses = {run.status for run in runs}
        outcome.status = statuses.pop() if len(statuses) == 1 else "failed"
        outcome.error = next((run.error for run in runs if run.error), None)
        return True
    if child.returncode == BUSY_EXIT_CODE:
        outcome.status, outcome.error = "busy", child.reason_line()
        log.info("run of %s skipped: %s", outcome.source, outcome.error)
        return True
    if child.stop_reason == "interrupted":
        outcome.status = "not_started"
        return True
    return False


def _undone_writer(source: SourceConfig, trigger: str, child: ChildRun,
                   unfinished: list[RunView], status: str, error: str | None,
                   now: datetime) -> Callable[[Session], None]:
    """What records a child that died: its unfinished runs closed, or a run of its own."""
    host, pid, ids = this_host(), child.pid, [run.id for run in unfinished]

    def close_unfinished(session: Session) -> None:
        for run_id in ids:
            finish_run(session, run_id, status=status, now=now, error=error)
        release_process(session, pid, host)

    def record_run(session: Session) -> None:
        source_id = ensure_sources(session, [source.name])[source.name]
        run_id = start_run(session, source_id=source_id, trigger=trigger, now=child.started_at,
                           pid=pid, hostname=host)
        finish_run(session, run_id, status=status, now=now, error=error)
        release_process(session, pid, host)

    return close_unfinished if ids else record_run


def _settle(ctx: RunContext, source: SourceConfig, trigger: str, child: ChildRun,
            outbox: Outbox) -> Outcome:
    """Read what the exited child recorded and record what it left undone."""
    outcome = Outcome(source.name, trigger, "failed", duration_s=child.elapsed(),
                      exit_code=child.returncode)
    outcome.runs = runs = _child_runs(ctx, child, outbox)
    if _ended_by_child(outcome, runs, child):
        return outcome
    unfinished = [run for run in runs if run.status == "running"]
    status = child.stop_reason or "failed"
    error = child.describe_exit()
    outcome.status, outcome.error = status, error
    now = utcnow()
    write = _undone_writer(source, trigger, child, unfinished, status, error, now)
    outbox.write(ctx.db, source=source.name, failed_at=now, description=error, write=write)
    ended: list[RunView | None] = [*unfinished] or [None]
    for run in ended:
        log_run_end(source=source.name, trigger=trigger, run_id=run.id if run else None,
                    status=status, duration_s=outcome.duration_s,
                    counts=outcome.counts if run else None, error=error)
    return outcome
