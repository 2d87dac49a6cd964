"""Faults in the middle of a run, caused for real: Postgres backends terminated (as a
restart does), the disk filling up under SQLite, and news servers that stall, reset
connections or redirect in a loop. The run fails with one line (or finishes), the next
run finishes the work, and nothing stored is lost."""

from __future__ import annotations

import contextlib
import json
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from support import cli_env

from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow

pytestmark = pytest.mark.slow

WORDS = ["council", "bridge", "repair", "budget", "river", "school", "minister", "said", "on",
         "Tuesday", "that", "the", "new", "plan", "would", "cost", "million", "and", "take",
         "years", "to", "finish", "after", "floods", "damaged", "roads", "across", "eastern",
         "region", "while", "residents", "waited"]


def write_dump(path: Path, documents: int, seed: int = 7) -> list[str]:
    """A JSON lines dump of distinct documents of source ``good``; returns their URLs."""
    rnd = random.Random(seed)
    urls = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            paragraphs = [" ".join(rnd.choice(WORDS) for _ in range(40)) + f" Item {i}.{j}."
                          for j in range(6)]
            url = f"https://good.example/news/{i}"
            urls.append(url)
            out.write(json.dumps({"text": "\n\n".join(paragraphs), "url": url}) + "\n")
    return urls


def write_config(folder: Path, database_url: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(f"database:\n  url: {database_url}\nsources:\n  - name: good\n"
                    "    feeds: [https://good.example/feed.xml]\n", encoding="utf-8")
    return path


def cli(*args: str, config: Path, preexec: Callable[[], None] | None = None,
        ) -> subprocess.Popen[str]:
    env = cli_env()
    return subprocess.Popen([sys.executable, "-m", "newsdedup", "--config", str(config), *args],
                            env=env, cwd=config.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=preexec)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def stored(database_url: str) -> tuple[int, int]:
    """(articles, articles still waiting for dedup)."""
    db = Database(database_url)
    try:
        with db.reader() as session:
            total = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
            pending = session.scalar(select(func.count()).select_from(ArticleRow)
                                     .where(ArticleRow.dedup_state == "pending")) or 0
        return total, pending
    finally:
        db.dispose()


def upgrade(config: Path) -> None:
    done = cli("db", "upgrade", config=config)
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err


def one_error_line(stderr: str) -> str:
    """The error line, checking that every line of ``stderr`` is a line of its own (a log
    record or the error), none the continuation of a traceback or a multi-line warning."""
    assert "Traceback" not in stderr, stderr[-3000:]
    assert not [line for line in stderr.splitlines() if line[:1].isspace()], stderr[-3000:]
    errors = [line for line in stderr.splitlines() if line.startswith("newsdedup: error: ")]
    assert len(errors) == 1, stderr[-3000:]
    return errors[0]


def assert_finished_and_nothing_lost(config: Path, database_url: str, dump: Path,
                                     urls: list[str]) -> None:
    again = cli("import", str(dump), "--source", "good", config=config)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-3000:]
    assert stored(database_url) == (len(urls), 0)
    exported = cli("export", config=config)
    out, err = exported.communicate(timeout=300)
    assert exported.returncode == 0, err[-3000:]
    assert sorted(json.loads(line)["url"] for line in out.splitlines()) == sorted(urls)


@pytest.mark.postgres
def test_postgres_backends_terminated_mid_import(postgres_url: str, tmp_path: Path) -> None:
    # The run's own connections carry a unique application_name: only they are terminated
    # (other tests share the server).
    name = f"fault-{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{separator}application_name={name}"
    config = write_config(tmp_path, url)
    dump = tmp_path / "dump.jsonl"
    urls = write_dump(dump, 2500)
    upgrade(config)
    run = cli("import", str(dump), "--source", "good", config=config)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        wait_until(lambda: run.poll() is not None or stored(postgres_url)[0] > 0, timeout=300,
                   what="the first batch to be stored")
        # Terminate its backends again and again, as a flapping server would: idle ones
        # are replaced by the pool's pre-ping, one inside a transaction fails the run.
        killed = 0
        with admin.connect() as connection:
            for _round in range(20):
                if run.poll() is not None:
                    break
                killed += connection.execute(text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"), {"name": name}).scalar() or 0
                with contextlib.suppress(subprocess.TimeoutExpired):
                    run.wait(timeout=0.5)  # ends the pacing early when the run ends
        _out, err = run.communicate(timeout=300)
    finally:
        admin.dispose()
        if run.poll() is None:
            run.kill()
    assert killed, "the import ended before its connections could be terminated"
    assert run.returncode in (0, 1), err[-3000:]
    if run.returncode == 1:
        line = one_error_line(err)
        assert line.startswith("newsdedup: error: database postgresql"), line
        assert "terminat" in line or "connection" in line, line
    else:  # it rode out every termination: then it did all of the work
        assert "Traceback" not in err
        assert stored(postgres_url) == (len(urls), 0)
    assert_finished_and_nothing_lost(config, url, dump, urls)


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # Past the limit, write() fails with EFBIG instead of the process being killed.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_disk_full_while_importing_into_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "news.db"
    url = f"sqlite:///{database}"
    config = write_config(tmp_path, url)
    dump = tmp_path / "dump.jsonl"
    urls = write_dump(dump, 2500)
    upgrade(config)
    # Files may grow to 16 MB: the first batch (about 11 MB) fits, not everything.
    run = cli("import", str(dump), "--source", "good", config=config,
              preexec=_limit_file_size(16 * 1024 * 1024))
    out, err = run.communicate(timeout=600)
    assert run.returncode == 1, (out, err[-3000:])
    line = one_error_line(err)
    assert line.startswith(f"newsdedup: error: database {url}: "), line
    assert "full" in line or "I/O" in line, line
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The articles are written in batches, then deduplicated: whatever was committed
    # before the disk filled up is there, and the rest is for the next run.
    total, pending = stored(url)
    assert total > 0 and pending > 0, (total, pending)
    assert_finished_and_nothing_lost(config, url, dump, urls)
