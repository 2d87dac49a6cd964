"""Helpers of the scheduling tests: a deployment (config file, database, the CLI in
subprocesses) crawling the fixture news web, and queries on its ``crawl_runs``."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import ProgrammingError

from newsdedup.core.errors import StorageError
from newsdedup.storage.db import Database
from newsdedup.storage.locks import LockHolder, holders
from newsdedup.storage.models import ArticleRow, CrawlRunRow, PageRow, SourceRow
from newsweb import NewsWeb

REPO_ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

#: The two outlets of the fixture web that crawl fastest (a few seconds each).
FAST_SOURCES = ("kyiv-daily", "steppe-wire")

#: Daemon settings for tests: short periods, a grace period tests can wait out.
TEST_DAEMON: dict[str, Any] = {
    "max_parallel_runs": 2,
    "grace_period_seconds": 30,
    "stop_timeout_seconds": 5,
    "heartbeat_seconds": 1,
    "stale_lock_seconds": 15,
    "misfire_grace_seconds": 30,
    "backoff_base_seconds": 1,
    "backoff_max_seconds": 2,
}


def wait_until(condition: Callable[[], T | None], *, timeout: float, what: str,
               interval: float = 0.2, context: Callable[[], str] | None = None) -> T:
    """Poll ``condition`` until it returns something truthy; fail naming ``what`` (and
    what ``context`` says, e.g. a process's stderr) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{context()}" if context is not None else ""
            pytest.fail(f"timed out after {timeout}s waiting for {what}{detail}")
        time.sleep(interval)


@dataclass(frozen=True)
class Run:
    id: int
    source: str
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pid: int | None
    error: str | None


@dataclass
class Deployment:
    """A config file and database crawling the fixture web, driven through the CLI."""

    web: NewsWeb
    workdir: Path
    database_url: str
    env: dict[str, str]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    daemon: dict[str, Any] = field(default_factory=lambda: dict(TEST_DAEMON))
    crawl: dict[str, Any] = field(default_factory=lambda: {"timeout": 3, "retries": 1})
    _db: Database | None = None

    @property
    def config_path(self) -> Path:
        return self.workdir / "config.yaml"

    def configure(self, **sources: dict[str, Any]) -> Deployment:
        """Crawl these outlets, each with its overrides (``schedule``, ``enabled``...)."""
        self.sources = {name.replace("_", "-"): dict(extra) for name, extra in sources.items()}
        return self.write_config()

    def write_config(self) -> Deployment:
        mapping = self.web.site.config_mapping(self.database_url, sources=list(self.sources),
                                               **self.crawl)
        for entry in mapping["sources"]:
            entry.update(self.sources[entry["name"]])
        mapping["daemon"] = self.daemon
        self.config_path.write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
        return self

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "newsdedup", "--config", str(self.config_path), *args]

    def cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), env=self.env, cwd=self.workdir, text=True,
                              capture_output=True, timeout=timeout)

    def start(self, *args: str, name: str) -> subprocess.Popen[str]:
        """Start a CLI command in the background; its output goes to files in the workdir."""
        with (self.workdir / f"{name}.out").open("w") as out, \
                (self.workdir / f"{name}.err").open("w") as err:
            # The child keeps its own copies of the descriptors.
            return subprocess.Popen(self.command(*args), env=self.env, cwd=self.workdir,
                                    text=True, stdout=out, stderr=err)

    def output(self, name: str) -> tuple[str, str]:
        return ((self.workdir / f"{name}.out").read_text(), (self.workdir / f"{name}.err").read_text())

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.database_url)
        return self._db

    def runs(self, source: str | None = None) -> list[Run]:
        query = (select(CrawlRunRow, SourceRow.name)
                 .join(SourceRow, SourceRow.id == CrawlRunRow.source_id)
                 .order_by(CrawlRunRow.started_at, CrawlRunRow.id))
        if source is not None:
            query = query.where(SourceRow.name == source)
        try:
            with self.db.reader() as session:
                return [Run(row.id, name, row.trigger, row.status, row.started_at,
                            row.finished_at, row.pid, row.error)
                        for row, name in session.execute(query)]
        except (StorageError, ProgrammingError):  # no tables yet: the CLI has not created them
            return []

    def lock_holder(self, source: str) -> LockHolder | None:
        try:
            with self.db.reader() as session:
                return holders(session).get(source)
        except (StorageError, ProgrammingError):  # no tables yet
            return None

    def pages(self, source: str) -> int:
        """Pages stored for ``source`` (0 before the CLI created the tables)."""
        try:
            with self.db.reader() as session:
                return session.scalar(
                    select(func.count()).select_from(PageRow)
                    .join(SourceRow, SourceRow.id == PageRow.source_id)
                    .where(SourceRow.name == source)) or 0
        except (StorageError, ProgrammingError):  # no tables yet
            return 0

    def articles(self, source: str) -> list[str]:
        """The canonical URLs of the source's articles (with repeats, if any were stored)."""
        with self.db.reader() as session:
            return sorted(session.scalars(
                select(ArticleRow.canonical_url)
                .join(SourceRow, SourceRow.id == ArticleRow.source_id)
                .where(SourceRow.name == source)))

    def pending_pages(self) -> int:
        with self.db.reader() as session:
            return session.scalar(select(func.count()).select_from(PageRow)
                                  .where(PageRow.processed_at.is_(None))) or 0

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def stop(process: subprocess.Popen[str], timeout: float) -> int:
    """SIGTERM ``process`` and wait for it; returns its exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)


def assert_no_overlap(runs: list[Run]) -> None:
    """Runs of one source never overlap in time."""
    ordered = sorted(runs, key=lambda run: run.started_at)
    for before, after in itertools.pairwise(ordered):
        assert before.finished_at is not None, before
        assert after.started_at >= before.finished_at, (before, after)
