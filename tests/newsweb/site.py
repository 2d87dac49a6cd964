"""A whole news web: its outlets by host, its mutable state, and its ground truth."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsweb.catalog import current
from newsweb.model import ArticleTruth, BadPage, Entry, LazySequence, Outlet, UrlVariant
from newsweb.outlet import OutletSite
from newsweb.responses import Request, Response, redirect

__all__ = ["Site"]


class Site:
    """Fictional outlets on ``.test`` hosts, served by :class:`~newsweb.NewsWeb`.

    Ground truth for tests: ``outlets``, ``articles`` (current revisions), ``bad_pages``
    (URL -> what must happen), ``url_variants``, ``disallowed_urls``,
    ``syndication_groups``, ``series_groups`` and :meth:`expected_articles`. ``now`` is the
    moment every date is relative to. State that requests change (update revisions, the
    flaky page's counter) is reset by :meth:`reset`.
    """

    def __init__(self, *, name: str, now: datetime, outlets: Sequence[OutletSite],
                 bad_pages: Iterable[BadPage] = (), url_variants: Iterable[UrlVariant] = (),
                 host_redirects: Mapping[str, str] | None = None,
                 crawl_defaults: Mapping[str, Any] | None = None) -> None:
        if now.tzinfo is None:
            raise ValueError("Site.now must be timezone-aware")
        self.name = name
        self.now = now
        self._sites = tuple(outlets)
        self._by_host = {host: site for site in self._sites for host in site.outlet.hosts}
        self._host_redirects = dict(host_redirects or {})
        self.bad_pages: Mapping[str, BadPage] = {page.url: page for page in bad_pages}
        self.url_variants: tuple[UrlVariant, ...] = tuple(url_variants)
        self.crawl_defaults: dict[str, Any] = dict(crawl_defaults or {})
        self._lock = threading.Lock()
        self._revisions: dict[str, int] = {}
        self._gone: dict[str, int] = {}
        self._hits: Counter[str] = Counter()
        self._limits: dict[str, list[str]] = {}

    # State (read by page handlers) -----------------------------------------------------

    def revision(self, key: str) -> int:
        with self._lock:
            return self._revisions.get(key, 0)

    def gone(self, key: str) -> int | None:
        """The status an article deleted by :meth:`delete_article` answers (404, 410), or None."""
        with self._lock:
            return self._gone.get(key)

    def hit(self, key: str) -> int:
        """Count one more request for ``key`` and return the count."""
        with self._lock:
            self._hits[key] += 1
            return self._hits[key]

    def limited(self, key: str) -> str | None:
        """The ``Retry-After`` value of the next 429 the article ``key`` answers (and that
        answer used up), or None when it answers as usual."""
        with self._lock:
            waiting = self._limits.get(key)
            return waiting.pop(0) if waiting else None

    def reset(self) -> None:
        """Back to the state at build time: first revisions, counters at zero."""
        with self._lock:
            self._revisions.clear()
            self._gone.clear()
            self._hits.clear()
            self._limits.clear()

    def rate_limit(self, url: str, *retry_after: str) -> None:
        """Make the article at ``url`` answer its next requests with 429 Too Many Requests,
        one per value given, each with that ``Retry-After`` header ("" for none), then
        the page as usual."""
        _, entry = self._locate(url)
        with self._lock:
            self._limits[entry.first.canonical_url] = list(retry_after)

    def update_article(self, url: str) -> ArticleTruth:
        """Publish the next revision of the article at ``url`` (same URL, changed body,
        later ``modified_at``) and return it. Raises ValueError when it has none left."""
        _, entry = self._locate(url)
        key = entry.first.canonical_url
        with self._lock:
            index = self._revisions.get(key, 0) + 1
            if index >= len(entry.revisions):
                raise ValueError(f"{url}: no further revision to publish")
            self._revisions[key] = index
        return entry.revisions[index]

    def revisions_of(self, url: str) -> tuple[ArticleTruth, ...]:
        """Every revision the article at ``url`` has, the first one first (served in turn
        by :meth:`update_article`)."""
        _, entry = self._locate(url)
        return tuple(entry.revisions)

    def delete_article(self, url: str, status: int = 410) -> ArticleTruth:
        """Take the article at ``url`` down: it answers ``status`` (404 or 410) from now
        on (feeds, sitemaps and listings keep linking to it, as caches of them would).
        Returns what it served."""
        if status not in (404, 410):
            raise ValueError(f"a deleted article answers 404 or 410, not {status}")
        _, entry = self._locate(url)
        truth = current(entry, self)
        with self._lock:
            self._gone[entry.first.canonical_url] = status
        return truth

    # Serving -----------------------------------------------------------------------

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(self._by_host) | frozenset(self._host_redirects)

    def respond(self, method: str, host: str, target: str,
                headers: Mapping[str, str]) -> Response | None:
        """The answer for ``target`` (path and query) on ``host``; None for an unknown host."""
        parts = urlsplit(target)
        if host in self._host_redirects:
            return redirect(f"http://{self._host_redirects[host]}{target}", 301)
        site = self._by_host.get(host)
        if site is None:
            return None
        request = Request(method=method, host=host, path=parts.path or "/",
                          query=dict(parse_qsl(parts.query)), headers=headers, state=self)
        return site.respond(request)

    # Ground truth ---------------------------------------------------------------------

    @property
    def outlets(self) -> Mapping[str, Outlet]:
        return {site.outlet.key: site.outlet for site in self._sites}

    @property
    def articles(self) -> Sequence[ArticleTruth]:
        """Every article the site serves (current revisions), outlet by outlet, newest
        first within an outlet. Made on demand, so large sites cost no memory."""
        catalogs = [site.catalog for site in self._sites]
        bounds: list[int] = []
        total = 0
        for catalog in catalogs:
            total += len(catalog)
            bounds.append(total)

        def make(index: int) -> ArticleTruth:
            start = 0
            for catalog, end in zip(catalogs, bounds, strict=True):
                if index < end:
                    return current(catalog.entry(index - start), self)
                start = end
            raise IndexError(index)

        return LazySequence(total, make)

    def _locate(self, url: str) -> tuple[OutletSite, Entry]:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        host = self._host_redirects.get(host, host)
        site = self._by_host.get(host)
        if site is None:
            raise KeyError(f"{url}: not a host of this site")
        entry, _ = site.find(parts.path or "/")
        if entry is None:
            raise KeyError(f"{url}: no article there")
        return site, entry

    def article(self, url: str) -> ArticleTruth:
        """The article served at ``url`` or at any of its variants (query, fragment,
        trailing slash, AMP, port 80, host case). Raises KeyError when there is none."""
        _, entry = self._locate(url)
        return current(entry, self)

    @property
    def non_article_pages(self) -> Mapping[str, str]:
        """URL -> kind ("home", "listing", "tag", "author", "topic") of pages that list articles
        but are none: an extractor must reject them as ``not_article``."""
        return {url: kind for site in self._sites for url, kind in site.not_articles.items()}

    @property
    def disallowed_urls(self) -> tuple[str, ...]:
        """Article URLs the site links to that robots.txt forbids: never to be fetched."""
        return tuple(a.url for a in self.articles if self.is_disallowed(a.url))

    def is_disallowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = self._by_host.get((parts.hostname or "").lower())
        if site is None:
            return False
        return any((parts.path or "/").startswith(prefix) for prefix in site.outlet.disallow)

    def expected_articles(self, max_age_days: int = 30,
                          sources: Iterable[str] | None = None) -> list[ArticleTruth]:
        """What a complete crawl of ``sources`` (default: all) must store as articles:
        everything listed somewhere, except robots-disallowed pages and articles older
        than ``max_age_days`` that only dated channels (feeds, sitemaps) list."""
        wanted = set(sources) if sources is not None else set(self.outlets)
        limit = self.now - timedelta(days=max_age_days)
        expected = []
        for truth in self.articles:
            if truth.outlet not in wanted or not truth.channels or self.is_disallowed(truth.url):
                continue
            if "listing" not in truth.channels and truth.published_at < limit:
                continue
            expected.append(truth)
        return expected

    @property
    def syndication_groups(self) -> Mapping[str, tuple[str, ...]]:
        """Story -> canonical URLs of the articles carrying it (two or more): each group
        is one syndication cluster."""
        return self._groups(lambda truth: truth.story)

    @property
    def series_groups(self) -> Mapping[str, tuple[str, ...]]:
        """Series -> canonical URLs of its articles: recurring templated stories that
        must each stay in a cluster of their own."""
        return self._groups(lambda truth: truth.series)

    def _groups(self, key: Callable[[ArticleTruth], str | None]) -> Mapping[str, tuple[str, ...]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for truth in self.articles:
            name = key(truth)
            if name is not None:
                groups[name].append(truth.canonical_url)
        return {name: tuple(urls) for name, urls in groups.items() if len(urls) > 1}

    def config_mapping(self, database_url: str, *, sources: Iterable[str] | None = None,
                       **crawl_overrides: Any) -> dict[str, Any]:
        """A config.yaml mapping that crawls this site into ``database_url``: one source
        per outlet (or only ``sources``), crawl settings fit for tests (no delays,
        short timeouts) updated with ``crawl_overrides``. Validate it with
        ``newsdedup.core.config.config_from_mapping``, or dump it as YAML."""
        names = list(sources) if sources is not None else list(self.outlets)
        unknown = [name for name in names if name not in self.outlets]
        if unknown:
            raise KeyError(f"unknown outlet(s) {unknown}; this site has {sorted(self.outlets)}")
        entries = []
        for name in names:
            outlet = self.outlets[name]
            source: dict[str, Any] = {"name": outlet.key, "allowed_domains": [outlet.domain],
                                      "schedule": "every 10m", "language": outlet.language}
            for key in ("feeds", "sitemaps", "start_urls"):
                if getattr(outlet, key):
                    source[key] = list(getattr(outlet, key))
            if outlet.article_url_pattern:
                source["article_url_pattern"] = outlet.article_url_pattern
            entries.append(source)
        return {
            "database": {"url": database_url},
            "crawl": {**self.crawl_defaults, **crawl_overrides},
            "sources": entries,
        }
