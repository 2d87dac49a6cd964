"""Helpers of the crawl tests: each crawl runs ``tests/crawl_main.py`` in a subprocess
(a Twisted reactor runs once per process), through the fixture web's proxy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from newsdedup.core.urls import canonicalize_url
from newsdedup.storage.db import Database
from newsdedup.storage.models import PageRow, SourceRow, UrlStateRow
from newsweb import NewsWeb, RequestRecord, Site

REPO_ROOT = Path(__file__).resolve().parents[1]
# A crawl without the process phase (tests/crawl_main.py), in a subprocess.
CRAWL_MAIN = [sys.executable, str(REPO_ROOT / "tests" / "crawl_main.py")]

#: Short waits for tests: a stalled page costs timeout x (retries + 1).
FAST_CRAWL: dict[str, Any] = {"timeout": 3, "retries": 1}
FAST_SETTINGS = ("NEWSDEDUP_RETRY_BACKOFF=0.05", "NEWSDEDUP_FLUSH_SECONDS=0.2")


@dataclass
class CrawlResult:
    """One crawl subprocess: its exit code, per-source stats and the requests it made."""

    returncode: int
    stats: dict[str, Counter[str]]
    requests: list[RequestRecord]
    stderr: str

    def gets(self) -> Counter[str]:
        """Normalised URL -> number of GET requests."""
        return Counter(r.url for r in self.requests if r.method == "GET")


@dataclass
class Crawler:
    """Runs crawls of ``site`` (served by ``web``) into ``database_url``."""

    site: Site
    web: NewsWeb
    database_url: str
    workdir: Path
    crawl: dict[str, Any] = field(default_factory=dict)
    sources: list[str] | None = None

    @property
    def config_path(self) -> Path:
        path = self.workdir / "config.yaml"
        mapping = self.site.config_mapping(self.database_url, sources=self.sources, **self.crawl)
        path.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
        return path

    def command(self, *args: str) -> list[str]:
        settings = [part for setting in FAST_SETTINGS for part in ("--set", setting)]
        return [*CRAWL_MAIN, "--config", str(self.config_path),
                *settings, *args]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
        env.update(http_proxy=self.web.proxy_url, HTTP_PROXY=self.web.proxy_url, no_proxy="",
                   NO_PROXY="")
        return env

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), env=self.env(), cwd=REPO_ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self, process: subprocess.Popen[str], since: int, timeout: float = 120) -> CrawlResult:
        stdout, stderr = process.communicate(timeout=timeout)
        stats = {}
        for line in stdout.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                stats[record["source"]] = Counter(record["stats"])
        return CrawlResult(process.returncode, stats, self.web.requests[since:], stderr)

    def run(self, *args: str, timeout: float = 120) -> CrawlResult:
        since = len(self.web.requests)
        result = self.finish(self.start(*args), since, timeout)
        assert result.returncode == 0, result.stderr[-3000:]
        assert not self.web.errors, self.web.errors
        return result

    def database(self) -> Database:
        return Database(self.database_url)


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str,
             interval: float = 0.05) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def url_states(db: Database, source: str | None = None) -> dict[str, UrlStateRow]:
    with db.reader() as session:
        query = select(UrlStateRow)
        if source is not None:
            query = query.join(SourceRow, SourceRow.id == UrlStateRow.source_id).where(
                SourceRow.name == source)
        rows = list(session.scalars(query))
        session.expunge_all()
    return {row.url: row for row in rows}


def stored_pages(db: Database) -> list[PageRow]:
    with db.reader() as session:
        rows = list(session.scalars(select(PageRow).order_by(PageRow.id)))
        session.expunge_all()
    return rows


def pages_by_final_url(db: Database) -> Counter[str]:
    """Canonical final URL -> number of stored pages."""
    return Counter(canonicalize_url(page.final_url) for page in stored_pages(db))
