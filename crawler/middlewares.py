"""Downloader middlewares: Scrapy's own, each extended by the one thing newsdedup needs.

- :class:`RobotsTxtMiddleware` also applies ``Crawl-delay`` to the host's download slot
  (Scrapy parses it but never uses it), names its refusals (:class:`RobotsDisallowed`),
  and makes every request that waits for a host's robots.txt obey it (Scrapy lets the
  third and later waiters through).
- :class:`RetryBackoffMiddleware` waits before each retry, doubling the wait, and heeds a
  server that says it is asked too often (429, 503 with ``Retry-After``): the retry waits
  as long as it asks (or is left to a later run when that is longer than the longest
  wait), and the host's download delay doubles for the rest of the run.
- :class:`RedirectMiddleware` / :class:`MetaRefreshMiddleware` detect loops, refuse to
  leave the source's domains and do not fetch an article twice through a redirect; each
  refusal reaches the request's errback, so it is recorded (Scrapy's dupefilter and
  offsite filter would drop such requests silently).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import (
    MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware,
)
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from newsdedup.crawler.outcomes import (
    DOWNLOAD_ERRORS,
    OffsiteRedirect,
    RedirectLoop,
    RedirectToKnown,
    RobotsDisallowed,
    TooManyRedirects,
)

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

__all__ = [
    "MetaRefreshMiddleware",
    "RedirectMiddleware",
    "RedirectPolicy",
    "RetryBackoffMiddleware",
    "RobotsTxtMiddleware",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)


class _RobotsDownloadErrors(logging.Filter):
    """Scrapy logs a robots.txt that cannot be downloaded as an ERROR with a traceback,
    naming the request that waited for it; a DNS failure, a refused connection or a
    timeout is one line naming the robots.txt and the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, dict) or not record.exc_info:
            return True
        error = args.get("f_exception")
        request = args.get("request")
        if not isinstance(error, DOWNLOAD_ERRORS) or request is None:
            return True
        parts = urlparse_cached(request)
        record.msg = "robots.txt %s failed: %s: %s (its host's URLs are fetched as allowed)"
        record.args = (f"{parts.scheme}://{parts.netloc}/robots.txt", type(error).__name__,
                       " ".join(str(error).split()))
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_ROBOTS_FILTER = _RobotsDownloadErrors()


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """robots.txt with Crawl-delay: the host's slot waits max(download delay, Crawl-delay)
    between requests, capped at ``NEWSDEDUP_MAX_CRAWL_DELAY`` seconds. A robots.txt that
    cannot be downloaded is one log line, not a traceback."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        logging.getLogger(ScrapyRobotsTxtMiddleware.__module__).addFilter(_ROBOTS_FILTER)
        self._max_delay = crawler.settings.getfloat("NEWSDEDUP_MAX_CRAWL_DELAY", 60.0)
        crawler.signals.connect(self._apply_crawl_delay, signal=signals.robots_parsed)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The host's parser; each waiter gets a Deferred of its own.

        Scrapy gives every request waiting for a host's robots.txt the same Deferred;
        awaiting it as an asyncio future replaces its result with None for the next
        waiter, which then passes as "no robots.txt". A relay per waiter keeps the
        shared result intact.
        """
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def relay(result: Any) -> Any:
            mine.callback(result)
            return result

        pending.addBoth(relay)
        return await maybe_deferred_to_future(mine)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDisallowed(f"robots.txt disallows {request.url}") from exc

    def _apply_crawl_delay(self, robotparser: RobotParser, request: Request) -> None:
        agent = self._robotstxt_useragent or self._default_useragent
        delay = robotparser.crawl_delay(agent)
        if not delay or delay <= 0:
            return
        if delay > self._max_delay:
            log.warning(
                "%s asks for Crawl-delay %gs; capped at NEWSDEDUP_MAX_CRAWL_DELAY %gs",
                request.url, delay, self._max_delay,
            )
            delay = self._max_delay
        configured = self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        key, delay = _raise_host_delay(self.crawler, request, max(configured, delay))
        self._stats.set_value(f"robots/crawl_delay/{key}", delay)
        log.info("Crawl-delay %gs for %s (robots.txt)", delay, key)


def _raise_host_delay(crawler: Crawler, request: Request, delay: float) -> tuple[str, float]:
    """Raise the download delay of ``request``'s host (its download slot) to ``delay`` for
    the rest of the run; (the slot's key, its delay now: never lowered)."""
    downloader = crawler.engine.downloader
    key = downloader.get_slot_key(request)
    # DOWNLOAD_SLOTS entries also shape slots created later (Scrapy drops idle slots).
    entry = downloader.per_slot_settings.setdefault(key, {})
    entry["delay"] = max(float(entry.get("delay", 0.0)), delay)
    slot = downloader.slots.get(key)
    if slot is not None:
        slot.delay = max(slot.delay, entry["delay"])
    return key, float(entry["delay"])


# Answers of a server asked too often (429) or busy for a while (503); with a Retry-After
# header they say when to ask again (RFC 9110, 10.2.3: seconds, or an HTTP date).
_SLOW_DOWN = frozenset({429, 503})
_RETRY_AFTER = "newsdedup_retry_after"


def retry_after_seconds(value: bytes | str | None, now: datetime) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (0 for a date already past),
    or None when there is none or it cannot be read."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdecimal():  # isdigit() also takes "²", which int() refuses
        return float(int(text))
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


class RetryBackoffMiddleware:
    """Waits before a retried request goes out: ``NEWSDEDUP_RETRY_BACKOFF`` seconds for the
    first retry, doubling each time, at most ``NEWSDEDUP_RETRY_BACKOFF_MAX``.

    Scrapy's RetryMiddleware re-schedules at once; a server that fails under load
    deserves a pause. The wait keeps a place in the global concurrency, not in the
    host's slot.

    A 429 or 503 is the server saying it is asked too often: its ``Retry-After`` sets the
    retry's wait when longer than the backoff's, and one longer than the longest wait
    leaves the page to a later run (no retry now: it is recorded as the HTTP error it got).
    A 429 also doubles the host's download delay for the rest of the run (from at least
    the first backoff wait, at most the longest wait), as Scrapy's AutoThrottle would.
    """

    def __init__(self, base: float, cap: float, crawler: Crawler | None = None) -> None:
        if base <= 0:
            raise NotConfigured
        self.base = base
        self.cap = cap
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            crawler.settings.getfloat("NEWSDEDUP_RETRY_BACKOFF", 1.0),
            crawler.settings.getfloat("NEWSDEDUP_RETRY_BACKOFF_MAX", 60.0),
            crawler,
        )

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in _SLOW_DOWN:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(UTC))
        if wait is not None and wait > self.cap:
            # Asked to come back later than this run will wait: a later run asks again.
            request.meta["dont_retry"] = True
            self._count("fetch/retry_after_too_long")
        elif wait is not None:
            # Scrapy's retry copies the request's meta: the retry reads it.
            request.meta[_RETRY_AFTER] = wait
        if response.status == 429:
            self._slow_down(request)
        return response

    async def process_request(self, request: Request) -> None:
        tries = int(request.meta.get("retry_times", 0))
        # Redirects copy meta: wait once per retry, not once per hop.
        if tries and request.meta.get("newsdedup_backoff") != tries:
            request.meta["newsdedup_backoff"] = tries
            asked = float(request.meta.pop(_RETRY_AFTER, 0.0))
            await sleep(min(max(self.base * 2 ** (tries - 1), asked), self.cap))

    def _slow_down(self, request: Request) -> None:
        if self.crawler is None or self.crawler.engine is None:
            return
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        key, delay = _raise_host_delay(self.crawler, request, min(max(2 * slot.delay, self.base), self.cap))
        self._count("fetch/slowed_down")
        log.info("%s answered 429: download delay for %s now %gs", request.url, key, delay)

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


@runtime_checkable
class RedirectPolicy(Protocol):
    """What the redirect middlewares ask the spider."""

    def in_domains(self, url: str) -> bool:
        """Whether ``url`` is inside the source's domains."""

    def claim_redirect(self, request: Request, target: str) -> bool:
        """Whether ``request`` may follow its redirect to ``target``; False when the
        target is fetched by another request of this run."""


def _follow(
    middleware: ScrapyRedirectMiddleware | ScrapyMetaRefreshMiddleware,
    follow: Callable[[Request, Request, Any], Request],
    redirected: Request,
    request: Request,
    reason: Any,
) -> Request:
    """Scrapy's ``_redirect`` (``follow``) behind our checks; refusals raise."""
    chain = [*request.meta.get("redirect_urls", []), request.url]
    if redirected.url in chain:
        raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
    policy: object = middleware.crawler.spider
    if isinstance(policy, RedirectPolicy):
        if not policy.in_domains(redirected.url):
            raise OffsiteRedirect(f"redirect to offsite {redirected.url}")
        if not policy.claim_redirect(request, redirected.url):
            raise RedirectToKnown(redirected.url)
    try:
        followed = follow(redirected, request, reason)
    except IgnoreRequest as exc:
        raise TooManyRedirects(
            f"more than {middleware.max_redirect_times} redirects from {chain[0]}"
        ) from exc
    # Our loop check replaces the dupefilter for redirect hops: a filtered hop would
    # vanish without reaching the errback.
    followed.dont_filter = True
    return followed


class RedirectMiddleware(ScrapyRedirectMiddleware):
    """Scrapy's 3xx redirects, with loop, offsite and duplicate-fetch checks."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        return _follow(self, super()._redirect, redirected, request, reason)


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's ``<meta http-equiv=refresh>`` redirects, with the same checks."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        return _follow(self, super()._redirect, redirected, request, reason)
