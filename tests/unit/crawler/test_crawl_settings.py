"""Scrapy settings follow the config, and failures map to the recorded fetch outcomes."""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.settings import Settings
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from newsdedup.core.config import CrawlConfig
from newsdedup.crawler.outcomes import (
    OffsiteRedirect,
    RedirectLoop,
    RedirectToKnown,
    RobotsDisallowed,
    TooManyRedirects,
    classify_failure,
)
from newsdedup.crawler.settings import NEWSDEDUP_DEFAULTS, process_settings, source_settings
from newsdedup.storage.frontier import FETCH_OUTCOMES


def test_source_settings_follow_the_crawl_config() -> None:
    crawl = CrawlConfig(
        user_agent="bot/1", obey_robots=False, concurrency=7, per_host_concurrency=3,
        download_delay=1.5, timeout=4, max_page_bytes=1234, retries=0, max_redirects=2,
        max_run_minutes=0.5,
    )
    settings = source_settings(crawl)
    assert settings == {
        "USER_AGENT": "bot/1",
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": 7,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 3,
        "DOWNLOAD_DELAY": 1.5,
        "DOWNLOAD_TIMEOUT": 4,
        "DOWNLOAD_MAXSIZE": 1234,
        "RETRY_ENABLED": False,
        "RETRY_TIMES": 0,
        "REDIRECT_MAX_TIMES": 2,
        "CLOSESPIDER_TIMEOUT": 30.0,
    }


def test_process_settings_swap_in_our_middlewares_and_pipeline() -> None:
    settings = Settings(process_settings())
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    for name in ("robotstxt.RobotsTxtMiddleware", "redirect.RedirectMiddleware",
                 "redirect.MetaRefreshMiddleware"):
        assert middlewares[f"scrapy.downloadermiddlewares.{name}"] is None
    ours = {path: order for path, order in middlewares.items() if path.startswith("newsdedup.crawler.")}
    assert ours == {
        "newsdedup.crawler.middlewares.RobotsTxtMiddleware": 100,
        "newsdedup.crawler.middlewares.RetryBackoffMiddleware": 560,
        "newsdedup.crawler.middlewares.MetaRefreshMiddleware": 580,
        "newsdedup.crawler.middlewares.RedirectMiddleware": 600,
    }
    assert settings.getdict("ITEM_PIPELINES") == {"newsdedup.crawler.pipeline.PersistPipeline": 300}
    # A delay is a promise to the host: no random shortening.
    assert settings.getfloat("DOWNLOAD_DELAY_JITTER") == 0
    assert all(key.startswith("NEWSDEDUP_") for key in NEWSDEDUP_DEFAULTS)
    assert set(NEWSDEDUP_DEFAULTS) <= set(settings.keys())


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RobotsDisallowed("robots"), "robots_disallowed"),
        (RedirectLoop("loop"), "redirect_loop"),
        (TooManyRedirects("many"), "too_many_redirects"),
        (OffsiteRedirect("off"), "offsite"),
        (RedirectToKnown("http://news.test/a"), "redirected"),
        (DownloadTimeoutError("slow"), "timeout"),
        (DownloadCancelledError("Expected to receive 9 bytes"), "too_large"),
        (CancelledError(), "too_large"),
        (DownloadConnectionRefusedError("refused"), "connection_error"),
        (IgnoreRequest("someone else's reason"), "error"),
        (ValueError("bug"), "error"),
    ],
)
def test_failures_map_to_fetch_outcomes(error: Exception, outcome: str) -> None:
    # Twisted leaves Failure.__init__ unannotated.
    got, message = classify_failure(Failure(error))  # type: ignore[no-untyped-call]
    assert got == outcome
    assert got in FETCH_OUTCOMES
    assert message and "\n" not in message
