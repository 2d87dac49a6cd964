"""Extraction in worker processes: the same results as one worker, and a killed worker
costs nothing but a retry of the page it held.

One crawl of the fixture news web (one worker) gives the stored pages; copies of its
SQLite file are then reprocessed from those pages with 1 and with 2 workers (``newsdedup
reprocess --dedup --workers N`` in a subprocess) and exported, and in this process with
2 workers while the test SIGKILLs a worker holding a page.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from support import cli_env

from newsdedup.core.config import load_config
from newsdedup.pipeline.dedup import DedupStage
from newsdedup.pipeline.process import Processor
from newsdedup.storage.db import Database
from newsdedup.storage.models import PageRow
from newsdedup.storage.pages import reset_processed
from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow

# Fields that say when a run happened, not what it made.
VOLATILE = ("first_seen_at", "updated_at", "changed_at")  # times of this run, not results


@dataclass
class Crawled:
    workdir: Path
    env: dict[str, str]

    def copy(self, name: str) -> Path:
        """A directory with config.yaml and a copy of the crawled database."""
        target = self.workdir.parent / f"{self.workdir.name}-{name}"
        (target / "data").mkdir(parents=True)
        shutil.copy(self.workdir / "config.yaml", target / "config.yaml")
        shutil.copy(self.workdir / "data" / "newsdedup.db", target / "data" / "newsdedup.db")
        return target


def _cli(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"newsdedup {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _export(workdir: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    lines = _cli(workdir, env, "export").stdout.splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    for record in records:
        for name in VOLATILE:
            record.pop(name, None)
    return sorted(records, key=lambda record: record["id"])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    workdir = tmp_path_factory.mktemp("workers")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    mapping = site.config_mapping("sqlite:///data/newsdedup.db", timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        _cli(workdir, env, "crawl", "--workers", "1")
    yield Crawled(workdir, env)


def test_two_workers_give_the_same_articles_clusters_and_canonicals(crawled: Crawled) -> None:
    exports = {}
    for workers in ("1", "2"):
        workdir = crawled.copy(f"w{workers}")
        done = _cli(workdir, crawled.env, "reprocess", "--dedup", "--workers", workers)
        assert "articles new" in done.stdout
        exports[workers] = _export(workdir, crawled.env)
    one, two = exports["1"], exports["2"]
    assert len(one) > 20
    assert any(not record["is_canonical"] for record in one)  # there are clusters to compare
    assert [r["id"] for r in two] == [r["id"] for r in one]
    for a, b in zip(one, two, strict=True):
        assert a == b, f"article {a['id']} differs with 2 workers"


def test_a_killed_worker_fails_only_its_page_which_is_retried(crawled: Crawled) -> None:
    workdir = crawled.copy("killed")
    config = load_config(workdir / "config.yaml", environ={})
    config = config.model_copy(update={"process": config.process.model_copy(update={"workers": 2})})
    db = Database(f"sqlite:///{workdir / 'data' / 'newsdedup.db'}")
    try:
        with db.session() as session:
            pending = reset_processed(session)
        DedupStage(config.dedup, db).reset()
        assert pending >= 20
        processor = Processor(config, db, batch_size=20)
        killed: list[int] = []
        stop = threading.Event()

        def kill_a_busy_worker() -> None:
            deadline = time.monotonic() + 120
            while not stop.is_set() and time.monotonic() < deadline:
                extraction = processor.extraction
                pool = extraction.pool if extraction is not None else None
                if pool is not None:
                    busy = [pid for pid, seq in pool.pids().items() if seq is not None]
                    if busy:
                        # Frozen, it cannot hand its page back: it still holds one when killed.
                        os.kill(busy[0], signal.SIGSTOP)
                        # A result it sent just before is collected within this settle.
                        time.sleep(0.05)
                        if pool.pids().get(busy[0]) is not None:
                            os.kill(busy[0], signal.SIGKILL)
                            killed.append(busy[0])
                            return
                        os.kill(busy[0], signal.SIGCONT)
                time.sleep(0.005)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        try:
            report = processor.run()
        finally:
            stop.set()
            killer.join()
        assert killed, "no worker was seen holding a page"
        total = report.total()
        assert total["process/worker_lost"] == 1
        assert total["process/failed"] == 0
        with db.reader() as session:
            assert session.scalar(select(func.count()).where(PageRow.processed_at.is_(None))) == 0
            assert session.scalar(select(func.count()).where(PageRow.claimed_by.is_not(None))) == 0
    finally:
        db.dispose()
    # Every page done, and the same export as a run where nobody was killed.
    reference = crawled.copy("reference")
    _cli(reference, crawled.env, "reprocess", "--dedup", "--workers", "1")
    assert _export(workdir, crawled.env) == _export(reference, crawled.env)
