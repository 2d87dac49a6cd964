"""Tag and author pages: an outlet's articles grouped by tag or byline (pages, not articles)."""

from __future__ import annotations

from collections import defaultdict

from newsdedup.newsweb.catalog import current, link_of
from newsdedup.newsweb.content.textgen import slugify
from newsdedup.newsweb.model import Entry
from newsdedup.newsweb.outlet import OutletSite
from newsdedup.newsweb.responses import Handler, Request, Response, html
from newsdedup.newsweb.templates import ListingView

__all__ = ["add_section_pages"]


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


def _section(site: OutletSite, heading: str, entries: list[Entry]) -> Handler:
    def handler(request: Request) -> Response:
        links = [link_of(current(entry, request.state)) for entry in entries]
        view = ListingView(outlet=site.outlet, heading=heading, items=links, page=1, pages=1,
                           base_path=request.path)
        return html(site.template.listing(view))

    return handler
