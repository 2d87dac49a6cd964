"""The daemon's resident memory does not grow with the number of runs.

Usage:
    python bench/daemon_memory.py [--runs N] [--early N] [--schedule "every 1s"]

Serves the fixture news web from this process, starts ``newsdedup daemon`` on a fresh
SQLite file with two outlets on a short schedule, and reads the daemon's own resident
set size (``VmRSS`` of its process, not of its children) once ``--early`` runs (default
2) have finished and again after ``--runs`` (default 20). Each run is a child process;
the daemon itself never imports Scrapy. Prints both figures, the growth in percent, and
the peak RSS of a child for comparison; exits 1 when the growth exceeds 20%.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from sqlalchemy import func, select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdedup.storage.db import Database  # noqa: E402
from newsdedup.storage.models import CrawlRunRow  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb
from newsweb import NewsWeb, build_test_site  # noqa: E402

SOURCES = ("kyiv-daily", "steppe-wire")
LIMIT_PERCENT = 20.0


def rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (started from any of its threads)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            children.extend(int(child) for child in (task / "children").read_text().split())
    return children


def finished_runs(db: Database) -> int:
    try:
        with db.reader() as session:
            return session.scalar(select(func.count()).select_from(CrawlRunRow)
                                  .where(CrawlRunRow.finished_at.is_not(None))) or 0
    except Exception:  # the daemon has not created the tables yet
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--early", type=int, default=2)
    parser.add_argument("--schedule", default="every 1s")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before giving up")
    args = parser.parse_args()

    site = build_test_site()
    with NewsWeb(site) as web, tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.db'}"
        mapping = site.config_mapping(database_url, sources=SOURCES, timeout=3, retries=1)
        for source in mapping["sources"]:
            source["schedule"] = args.schedule
        mapping["daemon"] = {"max_parallel_runs": 2, "grace_period_seconds": 30,
                             "heartbeat_seconds": 1, "stale_lock_seconds": 15}
        config_path = workdir / "config.yaml"
        config_path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
        env.update(http_proxy=web.proxy_url, no_proxy="",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
        started = time.monotonic()
        with (workdir / "daemon.log").open("w") as log:
            daemon = subprocess.Popen(
                [sys.executable, "-m", "newsdedup", "--config", str(config_path), "daemon"],
                env=env, cwd=workdir, stdout=log, stderr=log)
        db = Database(database_url)
        samples: dict[int, int] = {}
        child_peak = 0
        try:
            deadline = started + args.timeout
            for target in (args.early, args.runs):
                while finished_runs(db) < target:
                    if daemon.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"daemon gone or too slow; see {workdir}/daemon.log:\n"
                                         + (workdir / "daemon.log").read_text()[-3000:])
                    for child in children_of(daemon.pid):
                        # The child may exit between the listing and the read.
                        with contextlib.suppress(FileNotFoundError, RuntimeError):
                            child_peak = max(child_peak, rss_kib(child))
                    time.sleep(0.1)
                samples[target] = rss_kib(daemon.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(timeout=120)
            db.dispose()
        elapsed = time.monotonic() - started

    early, late = samples[args.early], samples[args.runs]
    growth = (late - early) / early * 100
    print(f"daemon RSS after {args.early} runs:  {early / 1024:.1f} MiB")
    print(f"daemon RSS after {args.runs} runs: {late / 1024:.1f} MiB")
    print(f"growth: {growth:+.1f}% (limit {LIMIT_PERCENT:.0f}%)")
    print(f"peak RSS of a run's child process: {child_peak / 1024:.1f} MiB")
    print(f"{args.runs} runs in {elapsed:.1f}s; daemon exit code {code}")
    return 0 if growth <= LIMIT_PERCENT and code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
