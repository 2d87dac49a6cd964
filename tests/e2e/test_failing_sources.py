"""Failing sources look failed (issue 11): the shipped config crawled with the web
unreachable (every request goes to a proxy on a closed port: connection refused)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import REPO_ROOT, cli_env


def closed_port() -> int:
    """A port nothing listens on: bound once by us, then closed (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class Offline:
    """The shipped config.yaml in a folder of its own, with no web to reach."""

    workdir: Path
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=300)

    def runs(self) -> list[dict[str, Any]]:
        result = self.cli("runs", "--format", "jsonl", "--limit", "100")
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Offline]:
    workdir = tmp_path_factory.mktemp("offline")
    shutil.copy(REPO_ROOT / "config.yaml", workdir / "config.yaml")
    proxy = f"http://127.0.0.1:{closed_port()}"
    env = cli_env(without=("http_proxy", "https_proxy", "all_proxy", "no_proxy"),
                  http_proxy=proxy, https_proxy=proxy, NEWSDEDUP_DATABASE_URL=f"sqlite:///{workdir / 'news.db'}")
    yield Offline(workdir, env)


@pytest.fixture(scope="module")
def crawled(offline: Offline) -> subprocess.CompletedProcess[str]:
    return offline.cli("crawl")


def test_a_crawl_where_every_request_failed_is_a_failed_run(
        offline: Offline, crawled: subprocess.CompletedProcess[str]) -> None:
    # Issue 11: every source was recorded as success, and crawl exited 0.
    assert crawled.returncode == 1, crawled.stderr[-2000:]
    assert "newsdedup: failed runs:" in crawled.stderr
    runs = offline.runs()
    assert len(runs) == 9
    for run in runs:
        assert run["status"] == "failed", run
        assert run["errors"] >= 1
        assert re.match(r"every request failed \(\d+: connection_error \d+\); last: https?://",
                        run["error"]), run["error"]
        assert "refused" in run["error"].lower()


def test_each_failed_request_is_one_log_line_without_traceback(
        offline: Offline, crawled: subprocess.CompletedProcess[str]) -> None:
    lines = crawled.stderr.splitlines()
    assert not [line for line in lines if "Traceback" in line or line.startswith("  File ")]
    failed = [line for line in lines if " newsdedup.crawler.spider: " in line]
    # One line per URL that failed: as many as the runs counted errors, each URL once.
    assert len(failed) == sum(run["errors"] for run in offline.runs())
    urls = [re.search(r" (https?://\S+) failed: ", line).group(1) for line in failed]  # type: ignore[union-attr]
    assert len(urls) == len(set(urls))
    assert all("refused" in line.lower() for line in failed)
    robots = [line for line in lines if "robots.txt" in line]
    assert robots and all(" failed: " in line and "WARNING" in line for line in robots)
    hosts = [re.search(r"https?://([^/]+)/robots\.txt", line).group(1) for line in robots]  # type: ignore[union-attr]
    assert len(hosts) == len(set(hosts))


def test_status_says_every_source_failed_and_exits_non_zero(
        offline: Offline, crawled: subprocess.CompletedProcess[str]) -> None:
    result = offline.cli("status", "--format", "json")
    assert result.returncode == 1
    assert result.stderr.startswith("newsdedup: unhealthy sources: ")
    statuses = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(statuses) == 9
    for status in statuses:
        assert status["health"] == "unhealthy" and "never succeeded" in status["health_reason"]
        assert status["last_success"] is None and status["consecutive_failures"] == 1
        assert "every request failed" in status["last_error"]
        assert [run["status"] for run in status["recent_runs"]] == ["failed"]
        assert status["recent_runs"][0]["pages_fetched"] == 0


def test_run_due_backs_off_a_failing_source_and_a_manual_crawl_still_runs_it(
        offline: Offline, crawled: subprocess.CompletedProcess[str]) -> None:
    before = len(offline.runs())
    # Every source failed moments ago: each waits daemon.backoff_base_seconds (60 s).
    result = offline.cli("run-due")
    assert result.returncode == 0, result.stderr
    assert len(offline.runs()) == before
    assert result.stderr.count("skipped: backing off after 1 failed runs") == 9
    manual = offline.cli("crawl", "--source", "meduza")
    assert manual.returncode == 1
    runs = offline.runs()
    assert len(runs) == before + 1 and runs[0]["source"] == "meduza"
    assert runs[0]["trigger"] == "manual" and runs[0]["status"] == "failed"
