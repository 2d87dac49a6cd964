"""Tag, author and topic pages: an outlet's articles grouped (pages, not articles).

Topic pages sit at article-shaped URLs and show each article's first paragraph in full,
so that a crawler fetches them and only the extractor can tell them from articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from newsweb.catalog import current, link_of
from newsweb.content.textgen import slugify
from newsweb.model import Entry, Link
from newsweb.outlet import OutletSite
from newsweb.responses import Handler, Request, Response, html
from newsweb.templates import ListingView

__all__ = ["add_section_pages", "add_topic_page", "topic_link"]


def add_section_pages(site: OutletSite, *, tag_base: str | None = "/tag/",
                      author_base: str | None = "/author/") -> None:
    """Serve ``{tag_base}<slug>`` and ``{author_base}<slug>`` for every tag and author of
    the site's listed articles (the slugs the templates link to), and record them in
    ``site.not_articles``. Meant for the small hand-built sites."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    headings: dict[tuple[str, str], str] = {}
    for index in range(len(site.catalog)):
        entry = site.catalog.entry(index)
        truth = entry.first
        if not entry.linkable or not truth.channels:
            continue
        keys = []
        if tag_base:
            keys += [(tag_base + slugify(tag, max_words=6), f"Tag: {tag}", "tag") for tag in truth.tags]
        if author_base:
            keys += [(author_base + slugify(name, max_words=6), name, "author") for name in truth.authors]
        for path, heading, kind in keys:
            groups[(path, kind)].append(entry)
            headings[(path, kind)] = heading
    for (path, kind), entries in groups.items():
        site.routes[path] = _section(site, headings[(path, kind)], entries)
        site.not_articles[site.outlet.base_url + path] = kind


def _teaser(entry: Entry, request: Request) -> Link:
    truth = current(entry, request.state)
    paragraph = truth.lead or next((p for p, k in zip(truth.body, truth.kinds, strict=True) if k == "text"), "")
    return Link(truth.url, truth.title, truth.published_at, truth.modified_at, paragraph)


def _section(site: OutletSite, heading: str, entries: list[Entry], *, full_teasers: bool = False) -> Handler:
    def handler(request: Request) -> Response:
        if full_teasers:
            links = [_teaser(entry, request) for entry in entries]
        else:
            links = [link_of(current(entry, request.state)) for entry in entries]
        # A topic hub is stamped with its newest story's time, where the template stamps pages.
        stamped = max((link.published_at for link in links if link.published_at), default=None)
        view = ListingView(outlet=site.outlet, heading=heading, items=links, page=1, pages=1,
                           base_path=request.path, stamped=stamped if full_teasers else None)
        return html(site.template.listing(view))

    return handler


def topic_link(base_url: str, path: str, heading: str, updated: datetime) -> Link:
    """The link to a topic page, for an outlet's listing (as sites link their hubs);
    ``updated`` places it in the listing's order."""
    return Link(base_url + path, heading, updated)


def add_topic_page(site: OutletSite, path: str, heading: str, entries: Sequence[Entry]) -> None:
    """Serve a topic page at ``path`` listing ``entries``, each teaser a headline link and
    the article's first paragraph in full (its lead, else its first body paragraph), and
    record it in ``site.not_articles`` as a "topic" page."""
    site.routes[path] = _section(site, heading, list(entries), full_teasers=True)
    site.not_articles[site.outlet.base_url + path] = "topic"
