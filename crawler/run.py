"""Running crawls: all jobs in one Scrapy ``CrawlerProcess``, one crawler per source.

A Twisted reactor cannot be restarted, so :func:`crawl` runs once per process; the
daemon and ``run-due`` call it in a child process (``newsdedup crawl``).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from types import FrameType
from typing import Any

from newsdedup.core.config import Config
from newsdedup.core.errors import StorageError
from newsdedup.crawler.jobs import CrawlJob
from newsdedup.crawler.settings import process_settings, source_settings
from newsdedup.storage.db import Database

__all__ = ["STATS_PREFIXES", "CrawlJob", "crawl"]

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
    for name in ("scrapy", "newsdedup.crawler"):
        logging.getLogger(name).setLevel(level)


class _StopBound:
    """After the first stop signal the crawl gets ``seconds`` to stop gracefully; then it
    is asked again, and Scrapy stops at once (its reactor, without waiting for the items
    and requests in progress). Without it a crawl whose graceful stop waits for something
    that never comes (docs/reliability.md) ran on until the daemon's SIGKILL, which
    leaves its run unfinished and its lock to go stale."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.forced = False
        self._over = threading.Event()

    def install(self) -> None:
        """Wrap Scrapy's handlers (called once the reactor runs, after Scrapy set them)."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            graceful = signal.getsignal(signum)
            if callable(graceful):
                signal.signal(signum, partial(self._first_signal, graceful))

    def _first_signal(self, graceful: Callable[[int, FrameType | None], Any], signum: int,
                      frame: FrameType | None) -> None:
        graceful(signum, frame)  # Scrapy stops gracefully, and takes the next signal itself
        threading.Thread(target=self._watch, name="newsdedup-stop-bound", daemon=True).start()

    def _watch(self) -> None:
        if self._over.wait(self.seconds):
            return
        self.forced = True
        os.kill(os.getpid(), signal.SIGTERM)

    def over(self) -> None:
        self._over.set()


def crawl(
    config: Config,
    jobs: Sequence[CrawlJob],
    *,
    refetch: bool = False,
    install_signal_handlers: bool = True,
    settings: Mapping[str, Any] | None = None,
    progress: Callable[[Mapping[str, Mapping[str, Any]]], None] | None = None,
    stop_timeout: float | None = None,
) -> dict[str, Counter[str]]:
    """Crawl ``jobs`` concurrently in this process and block until all are done.

    Returns per-source stats: ``fetch/<outcome>``, ``fetch/errors``, ``pages/fetched``,
    ``pages/stored``, ``discover/...`` (listed in ``newsdedup.crawler``'s docstring), plus ``run/interrupted``
    when a signal stopped it and ``run/timeout`` after ``max_run_minutes``. With
    ``install_signal_handlers``, SIGINT/SIGTERM stop gracefully (in-flight records are
    flushed) and a second signal stops at once; with ``stop_timeout`` (seconds), a crawl
    that has not stopped that long after the first signal is stopped at once, as by a
    second one, and counted ``run/interrupted`` (what it had not written is fetched
    again by the next run). ``settings`` overrides Scrapy or
    ``NEWSDEDUP_*`` settings (tests, benchmarks). ``progress``, if given, is called about
    once a second from the reactor thread with each source's live stats. Opens its own
    Database.

    Raises StorageError when the database failed during the crawl. Call once per
    process: Twisted's reactor cannot restart.
    """
    if not jobs:
        return {}
    from scrapy.crawler import CrawlerProcess

    from newsdedup.crawler.spider import NewsSpider

    bound = None
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
        if install_signal_handlers and stop_timeout is not None:
            from scrapy.utils.asyncio import call_later

            bound = _StopBound(stop_timeout)
            # Runs once the reactor runs: Scrapy installs its handlers at startup.
            call_later(0, bound.install)
        try:
            process.start(install_signal_handlers=install_signal_handlers)
        finally:
            if bound is not None:
                bound.over()
    finally:
        database.dispose()
    forced = bound is not None and bound.forced
    if forced:
        log.warning("the crawl had not stopped %gs after the stop signal; stopped at once "
                    "(what it had not written is fetched again by the next run)", stop_timeout)
    results = {}
    failures = []
    for name, crawler in crawlers.items():
        results[name] = _collect(crawler.stats.get_stats())
        if forced:
            results[name]["run/interrupted"] = 1
        spider = crawler.spider
        if isinstance(spider, NewsSpider) and spider.storage_error is not None:
            failures.append(str(spider.storage_error))
    if failures:
        raise StorageError("; ".join(failures))
    return results
