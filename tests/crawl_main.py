"""A crawl without the process phase, in a subprocess of the crawl tests and benchmarks.

``python tests/crawl_main.py [--config PATH] [--source NAME]... [--refetch] [--set K=V]...
[--stop-timeout S]``
crawls (no process phase), records ``manual`` runs, prints the stats as one JSON object
per source on stdout. Exit 0 when the crawl finished, 2 on a bad config, 1 on a storage
error. Test support: users crawl with ``newsdedup crawl``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsdedup.core.config import Config, load_config
from newsdedup.core.errors import NewsdedupError
from newsdedup.core.records import utcnow
from newsdedup.crawler.outcomes import crawl_failure
from newsdedup.crawler.run import CrawlJob, crawl
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.runs import RunCounts, finish_run, start_run
from newsdedup.storage.sources import ensure_sources

#: The command that runs this file (tests and benchmarks add its arguments).
COMMAND = [sys.executable, str(Path(__file__).resolve())]


def _prepare_jobs(config: Config, names: Sequence[str]) -> list[CrawlJob]:
    """Source rows and ``manual`` runs for a stand-alone crawl."""

    sources = [config.source(name) for name in names] if names else list(config.enabled_sources)
    database = Database(config.database.url)
    try:
        ensure_schema(database)
        with database.session() as session:
            ids = ensure_sources(session, [source.name for source in sources])
            now = utcnow()
            return [
                CrawlJob(
                    source,
                    ids[source.name],
                    start_run(session, source_id=ids[source.name], trigger="manual", now=now,
                              pid=os.getpid()),
                )
                for source in sources
            ]
    finally:
        database.dispose()


def _finish_jobs(config: Config, jobs: Sequence[CrawlJob], results: Mapping[str, Counter[str]]) -> None:

    database = Database(config.database.url)
    try:
        with database.session() as session:
            for job in jobs:
                stats = results.get(job.source.name, Counter())
                failure = crawl_failure(stats)
                status = "interrupted" if stats["run/interrupted"] else "success"
                if failure is not None and status == "success":
                    status = "failed"
                finish_run(
                    session, job.run_id, status=status, now=utcnow(), stats=dict(stats),
                    error=failure if status == "failed" else None,
                    counts=RunCounts(pages_fetched=stats["pages/fetched"],
                                     errors=stats["fetch/errors"]),
                )
    finally:
        database.dispose()


def _setting(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl the sources named (default: all enabled) and print their stats."""
    parser = argparse.ArgumentParser(prog="python tests/crawl_main.py", description=main.__doc__)
    parser.add_argument("--config", default=None)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--refetch", action="store_true")
    parser.add_argument("--set", dest="settings", action="append", type=_setting, default=[])
    parser.add_argument("--log-level", default=os.environ.get("NEWSDEDUP_LOG_LEVEL", "WARNING"))
    parser.add_argument("--stop-timeout", type=float, default=None)
    args = parser.parse_args(argv)
    level = args.log_level.upper()
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Scrapy's loggers bypass the root level (they are set to DEBUG): filter at the handler.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    try:
        config = load_config(args.config)
        jobs = _prepare_jobs(config, args.source)
        results = crawl(config, jobs, refetch=args.refetch, settings=dict(args.settings),
                        stop_timeout=args.stop_timeout)
        _finish_jobs(config, jobs, results)
    except KeyError as exc:
        print(f"unknown source {exc.args[0]!r}", file=sys.stderr)
        return 2
    except NewsdedupError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    for job in jobs:
        line = {"source": job.source.name, "run_id": job.run_id,
                "stats": dict(sorted(results.get(job.source.name, Counter()).items()))}
        print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
