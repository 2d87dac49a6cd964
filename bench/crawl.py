"""End-to-end crawl speed: crawl a generated news web, then process what was fetched.

Usage:
    python bench/crawl.py [--articles N] [--seed S] [--database URL] [--keep DIR]

Builds a generated web of N articles (default 2,000; three outlets with feeds, sitemap
indexes of gzip sitemaps, news sitemaps and paginated listings), serves it on 127.0.0.1
from this process, crawls it with ``tests/crawl_main.py`` in a subprocess (delays off,
robots.txt obeyed) into a fresh SQLite file (or ``--database``, e.g. a Postgres URL whose
schema you do not mind filling), then runs the process phase (``newsdedup.pipeline.process``) here.

Prints pages/s (crawl), articles/s (end to end) and where the time goes: fetching and
parsing in the crawler, its database reads and writes, extraction, dedup and the
process phase's database work; then crawls again (nothing new) to show that a repeat
run costs only its conditional discovery requests. The web server shares the machine: its CPU time is
printed too, as it competes with the crawler for the two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb


REPO = Path(__file__).resolve().parents[1]
# A crawl without the process phase, in a subprocess.
CRAWL_MAIN = [sys.executable, str(REPO / "tests" / "crawl_main.py")]


def _timed(counter: dict[str, float], key: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` wrapped to add its run time to ``counter[key]`` (bench harness only)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            counter[key] = counter.get(key, 0.0) + time.perf_counter() - started

    return wrapper


def crawl(site: Any, database_url: str, workdir: Path) -> tuple[dict[str, Counter[str]], float, float, float]:
    """Crawl ``site``; return per-source stats, wall seconds, crawler CPU, server CPU."""
    from newsweb import NewsWeb

    config_path = workdir / "config.yaml"
    config_path.write_text(yaml.safe_dump(site.config_mapping(database_url), allow_unicode=True))
    with NewsWeb(site) as web:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
        env.update(http_proxy=web.proxy_url, no_proxy="")
        command = [*CRAWL_MAIN, "--config", str(config_path)]
        server_cpu = time.process_time()
        children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - started
        server_cpu = time.process_time() - server_cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        crawler_cpu = (after.ru_utime - children_cpu.ru_utime) + (after.ru_stime - children_cpu.ru_stime)
        if done.returncode != 0 or web.errors:
            sys.exit(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}\n{web.errors[:3]}")
    stats = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            stats[record["source"]] = Counter(record["stats"])
    return stats, wall, crawler_cpu, server_cpu


def process(database_url: str, config_path: Path) -> tuple[Counter[str], dict[str, float]]:
    """Run the process phase over everything pending; return its counts and timings."""
    from newsdedup.core.config import load_config
    from newsdedup.pipeline.process import Processor
    from newsdedup.storage.db import Database

    config = load_config(config_path, environ={})
    db = Database(database_url)
    timings: dict[str, float] = {}
    try:
        processor = Processor(config, db)
        processor.extractor.extract = _timed(timings, "extract", processor.extractor.extract)  # type: ignore[method-assign]
        deduplicate = processor._deduplicate

        def dedup_if_there(*args: Any) -> None:
            try:
                deduplicate(*args)
            except ImportError as exc:  # the dedup stage lands separately
                timings["dedup_missing"] = 1.0
                print(f"note: dedup stage not available ({exc}); timed without it")

        processor._deduplicate = _timed(timings, "dedup", dedup_if_there)  # type: ignore[method-assign]
        started = time.perf_counter()
        report = processor.run()
        timings["total"] = time.perf_counter() - started
    finally:
        db.dispose()
    return report.total(), timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--keep", type=Path, help="keep the work folder (config, SQLite) here")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from newsweb import build_bench_site

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsdedup-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database or f"sqlite:///{workdir / 'bench.db'}"
    site = build_bench_site(args.articles, args.seed)

    stats, crawl_wall, crawler_cpu, server_cpu = crawl(site, database_url, workdir)
    total: Counter[str] = Counter()
    for counts in stats.values():
        total.update(counts)
    counts, timings = process(database_url, workdir / "config.yaml")

    pages = total["pages/fetched"]
    requests = total["fetch/requests"]
    articles = counts["extract/article"]
    end_to_end = crawl_wall + timings["total"]
    read_s = total["db/read_ms"] / 1000
    write_s = total["db/write_ms"] / 1000
    extract_s = timings.get("extract", 0.0)
    dedup_s = timings.get("dedup", 0.0)
    print(f"web: {args.articles} articles in {len(site.outlets)} outlets (seed {args.seed}); "
          f"database {database_url.split('://')[0]}")
    print(f"crawl:   {crawl_wall:7.1f} s  {requests} requests, {pages} article pages, "
          f"{total['pages/stored']} stored -> {pages / crawl_wall:6.1f} pages/s, "
          f"{requests / crawl_wall:6.1f} requests/s")
    print(f"process: {timings['total']:7.1f} s  {articles} articles, "
          f"{sum(v for k, v in counts.items() if k.startswith('extract/')) - articles} rejected "
          f"-> {articles / timings['total']:6.1f} articles/s")
    print(f"end to end: {end_to_end:.1f} s -> {pages / end_to_end:.1f} pages/s, "
          f"{articles / end_to_end:.1f} articles/s")
    print("where the time goes (seconds):")
    # The crawler's reads and writes run on threads beside the downloads (their time
    # includes waits for the GIL and for SQLite's write lock): parts of the crawl's wall,
    # not to be subtracted from it.
    print(f"  crawl (fetch, parse, and beside it:)  {crawl_wall:7.1f}")
    print(f"    crawler db reads (url_state look-ups, on threads) {read_s:7.1f}")
    print(f"    crawler db writes (url_state, pages, on threads)  {write_s:7.1f}")
    print(f"  extract                               {extract_s:7.1f}")
    print(f"  dedup                                 {dedup_s:7.1f}")
    print(f"  process db (load, store articles)     {timings['total'] - extract_s - dedup_s:7.1f}")
    print(f"cpu: crawler process {crawler_cpu:.1f} s, web server {server_cpu:.1f} s "
          f"(both on the same {os.cpu_count()} cores)")
    # Incremental: a second crawl with nothing new costs the discovery requests only.
    again, again_wall, _, _ = crawl(site, database_url, workdir)
    repeat: Counter[str] = Counter()
    for counts_again in again.values():
        repeat.update(counts_again)
    print(f"second crawl (nothing new): {again_wall:.1f} s, {repeat['fetch/requests']} requests "
          f"({repeat['fetch/not_modified']} answered 304), {repeat['pages/fetched']} article pages")
    missing = {k: v for k, v in total.items() if k in ("fetch/errors", "fetch/timeout")}
    if missing:
        print(f"warnings: {missing}")
    if not args.keep:
        print(f"(work folder {workdir}; pass --keep DIR to choose it)")


if __name__ == "__main__":
    main()
