"""One outlet's host: routes its robots.txt, feeds, sitemaps, listings and articles."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from newsweb import discovery
from newsweb.catalog import Catalog, current
from newsweb.model import Entry, Link, Outlet
from newsweb.responses import Handler, Request, Response, binary, html, text, xml
from newsweb.templates import TEMPLATES, ArticleView, ListingView

__all__ = ["NO_STATE", "Discovery", "OutletSite"]

_ERROR_500 = (
    "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
    "<h1>Internal Server Error</h1><p>The server encountered a temporary error. "
    "Please try again in a moment.</p></body></html>"
)

_TOO_MANY = (
    "<!DOCTYPE html><html><head><title>429 Too Many Requests</title></head><body>"
    "<h1>Too Many Requests</h1><p>Slow down, please.</p></body></html>"
)


@dataclass(frozen=True, slots=True)
class Discovery:
    """Where an outlet publishes its discovery documents (paths; None: it has none).

    ``sitemap_index`` points to gzip sitemaps of ``sitemap_chunk`` URLs each and to the
    news sitemap; ``sitemap`` is a plain, uncompressed urlset when there is no index.
    """

    rss: str | None = None
    atom: str | None = None
    sitemap_index: str | None = None
    sitemap: str | None = None
    news_sitemap: str | None = None
    listing: str | None = None
    listing_heading: str = "News"
    page_size: int = 5
    sitemap_chunk: int = 1000
    feed_size: int = 50

    def apply(self, outlet: Outlet, listing_in_start_urls: bool = True) -> Outlet:
        """``outlet`` with its feeds, sitemaps and start URLs filled from these paths."""
        base = outlet.base_url
        feeds = tuple(base + path for path in (self.rss, self.atom) if path)
        sitemaps = tuple(base + path for path in
                         (self.sitemap_index or self.sitemap,) if path)
        if self.sitemap_index is None and self.news_sitemap:
            sitemaps += (base + self.news_sitemap,)
        start = (base + self.listing,) if self.listing and listing_in_start_urls else ()
        return replace(outlet, feeds=feeds, sitemaps=sitemaps, start_urls=start)


class OutletSite:
    """Serves one outlet from its catalog; ``routes`` adds fixed pages (bad pages...)."""

    def __init__(self, outlet: Outlet, catalog: Catalog, paths: Discovery,
                 routes: Mapping[str, Handler] | None = None) -> None:
        self.outlet = outlet
        self.catalog = catalog
        self.paths = paths
        self.template = TEMPLATES[outlet.template]
        self.routes: dict[str, Handler] = dict(self._discovery_routes())
        self.routes.update(routes or {})
        #: URL -> kind ("home", "listing", "tag", "author", "topic") of pages that are not articles.
        self.not_articles: dict[str, str] = self._listing_pages()

    # Articles -------------------------------------------------------------------------

    def view(self, entry: Entry, request: Request) -> ArticleView:
        state = request.state
        return ArticleView(
            outlet=self.outlet,
            entry=entry,
            truth=current(entry, state),
            related=self.catalog.related(entry, state),
            popular=self.catalog.popular(state),
            teaser=self.catalog.teaser(entry, state),
        )

    def find(self, path: str) -> tuple[Entry | None, bool]:
        """The entry behind ``path`` and whether the AMP version was asked for.
        Trailing slashes are ignored, as many CMSs do."""
        stripped = path.rstrip("/") or "/"
        entry = self.catalog.find(stripped)
        if entry is not None:
            return entry, False
        if stripped.endswith("/amp"):
            entry = self.catalog.find(stripped[: -len("/amp")])
            if entry is not None and entry.has_amp:
                return entry, True
        return None, False

    def article_response(self, entry: Entry, request: Request, *, amp: bool = False) -> Response:
        gone = request.state.gone(entry.first.canonical_url)
        if gone is not None:
            return self.not_found(status=gone)
        if entry.fail_first and request.state.hit(entry.first.canonical_url) <= entry.fail_first:
            return html(_ERROR_500, status=500)
        retry_after = request.state.limited(entry.first.canonical_url)
        if retry_after is not None:
            limited = html(_TOO_MANY, status=429)
            return replace(limited, headers=(("Retry-After", retry_after),)) if retry_after else limited
        view = self.view(entry, request)
        truth = view.truth
        markup = self.template.amp(view) if amp else self.template.article(view)
        return html(markup, last_modified=truth.modified_at or truth.published_at,
                    encoding=entry.encoding, declare_charset=entry.encoding == "utf-8")

    def not_found(self, *, status: int = 404) -> Response:
        return html(self.template.not_found(self.outlet), status=status)

    def respond(self, request: Request) -> Response:
        handler = self.routes.get(request.path)
        if handler is not None:
            return handler(request)
        entry, amp = self.find(request.path)
        if entry is not None:
            return self.article_response(entry, request, amp=amp)
        return self.not_found()

    # Discovery documents --------------------------------------------------------------

    def _discovery_routes(self) -> dict[str, Handler]:
        paths = self.paths
        routes: dict[str, Handler] = {"/robots.txt": self._robots}
        if paths.rss:
            routes[paths.rss] = self._rss
        if paths.atom:
            routes[paths.atom] = self._atom
        if paths.sitemap_index:
            routes[paths.sitemap_index] = self._sitemap_index
            routes.update({self._chunk_path(k): self._chunk_handler(k)
                           for k in range(self._chunk_count())})
        if paths.sitemap:
            routes[paths.sitemap] = self._urlset
        if paths.news_sitemap:
            routes[paths.news_sitemap] = self._news_sitemap
        if paths.listing:
            routes[paths.listing] = self._listing
            routes["/"] = self._home
        return routes

    def _robots(self, request: Request) -> Response:
        base = self.outlet.base_url
        maps = [base + p for p in (self.paths.sitemap_index or self.paths.sitemap,) if p]
        return text(discovery.robots_txt(self.outlet, maps))

    def _feed_items(self, request: Request) -> list[Link]:
        return list(self.catalog.links("feed", request.state)[: self.paths.feed_size])

    def _rss(self, request: Request) -> Response:
        items = self._feed_items(request)
        return xml(discovery.rss_feed(self.outlet, items, self.outlet.base_url + request.path),
                   "application/rss+xml", last_modified=_newest(items))

    def _atom(self, request: Request) -> Response:
        items = self._feed_items(request)
        return xml(discovery.atom_feed(self.outlet, items, self.outlet.base_url + request.path),
                   "application/atom+xml", last_modified=_newest(items))

    def _chunk_count(self) -> int:
        # Computed once at start: the sitemap's length does not change while serving.
        count = len(self.catalog.links("sitemap", NO_STATE))
        return max(1, math.ceil(count / self.paths.sitemap_chunk))

    def _chunk_path(self, index: int) -> str:
        return f"/sitemaps/articles-{index + 1}.xml.gz"

    def _chunk_items(self, request: Request, index: int) -> list[Link]:
        size = self.paths.sitemap_chunk
        return list(self.catalog.links("sitemap", request.state)[index * size:(index + 1) * size])

    def _chunk_handler(self, index: int) -> Handler:
        def handler(request: Request) -> Response:
            items = self._chunk_items(request, index)
            body = discovery.gzip_bytes(discovery.urlset(items).encode("utf-8"))
            return binary(body, "application/x-gzip", last_modified=_newest(items))

        return handler

    def _sitemap_index(self, request: Request) -> Response:
        base = self.outlet.base_url
        entries = [(base + self._chunk_path(k), _newest(self._chunk_items(request, k)))
                   for k in range(self._chunk_count())]
        if self.paths.news_sitemap:
            news = self.catalog.links("news_sitemap", request.state)
            entries.append((base + self.paths.news_sitemap, _newest(news)))
        return xml(discovery.sitemap_index(entries), "application/xml",
                   last_modified=max((stamp for _, stamp in entries if stamp), default=None))

    def _urlset(self, request: Request) -> Response:
        items = list(self.catalog.links("sitemap", request.state))
        return xml(discovery.urlset(items), "application/xml", last_modified=_newest(items))

    def _news_sitemap(self, request: Request) -> Response:
        items = list(self.catalog.links("news_sitemap", request.state))
        return xml(discovery.news_sitemap(self.outlet, items), "application/xml",
                   last_modified=_newest(items))

    def _listing_view(self, request: Request, heading: str) -> ListingView | None:
        links = self.catalog.links("listing", request.state)
        size = self.paths.page_size
        pages = max(1, math.ceil(len(links) / size))
        try:
            page = int(request.query.get("page", "1"))
        except ValueError:
            return None
        if not 1 <= page <= pages:
            return None
        return ListingView(
            outlet=self.outlet, heading=heading, items=list(links[(page - 1) * size:page * size]),
            page=page, pages=pages, base_path=self.paths.listing or "/",
            sidebar=self.catalog.sidebar(request.state),
        )

    def _listing_pages(self) -> dict[str, str]:
        if not self.paths.listing:
            return {}
        base, listing = self.outlet.base_url, self.paths.listing
        count = len(self.catalog.links("listing", NO_STATE))
        pages = max(1, math.ceil(count / self.paths.page_size))
        found = {f"{base}/": "home"}
        found.update({base + listing + ("" if n == 1 else f"?page={n}"): "listing"
                      for n in range(1, pages + 1)})
        return found

    def _listing(self, request: Request) -> Response:
        view = self._listing_view(request, self.paths.listing_heading)
        return self.not_found() if view is None else html(self.template.listing(view))

    def _home(self, request: Request) -> Response:
        view = self._listing_view(request, self.outlet.name)
        if view is None:
            return self.not_found()
        return html(self.template.listing(replace(view, pages=1)))


class _NoState:
    """The state of a fresh site, for answers that must not depend on it."""

    def revision(self, key: str) -> int:
        return 0

    def gone(self, key: str) -> int | None:
        return None

    def hit(self, key: str) -> int:
        return 0

    def limited(self, key: str) -> str | None:
        return None


NO_STATE = _NoState()


def _newest(items: Sequence[Link]) -> datetime | None:
    stamps = [item.modified_at or item.published_at for item in items if item.published_at]
    return max(stamps, default=None)
