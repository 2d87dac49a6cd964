"""The one generic spider: discovers a source's articles and fetches each once.

Discovery: feeds and sitemaps (conditional requests with the stored validators; dates
older than ``max_age_days`` dropped before any article request), listing pages
(article links by pattern or heuristic, pagination up to ``max_listing_pages``) and
the frontier left by earlier runs. Every URL is canonicalised before it is looked up
or requested. Each response or failure becomes one :class:`~newsdedup.storage.frontier.FetchRecord`
item; the item pipeline persists them. The spider only reads the database, on a thread of
the reactor's pool (:meth:`NewsSpider.read`): a slow read does not stop the downloads.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import CancelledError
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from newsdedup.core.config import CrawlConfig
from newsdedup.core.errors import StorageError
from newsdedup.core.records import DateOrigin, FetchedPage, PageHints, utcnow
from newsdedup.crawler.discovery import Link, advertised_feeds, parse_document
from newsdedup.crawler.jobs import CrawlJob
from newsdedup.crawler.listing import article_links, in_domains, next_page_url
from newsdedup.crawler.outcomes import RedirectToKnown, classify_failure
from newsdedup.crawler.targets import (
    HTML_TYPES,
    META_KEY,
    Target,
    canonical,
    header,
    headers_dict,
    is_html,
    media_type,
)
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import (
    ERROR_OUTCOMES,
    Discovered,
    FetchRecord,
    KnownUrl,
    children_of,
    load_frontier,
    load_revisits,
    lookup,
    revisit_steps,
)

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http.headers import Headers
    from sqlalchemy.orm import Session

__all__ = ["NewsSpider"]

log = logging.getLogger(__name__)

# Fetch outcomes that mean the server was not reached (DNS, connection, timeout, other).
# Failures logged as warnings: the server could not be reached, or a feed is gone.
_UNREACHABLE = frozenset({"timeout", "connection_error", "error", "not_a_feed"})

_DISCOVERY_PRIORITY = 10

_T = TypeVar("_T")


@dataclass
class _Candidates:
    """Article links of one feed, sitemap or listing page, sorted before the look-up:
    ``hints``, ``spellings`` (as discovered) and ``updated`` by identity; ``found``
    holds what is remembered whatever the look-up says (offsite links)."""

    hints: dict[str, PageHints] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)
    updated: dict[str, datetime] = field(default_factory=dict)
    found: list[Discovered] = field(default_factory=list)


class NewsSpider(scrapy.Spider):
    """Crawls one source (``job``) with the effective crawl config ``crawl``.

    Reads url_state through ``database``; ``refetch`` requests already fetched article
    URLs again (conditionally when validators are stored) and ignores feed validators.
    """

    name = "newsdedup"

    def __init__(
        self,
        job: CrawlJob,
        crawl: CrawlConfig,
        database: Database,
        refetch: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=job.source.name, **kwargs)
        self.job = job
        self.source = job.source
        self.crawl_config = crawl
        self.database = database
        self.refetch = refetch
        self.allowed_domains = list(self.source.domains)
        pattern = self.source.article_url_pattern
        self.pattern: re.Pattern[str] | None = re.compile(pattern) if pattern else None
        self.budget = crawl.max_pages_per_run
        self.claimed: set[str] = set()
        self.cutoff: datetime = utcnow() - timedelta(days=crawl.max_age_days)
        self.max_errors = 3
        self.discovery_maxsize = 50_000_000
        self.storage_error: StorageError | None = None
        self.tracking = self.source.tracking
        self.started_at = utcnow()
        self.revisit_delays = crawl.revisit_delays

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_errors = settings.getint("NEWSDEDUP_MAX_URL_ERRORS", 3)
        spider.discovery_maxsize = max(
            settings.getint("NEWSDEDUP_DISCOVERY_MAXSIZE", 50_000_000),
            settings.getint("DOWNLOAD_MAXSIZE"),
        )
        crawler.signals.connect(spider._headers_received, signal=signals.headers_received)
        return spider

    # -- bookkeeping -------------------------------------------------------------------

    def count(self, key: str, amount: int = 1) -> None:
        if amount:
            self.crawler.stats.inc_value(key, amount)

    async def read(self, query: Callable[[Session], _T]) -> _T:
        """``query`` run in a read transaction on a thread of the reactor's pool, so that
        downloads and callbacks go on while the database answers; its time in the
        database counted in ``db/read_ms``. A storage failure stops the crawl
        (``storage_error``) before it propagates. The spider's state (claims, budget,
        stats) is only touched here, on the reactor's thread, once the read is done."""
        try:
            result, elapsed_ms = await maybe_deferred_to_future(
                deferToThread(self._read_in_thread, query)
            )
        except StorageError as exc:
            self.fail(exc)
            raise
        self.count("db/read_ms", elapsed_ms)
        return result

    def _read_in_thread(self, query: Callable[[Session], _T]) -> tuple[_T, int]:
        started = time.perf_counter()
        with self.database.reader() as session:
            result = query(session)
        return result, round((time.perf_counter() - started) * 1000)

    def fail(self, error: StorageError) -> None:
        """Stop the crawl for good: the database cannot be used. :func:`newsdedup.crawler.run.crawl`
        raises ``error`` once the crawl has stopped."""
        if self.storage_error is None:
            self.storage_error = error
            self.logger.error("%s; stopping the crawl of %s", error, self.source.name)
            self.count("db/errors")
        engine = self.crawler.engine
        if engine is not None and engine.running:
            deferred_from_coro(engine.close_spider_async(reason="storage_error"))

    def identity(self, url: str) -> str | None:
        """The canonical identity of ``url`` with this source's tracking parameters."""
        return canonical(url, self.tracking)

    def in_domains(self, url: str) -> bool:
        return in_domains(url, self.source.domains)

    def claim_redirect(self, request: Request, target: str) -> bool:
        """Articles only: follow a redirect unless another request of this run fetches
        the target. The target is claimed, so a later discovery of it is not fetched."""
        info = request.meta.get(META_KEY)
        identity = self.identity(target)
        if not isinstance(info, Target) or info.kind != "article" or identity is None:
            return True
        chain = {self.identity(url) for url in [*request.meta.get("redirect_urls", []), request.url]}
        if identity == info.url or identity in chain:
            return True
        if identity in self.claimed:
            return False
        self.claimed.add(identity)
        return True

    def _record(self, record: FetchRecord) -> FetchRecord:
        self.count(f"fetch/{record.outcome}")
        if record.outcome in ERROR_OUTCOMES:
            self.count("fetch/errors")
            # One line per failed URL, after its retries (Scrapy's give-up line is off): a
            # warning when the server could not be reached, else (an error status, a
            # redirect loop) for -v only, as the run's counts say it anyway.
            level = logging.WARNING if record.outcome in _UNREACHABLE else logging.INFO
            log.log(level, "%s: %s %s failed: %s", self.source.name, record.kind, record.url,
                    record.error or record.outcome)
        if record.kind == "article" and record.responded:
            self.count("pages/fetched")
            # Article answers by outcome (fetch/ mixes in feeds and sitemaps): the 304
            # share of revisits is read from these.
            self.count(f"article_fetch/{record.outcome}")
        return record

    # -- requests ----------------------------------------------------------------------

    def _discovery_request(
        self, url: str, kind: str, known: KnownUrl | None, *, root: str | None = None,
        page: int = 1, identity: str | None = None,
    ) -> Request:
        headers = _validators(known) if kind != "listing" and not self.refetch else {}
        meta: dict[str, Any] = {
            META_KEY: Target(identity or self.identity(url) or url, kind, root=root, page=page)
        }
        if kind != "listing":
            meta["download_maxsize"] = self.discovery_maxsize
        callback = self.parse_listing if kind == "listing" else self.parse_discovery
        return Request(
            url, callback=callback, errback=self.on_error, headers=headers, meta=meta,
            priority=_DISCOVERY_PRIORITY,
        )

    def _foreign_offsite(self, known: KnownUrl | None) -> bool:
        """Whether another source recorded this URL of ours as offsite (we take it over)."""
        return (
            known is not None
            and known.last_outcome == "offsite"
            and known.source_id != self.job.source_id
        )

    def _wanted(self, known: KnownUrl | None) -> bool:
        if known is None or known.state == "discovered" or self._foreign_offsite(known):
            return True
        if known.state == "failed":
            return known.error_count < self.max_errors
        if known.state == "skipped":
            # robots.txt changes (and obey_robots may be turned off): a URL it refused
            # is asked again while discovery still lists it; the robots middleware
            # decides afresh, and a refusal still sends no request.
            return known.last_outcome == "robots_disallowed"
        return self.refetch and known.state == "fetched"

    def _changed_since(self, known: KnownUrl | None, updated_at: datetime | None) -> bool:
        """Whether a feed's ``<updated>`` or a sitemap's ``<lastmod>`` is later than our
        last fetch of a fetched article: then it is fetched again (conditionally)."""
        if (
            known is None or updated_at is None or known.state != "fetched"
            or known.last_fetched_at is None or updated_at <= known.last_fetched_at
        ):
            return False
        self.count("discover/updated")
        return True

    def _article_request(
        self, url: str, hints: PageHints, known: KnownUrl | None, *, fetch_url: str | None = None,
        priority: int = 0,
    ) -> Request | None:
        """A request for the article ``url`` (its identity), sent to ``fetch_url`` (the
        spelling it was discovered under, tracking parameters and all: a site may need
        them) or ``url``; None when this run already claimed it or its budget is spent."""
        if url in self.claimed:
            self.count("discover/duplicate")
            return None
        if self.budget <= 0:
            self.count("discover/deferred")
            return None
        self.claimed.add(url)
        self.budget -= 1
        revisits = 0
        if known is not None:
            revisits = revisit_steps(known.first_seen_at, self.revisit_delays, self.started_at)
        headers = _validators(known) if known is not None and known.state == "fetched" else {}
        self.count("discover/requested")
        return Request(
            fetch_url or url, callback=self.parse_article, errback=self.on_error,
            headers=headers, meta={META_KEY: Target(url, "article", hints, revisits=revisits)},
            priority=priority,
        )

    async def start(self) -> AsyncIterator[Any]:
        entries = (
            [(url, "feed") for url in self.source.feeds]
            + [(url, "sitemap") for url in self.source.sitemaps]
            + [(url, "listing") for url in self.source.start_urls]
        )
        identities = {url: self.identity(url) or url for url, _ in entries}
        limit = self.budget

        def entries_and_frontier(session: Session) -> tuple[dict[str, KnownUrl], list[KnownUrl]]:
            known = lookup(session, identities.values())
            return known, load_frontier(
                session, self.job.source_id, limit=limit, max_errors=self.max_errors
            )

        known, frontier = await self.read(entries_and_frontier)
        for url, kind in entries:
            identity = identities[url]
            root = identity if kind == "listing" else None
            yield self._discovery_request(
                url, kind, known.get(identity), root=root, identity=identity
            )
        self.count("discover/frontier", len(frontier))
        for item in frontier:
            request = self._article_request(item.url, item.hints, item)
            if request is not None:
                yield request
        for request in await self._revisit_requests():
            yield request

    async def _revisit_requests(self) -> list[Request]:
        """Conditional requests for the source's articles due for a revisit
        (``crawl.revisit_after``), after the frontier and within at most half of the
        run's page budget, so that new articles found during the run still have room.
        They are sent after discovery's requests (lower priority)."""
        if not self.revisit_delays:
            return []
        limit = min(self.budget, self.crawl_config.max_pages_per_run // 2)
        due = await self.read(
            lambda session: load_revisits(session, self.job.source_id, self.revisit_delays,
                                          now=self.started_at, limit=limit)
        )
        requests = []
        for item in due:
            request = self._article_request(item.url, item.hints, item,
                                            priority=-_DISCOVERY_PRIORITY)
            if request is not None:
                self.count("revisit/requested")
                requests.append(request)
        return requests

    # -- discovery ---------------------------------------------------------------------

    async def _consider(
        self, links: Iterable[Link], origin: str, date_from: DateOrigin | None
    ) -> tuple[list[Discovered], list[Request]]:
        """Age filter, canonicalisation, domain check and url_state look-up of article
        links: what to remember (new URLs, offsite ones) and what to request now."""
        candidates = self._candidates(links, origin, date_from)
        found = candidates.found
        if not candidates.hints:
            return found, []
        known = await self.read(lambda session: lookup(session, candidates.hints))
        requests = []
        for url, hints in candidates.hints.items():
            state = known.get(url)
            if state is None or self._foreign_offsite(state):
                self.count("discover/new")
                found.append(Discovered(url, "article", hints))
            if not self._wanted(state) and not self._changed_since(
                state, candidates.updated.get(url)
            ):
                self.count("discover/known")
                continue
            request = self._article_request(url, hints, state,
                                            fetch_url=candidates.spellings[url])
            if request is not None:
                requests.append(request)
        return found, requests

    def _candidates(
        self, links: Iterable[Link], origin: str, date_from: DateOrigin | None
    ) -> _Candidates:
        """Age filter, canonicalisation and domain check of article links."""
        candidates = _Candidates()
        for link in links:
            self.count("discover/links")
            if link.published_at is not None and link.published_at < self.cutoff:
                self.count("discover/too_old")
                continue
            url = self.identity(link.url)
            if url is None:
                self.count("discover/invalid_url")
                continue
            hints = PageHints(
                title=link.title,
                published_at=link.published_at,
                published_from=date_from if link.published_at is not None else None,
                discovered_from=origin,
            )
            if not self.in_domains(url):
                self.count("discover/offsite")
                candidates.found.append(Discovered(url, "article", hints, outcome="offsite"))
                continue
            candidates.hints.setdefault(url, hints)
            candidates.spellings.setdefault(url, link.url)
            if link.updated_at is not None:
                updated = candidates.updated
                updated[url] = max(link.updated_at, updated.get(url, link.updated_at))
        return candidates

    async def parse_discovery(self, response: Response) -> AsyncIterator[Any]:
        """A feed or sitemap (or sitemap index) answered."""
        target: Target = response.meta[META_KEY]
        record = FetchRecord(
            url=target.url, kind=target.kind, outcome="ok", fetched_at=utcnow(),
            status=response.status, final_url=response.url,
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"),
            discovered_from=target.root,
        )
        if response.status == 304:
            yield self._record(replace(record, outcome="not_modified"))
            if target.kind == "sitemap":
                for request in await self._known_children(target):
                    yield request
            return
        if not 200 <= response.status < 300:
            yield self._record(
                replace(record, outcome="http_error", error=f"HTTP {response.status}")
            )
            return
        document = parse_document(response.body, response.url, max_size=self.discovery_maxsize)
        self.count(f"discover/{document.kind}")
        requests: list[Request] = []
        if document.kind == "sitemapindex":
            found, requests = await self._child_sitemaps(document.links, target)
        elif document.kind in ("rss", "atom", "jsonfeed", "urlset"):
            date_from: DateOrigin = "sitemap" if document.kind == "urlset" else "feed"
            found, requests = await self._consider(document.links, target.url, date_from)
        else:
            # A feed that moved often leaves an HTML page at its old address: a failed
            # attempt, so a source left with no feed is a failed run, not an empty one.
            # No validators kept: a 304 to the page must not pass for an unchanged feed.
            # A configured feed's page that advertises a feed of the site: that one is
            # read in its place (and this one still reported).
            found = []
            advertised = await self._advertised_feed(response, target) if document.kind == "html" else None
            if advertised is not None:
                requests = [advertised]
            detail = _not_a_feed(document.kind, response.url if response.meta.get("redirect_urls") else None)
            if advertised is not None:
                detail += f"; read the feed it advertises, {advertised.url}"
            record = replace(record, outcome="not_a_feed", etag=None, last_modified=None, error=detail)
        yield self._record(replace(record, discovered=tuple(found)))
        for request in requests:
            yield request

    async def _advertised_feed(self, response: Response, target: Target) -> Request | None:
        """The request for the first feed of this source's domains that the page a
        configured feed URL answered with advertises (conditional, as its last fetch
        allows); None when it advertises none (or the page itself, or this is a feed
        found so already)."""
        if target.kind != "feed" or target.root is not None:
            return None
        found = next(
            ((url, identity) for url in advertised_feeds(response.body, response.url)
             if (identity := self.identity(url)) is not None and identity != target.url
             and self.in_domains(identity)),
            None,
        )
        if found is None:
            return None
        url, identity = found
        self.count("discover/advertised_feed")
        known = await self.read(lambda session: lookup(session, [identity]))
        return self._discovery_request(url, "feed", known.get(identity), root=target.url, identity=identity)

    async def _child_sitemaps(
        self, links: Iterable[Link], target: Target
    ) -> tuple[list[Discovered], list[Request]]:
        children: dict[str, tuple[str, Link]] = {}
        for link in links:
            if link.published_at is not None and link.published_at < self.cutoff:
                self.count("discover/sitemap_too_old")
                continue
            identity = self.identity(link.url)
            if identity is None or not self.in_domains(identity):
                self.count("discover/sitemap_skipped")
                continue
            children.setdefault(identity, (link.url, link))
        known = await self.read(lambda session: lookup(session, children))
        found = [
            Discovered(identity, "sitemap", PageHints(discovered_from=target.url))
            for identity in children
            if identity not in known
        ]
        requests = [
            self._discovery_request(url, "sitemap", known.get(identity), root=target.url,
                                    identity=identity)
            for identity, (url, _) in children.items()
        ]
        self.count("discover/sitemaps", len(requests))
        return found, requests

    async def _known_children(self, target: Target) -> list[Request]:
        """A sitemap index answered 304: its sitemaps may still have changed."""
        children = await self.read(
            lambda session: children_of(session, self.job.source_id, target.url, "sitemap")
        )
        self.count("discover/sitemaps", len(children))
        return [
            self._discovery_request(child.url, "sitemap", child, root=target.url)
            for child in children
        ]

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        """A section page answered: its article links, then its next page."""
        target: Target = response.meta[META_KEY]
        record = FetchRecord(
            url=target.url, kind="listing", outcome="ok", fetched_at=utcnow(),
            status=response.status, final_url=response.url,
            discovered_from=target.root if target.root != target.url else None,
        )
        if not 200 <= response.status < 300:
            yield self._record(
                replace(record, outcome="http_error", error=f"HTTP {response.status}")
            )
            return
        if not isinstance(response, TextResponse):
            yield self._record(replace(record, outcome="not_html"))
            return
        self.count("discover/listing_pages")
        following = None
        if target.page < self.crawl_config.max_listing_pages:
            following = next_page_url(response)
            if following is not None and not self.in_domains(following):
                following = None
        links = [
            Link(link.url)
            for link in article_links(response, pattern=self.pattern, domains=self.source.domains)
            if link.url != following
        ]
        found, requests = await self._consider(links, target.url, None)
        yield self._record(replace(record, discovered=tuple(found)))
        for request in requests:
            yield request
        if following is not None:
            self.count("discover/pagination")
            yield self._discovery_request(
                following, "listing", None, root=target.root, page=target.page + 1
            )

    # -- articles ----------------------------------------------------------------------

    def _headers_received(self, headers: Headers, request: Request) -> None:
        """Stop an article download as soon as its headers say it is not HTML."""
        target = request.meta.get(META_KEY)
        if not isinstance(target, Target) or target.kind != "article":
            return
        media = media_type(headers.get(b"Content-Type"))
        if media and media not in HTML_TYPES:
            raise StopDownload(fail=False)

    def parse_article(self, response: Response) -> Iterator[FetchRecord]:
        """An article URL answered (after retries and redirects)."""
        target: Target = response.meta[META_KEY]
        record = FetchRecord(
            url=target.url, kind="article", outcome="ok", fetched_at=utcnow(),
            status=response.status, final_url=response.url, hints=target.hints,
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"), revisits=target.revisits,
        )
        final = self.identity(response.url)
        if final is not None and final != target.url:
            record = replace(record, aliases=(final,))
        if response.status == 304:
            yield self._record(replace(record, outcome="not_modified"))
            return
        outcome = "ok" if 200 <= response.status < 300 else "http_error"
        media = media_type(response.headers.get("Content-Type"))
        if "download_stopped" in response.flags or not is_html(response):
            yield self._record(
                replace(
                    record,
                    outcome="not_html" if outcome == "ok" else outcome,
                    error=f"content type {media or 'unknown'}",
                )
            )
            return
        page = FetchedPage(
            source=self.source.name,
            url=target.url,
            final_url=response.url,
            status=response.status,
            headers=headers_dict(response.headers),
            body=response.body,
            fetched_at=record.fetched_at,
            hints=target.hints,
        )
        error = None if outcome == "ok" else f"HTTP {response.status}"
        yield self._record(replace(record, outcome=outcome, page=page, error=error))

    # -- failures ----------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[FetchRecord]:
        """A request failed or was refused: record why, for its identity."""
        request: Request = failure.request  # type: ignore[attr-defined]
        target = request.meta.get(META_KEY)
        if not isinstance(target, Target):
            return
        if not self.crawler.crawling and isinstance(failure.value, CancelledError):
            # Stopping (a signal, the run's time limit) cut this download short: it stays
            # in the frontier rather than being recorded as too large.
            self.count("fetch/cancelled")
            return
        outcome, message = classify_failure(failure)
        final_url = request.url if request.url != target.url else None
        if isinstance(failure.value, RedirectToKnown):
            final_url = failure.value.target
        if outcome not in ERROR_OUTCOMES:  # a refusal of ours; failures are logged by _record
            self.logger.info("%s %s: %s", target.kind, target.url, message)
        yield self._record(
            FetchRecord(
                url=target.url, kind=target.kind, outcome=outcome, fetched_at=utcnow(),
                final_url=final_url, error=message, hints=target.hints,
                discovered_from=target.root, revisits=target.revisits,
            )
        )


def _validators(known: KnownUrl | None) -> dict[str, str]:
    """The conditional-request headers of a URL fetched before (its ETag and Last-Modified)."""
    headers = {}
    if known is not None and known.etag:
        headers["If-None-Match"] = known.etag
    if known is not None and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def _not_a_feed(kind: str, redirected_to: str | None) -> str:
    """The error of a feed or sitemap URL that answered with a document of ``kind``
    (at ``redirected_to`` when it was redirected there)."""
    moved = f", redirected to {redirected_to}" if redirected_to else ""
    return f"not a feed or sitemap ({kind}){moved}"
