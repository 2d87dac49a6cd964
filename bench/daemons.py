"""End to end with one daemon and with two on one database, side by side, in one run.

Usage:
    python bench/daemons.py [--articles N] [--daemons 1,2] [--database-url URL]

Builds the generated news web of ``bench/crawl.py`` (N articles, default 2,000, three
outlets, delays off) and serves it on 127.0.0.1 from this process. For each daemon
count, a fresh database (a Postgres schema of ``--database-url``, default the local test
server; or SQLite files with ``--database-url sqlite``) and that many ``newsdedup
daemon`` processes on one config (every source due at once, hourly schedules so that
each runs once). Timed from the start of the daemons until every article of the web is
stored and deduplicated and no page is pending; printed as articles/s end to end,
with the ratio to the first count.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from newsdedup.storage.db import Database  # noqa: E402
from newsdedup.storage.models import ArticleRow, CrawlRunRow, PageRow  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb
from newsweb import NewsWeb, build_bench_site  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup import fresh_database  # noqa: E402  # the sibling benchmark's helper

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def progress(url: str, sources: int) -> tuple[int, bool]:
    """(articles deduplicated, whether everything is done: every source ran to its end,
    nothing pending); (0, False) before the schema exists."""
    db = Database(url)
    try:
        with db.reader() as session:
            done = session.scalar(select(func.count()).where(ArticleRow.dedup_state == "done")) or 0
            waiting = session.scalar(select(func.count()).where(ArticleRow.dedup_state != "done")) or 0
            pending = session.scalar(select(func.count()).where(PageRow.processed_at.is_(None))) or 0
            finished = session.scalar(select(func.count(func.distinct(CrawlRunRow.source_id)))
                                      .where(CrawlRunRow.finished_at.is_not(None))) or 0
        return int(done), finished >= sources and not pending and not waiting
    except Exception:  # no tables yet: the daemons create them
        return 0, False
    finally:
        db.dispose()


def run(site_web: NewsWeb, daemons: int, url: str, workdir: Path,
        timeout: float) -> tuple[float, int]:
    mapping = site_web.site.config_mapping(url)
    for source in mapping["sources"]:
        source["schedule"] = "every 1h"
    mapping["daemon"] = {"max_parallel_runs": 2}
    config = workdir / f"config-{daemons}.yaml"
    config.write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env.update(http_proxy=site_web.proxy_url, no_proxy="", PYTHONPATH=str(REPO))
    # The schema first, so that the daemons do not race to create it.
    subprocess.run([sys.executable, "-m", "newsdedup", "--config", str(config), "db", "upgrade"],
                   env=env, check=True, capture_output=True)
    started = time.monotonic()
    processes = [
        subprocess.Popen([sys.executable, "-m", "newsdedup", "--config", str(config), "daemon"],
                         env=env, stdout=subprocess.DEVNULL,
                         stderr=(workdir / f"daemon-{daemons}-{i}.err").open("w"))
        for i in range(daemons)
    ]
    try:
        done = 0
        while time.monotonic() - started < timeout:
            done, finished = progress(url, len(mapping["sources"]))
            if finished:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)
    return elapsed, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--daemons", default="1,2")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--timeout", type=float, default=1200)
    args = parser.parse_args()
    site = build_bench_site(args.articles, 1)
    counts = [int(part) for part in args.daemons.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp, NewsWeb(site) as web:
        for daemons in counts:
            server = None if args.database_url == "sqlite" else args.database_url
            url = fresh_database(server, f"bench_daemons_{daemons}", Path(tmp))
            results[daemons] = run(web, daemons, url, Path(tmp), args.timeout)
    print(f"{args.articles} articles in the web, {os.cpu_count()} CPUs, "
          f"{'SQLite' if args.database_url == 'sqlite' else 'Postgres'}")
    print(f"{'daemons':>7} {'seconds':>8} {'articles':>8} {'art/s':>7} {'x':>5}")
    base = results[counts[0]]
    for daemons in counts:
        elapsed, done = results[daemons]
        print(f"{daemons:>7} {elapsed:>8.1f} {done:>8} {done / elapsed:>7.1f} "
              f"{(base[0] / elapsed):>5.2f}")


if __name__ == "__main__":
    main()
