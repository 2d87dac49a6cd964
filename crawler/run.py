"""Running crawls: all jobs in one Scrapy ``CrawlerProcess``, one crawler per source.

A Twisted reactor cannot be restarted, so :func:`crawl` runs once per process; the
daemon and ``run-due`` call it in a child process. ``python -m crawler.run`` is a small
stand-alone entry point (sources and runs created on the fly) used by the tests and
benchmarks to crawl in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from crawler.jobs import CrawlJob
from crawler.settings import process_settings, source_settings
from newsdedup.config import Config, load_config
from newsdedup.errors import NewsdedupError, StorageError
from newsdedup.records import utcnow
from storage.db import Database

__all__ = ["STATS_PREFIXES", "CrawlJob", "crawl", "main"]

log = logging.getLogger(__name__)

#: The namespaces of the stats :func:`crawl` returns.
STATS_PREFIXES = (
    "fetch/", "discover/", "pages/", "db/", "run/", "robots/", "revisit/", "article_fetch/",
    "articles/deleted", "articles/restored",
)

# Scrapy's own counters worth keeping, under our names.
_SCRAPY_STATS = {
    "downloader/request_count": "fetch/requests",
    "downloader/response_bytes": "fetch/bytes",
    "retry/count": "fetch/retries",
    "robotstxt/request_count": "robots/requests",
}


def _collect(stats: Mapping[str, Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for key, value in stats.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if key.startswith(STATS_PREFIXES):
            counts[key] = int(value) if isinstance(value, int) else int(value * 1000)
        elif key in _SCRAPY_STATS:
            counts[_SCRAPY_STATS[key]] = int(value)
    # Crawl-delays are kept in milliseconds (Counter values are integers).
    for key in [k for k in counts if k.startswith("robots/crawl_delay/")]:
        counts[key.replace("robots/crawl_delay/", "robots/crawl_delay_ms/")] = counts.pop(key)
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        counts["run/interrupted"] = 1
    elif reason == "closespider_timeout":
        counts["run/timeout"] = 1
    return counts


def _quiet_scrapy_loggers() -> None:
    # Scrapy sets its loggers to DEBUG; follow the caller's level instead, so a quiet
    # run does not build a log record per request.
    level = logging.getLogger().getEffectiveLevel()
    for name in ("scrapy", "crawler"):
        logging.getLogger(name).setLevel(level)


def crawl(
    config: Config,
    jobs: Sequence[CrawlJob],
    *,
    refetch: bool = False,
    install_signal_handlers: bool = True,
    settings: Mapping[str, Any] | None = None,
    progress: Callable[[Mapping[str, Mapping[str, Any]]], None] | None = None,
) -> dict[str, Counter[str]]:
    """Crawl ``jobs`` concurrently in this process and block until all are done.

    Returns per-source stats: ``fetch/<outcome>``, ``fetch/errors``, ``pages/fetched``,
    ``pages/stored``, ``discover/...`` (listed in ``crawler``'s docstring), plus ``run/interrupted``
    when a signal stopped it and ``run/timeout`` after ``max_run_minutes``. With
    ``install_signal_handlers``, SIGINT/SIGTERM stop gracefully (in-flight records are
    flushed) and a second signal stops at once. ``settings`` overrides Scrapy or
    ``NEWSDEDUP_*`` settings (tests, benchmarks). ``progress``, if given, is called about
    once a second from the reactor thread with each source's live stats. Opens its own
    Database.

    Raises StorageError when the database failed during the crawl. Call once per
    process: Twisted's reactor cannot restart.
    """
    if not jobs:
        return {}
    from scrapy.crawler import CrawlerProcess

    from crawler.spider import NewsSpider

    database = Database(config.database.url)
    try:
        process = CrawlerProcess(process_settings())
        _quiet_scrapy_loggers()
        crawlers = {}
        for job in jobs:
            crawler = process.create_crawler(NewsSpider)
            crawler.settings.setdict(source_settings(config.crawl_for(job.source)), "cmdline")
            if settings:
                crawler.settings.setdict(dict(settings), "cmdline")
            process.crawl(
                crawler, job=job, crawl=config.crawl_for(job.source), database=database,
                refetch=refetch,
            )
            crawlers[job.source.name] = crawler
        if progress is not None:
            from twisted.internet.task import LoopingCall

            ticker = LoopingCall(
                lambda: progress({name: c.stats.get_stats() for name, c in crawlers.items()})
            )
            ticker.start(1.0, now=False)
        process.start(install_signal_handlers=install_signal_handlers)
    finally:
        database.dispose()
    results = {}
    failures = []
    for name, crawler in crawlers.items():
        results[name] = _collect(crawler.stats.get_stats())
        spider = crawler.spider
        if isinstance(spider, NewsSpider) and spider.storage_error is not None:
            failures.append(str(spider.storage_error))
    if failures:
        raise StorageError("; ".join(failures))
    return results


def _prepare_jobs(config: Config, names: Sequence[str]) -> list[CrawlJob]:
    """Source rows and ``manual`` runs for a stand-alone crawl."""
    from storage.migrate import ensure_schema
    from storage.runs import start_run
    from storage.sources import ensure_sources

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
    from crawler.outcomes import crawl_failure
    from storage.runs import RunCounts, finish_run

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
    """``python -m crawler.run [--config PATH] [--source NAME]... [--refetch] [--set K=V]...``

    Crawls (no process phase), records ``manual`` runs, prints the stats as one JSON
    object per source on stdout. Exit 0 when the crawl finished, 2 on a bad config,
    1 on a storage error.
    """
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=main.__doc__)
    parser.add_argument("--config", default=None)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--refetch", action="store_true")
    parser.add_argument("--set", dest="settings", action="append", type=_setting, default=[])
    parser.add_argument("--log-level", default=os.environ.get("NEWSDEDUP_LOG_LEVEL", "WARNING"))
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
        results = crawl(config, jobs, refetch=args.refetch, settings=dict(args.settings))
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
