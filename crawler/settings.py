"""Scrapy settings built from the config: process-wide ones and one set per source.

Our own settings are prefixed ``NEWSDEDUP_``:

==============================  =========  ===============================================
setting                         default    meaning
==============================  =========  ===============================================
NEWSDEDUP_BATCH_SIZE            100        fetch records per database transaction
NEWSDEDUP_BATCH_BYTES           20000000   ... or fewer, once their page bodies reach this
NEWSDEDUP_FLUSH_SECONDS         2.0        also flush the batch this often (0: only on size)
NEWSDEDUP_RETRY_BACKOFF         1.0        seconds before the first retry, doubled after
NEWSDEDUP_RETRY_BACKOFF_MAX     60.0       longest wait before a retry; a 429 or 503 whose
                                           Retry-After asks for longer is left to a
                                           later run, and a 429 doubles the host's
                                           download delay up to this
NEWSDEDUP_MAX_URL_ERRORS        3          a failed URL is tried by later runs until this
                                           many consecutive failures
NEWSDEDUP_MAX_CRAWL_DELAY       60.0       cap on a robots.txt Crawl-delay, in seconds
NEWSDEDUP_DISCOVERY_MAXSIZE     50000000   size cap of feeds and sitemaps (articles use
                                           ``max_page_bytes``)
==============================  =========  ===============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsdedup.core.config import CrawlConfig

__all__ = ["NEWSDEDUP_DEFAULTS", "process_settings", "source_settings"]

NEWSDEDUP_DEFAULTS: Mapping[str, Any] = {
    "NEWSDEDUP_BATCH_SIZE": 100,
    "NEWSDEDUP_BATCH_BYTES": 20_000_000,
    "NEWSDEDUP_FLUSH_SECONDS": 2.0,
    "NEWSDEDUP_RETRY_BACKOFF": 1.0,
    "NEWSDEDUP_RETRY_BACKOFF_MAX": 60.0,
    "NEWSDEDUP_MAX_URL_ERRORS": 3,
    "NEWSDEDUP_MAX_CRAWL_DELAY": 60.0,
    "NEWSDEDUP_DISCOVERY_MAXSIZE": 50_000_000,
}

_SCRAPY = "scrapy.downloadermiddlewares"


def process_settings() -> dict[str, Any]:
    """Settings shared by every crawler of the process (reactor, logging, components)."""
    return {
        **NEWSDEDUP_DEFAULTS,
        "BOT_NAME": "newsdedup",
        # The caller (CLI, daemon) owns logging; Scrapy only routes its records to it.
        "LOG_INSTALL_ROOT_HANDLER": False,
        # No listening sockets: a crawl is driven by signals, not remote consoles.
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "COOKIES_ENABLED": False,
        # Every status reaches the callbacks: 304s, and error pages to be recorded.
        "HTTPERROR_ALLOW_ALL": True,
        "DOWNLOAD_DELAY_JITTER": 0.0,
        "DOWNLOAD_WARNSIZE": 0,
        # A page that keeps failing is recorded and retried by a later run: not an error.
        # The spider logs one line per failed URL itself (robots.txt: our middleware).
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",
        "DOWNLOADER_MIDDLEWARES": {
            f"{_SCRAPY}.robotstxt.RobotsTxtMiddleware": None,
            "newsdedup.crawler.middlewares.RobotsTxtMiddleware": 100,
            "newsdedup.crawler.middlewares.RetryBackoffMiddleware": 560,
            f"{_SCRAPY}.redirect.MetaRefreshMiddleware": None,
            "newsdedup.crawler.middlewares.MetaRefreshMiddleware": 580,
            f"{_SCRAPY}.redirect.RedirectMiddleware": None,
            "newsdedup.crawler.middlewares.RedirectMiddleware": 600,
        },
        "ITEM_PIPELINES": {"newsdedup.crawler.pipeline.PersistPipeline": 300},
        # Scrapy starts this many worker tasks for every response's output; a callback
        # yields one record and a few requests, and the pipeline is synchronous.
        "CONCURRENT_ITEMS": 4,
    }


def source_settings(crawl: CrawlConfig) -> dict[str, Any]:
    """The settings of one source's crawler, from its effective crawl config."""
    return {
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_host_concurrency,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "REDIRECT_MAX_TIMES": crawl.max_redirects,
        "CLOSESPIDER_TIMEOUT": crawl.max_run_minutes * 60,
    }
