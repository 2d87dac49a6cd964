"""Helpers the site builders share: composing a story into an outlet's article, and
finding which listing, feed or sitemap links a URL."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from newsweb.catalog import ListCatalog, link_of
from newsweb.content.story import HEADING, Story
from newsweb.model import ArticleTruth, Channel, Entry, Link, Outlet
from newsweb.outlet import NO_STATE, OutletSite

__all__ = [
    "TEST_CRAWL",
    "Composed",
    "compose",
    "listing_items",
    "make_site_catalog",
    "truth",
    "where_linked",
]

#: Crawl settings for tests: no delays, short timeouts, enough budget for any test site.
TEST_CRAWL: dict[str, Any] = {
    "download_delay": 0,
    "timeout": 3,
    "retries": 2,
    "concurrency": 8,
    "per_host_concurrency": 4,
    "max_listing_pages": 10,
    "max_pages_per_run": 1000,
}

Composed = tuple[tuple[str, ...], tuple[Any, ...]]


def compose(outlet: Outlet, story: Story, *, paragraphs: Sequence[str] | None = None,
            lead: bool = False, prefix: str = "", before: Sequence[str] = (),
            after: Sequence[str] = (), drop_last: int = 0, template: bool = True) -> Composed:
    """The body paragraphs and kinds of ``story`` as ``outlet`` prints it: an optional
    lead, notes ``before``/``after``, the last ``drop_last`` paragraphs cut, ``prefix``
    on the first paragraph, and the outlet's template paragraphs at the end."""
    source = list(paragraphs if paragraphs is not None else story.paragraphs)
    if drop_last:
        source = source[:-drop_last]
    body: list[str] = []
    kinds: list[str] = []
    if lead and story.lead:
        body.append(story.lead)
        kinds.append("lead")
    for text in before:
        body.append(text)
        kinds.append("text")
    first = True
    for text in source:
        if text.startswith(HEADING):
            body.append(text[len(HEADING):])
            kinds.append("heading")
            continue
        body.append(prefix + text if first else text)
        kinds.append("text")
        first = False
    for text in after:
        body.append(text)
        kinds.append("text")
    if template:
        for text in outlet.template_paragraphs:
            body.append(text)
            kinds.append("text")
    return tuple(body), tuple(kinds)


def truth(outlet: Outlet, story: Story, path: str, published_at: datetime,
          composed: Composed, *, channels: Iterable[Channel], role: str = "unique",
          story_key: str | None = None, series: str | None = None, clean: Sequence[str] | None = None,
          modified_at: datetime | None = None, revision: int = 0, title: str | None = None) -> ArticleTruth:
    """An article's ground truth. ``clean`` defaults to the body without the outlet's
    template paragraphs; pass it when the body also holds repeats."""
    body, kinds = composed
    url = outlet.base_url + path
    if clean is None:
        clean = tuple(p for p in body if p not in outlet.template_paragraphs)
    return ArticleTruth(
        url=url,
        canonical_url=url,
        outlet=outlet.key,
        title=title or story.title,
        published_at=published_at,
        body=body,
        kinds=kinds,
        clean=tuple(clean),
        language=story.language,
        authors=story.authors,
        modified_at=modified_at,
        story=story_key if role != "unique" else None,
        role=role,  # type: ignore[arg-type]
        series=series,
        revision=revision,
        metadata=outlet.metadata,
        channels=frozenset(channels),
        tags=story.tags,
    )


def listing_items(entries: Iterable[Entry], extra: Iterable[Link] = (),
                  channel: Channel = "listing") -> list[Entry | Link]:
    """Entries listed in ``channel`` plus ``extra`` links, newest first."""
    items: list[Entry | Link] = [e for e in entries if channel in e.first.channels and e.linkable]
    items.extend(extra)

    def stamp(item: Entry | Link) -> datetime:
        moment = item.first.published_at if isinstance(item, Entry) else item.published_at
        assert moment is not None, "every listed link needs a date to be ordered"
        return moment

    return sorted(items, key=stamp, reverse=True)


def where_linked(site: OutletSite, url: str) -> tuple[str, ...]:
    """The listing pages, feeds and sitemaps of ``site`` that link to exactly ``url``."""
    catalog, paths, base = site.catalog, site.paths, site.outlet.base_url
    found: list[str] = []
    feeds = [base + p for p in (paths.rss, paths.atom) if p]
    for channel in ("feed", "sitemap", "news_sitemap", "listing"):
        links = [link.url for link in catalog.links(channel, NO_STATE)]
        if url not in links:
            continue
        position = links.index(url)
        if channel == "feed" and position < paths.feed_size:
            found.extend(feeds)
        elif channel == "sitemap" and paths.sitemap_index:
            found.append(f"{base}/sitemaps/articles-{position // paths.sitemap_chunk + 1}.xml.gz")
        elif channel == "sitemap" and paths.sitemap:
            found.append(base + paths.sitemap)
        elif channel == "news_sitemap" and paths.news_sitemap:
            found.append(base + paths.news_sitemap)
        elif channel == "listing" and paths.listing:
            page = position // paths.page_size + 1
            found.append(base + paths.listing + ("" if page == 1 else f"?page={page}"))
    if paths.listing and url in [link.url for link in catalog.sidebar(NO_STATE)]:
        pages = max(1, math.ceil(len(catalog.links("listing", NO_STATE)) / paths.page_size))
        found.extend(base + paths.listing + ("" if n == 1 else f"?page={n}")
                     for n in range(1, pages + 1))
    return tuple(dict.fromkeys(found))


def make_site_catalog(entries: Sequence[Entry], *,
                      extra: Mapping[Channel, Sequence[Link]] | None = None,
                      spelled: Mapping[Channel, Mapping[str, str]] | None = None,
                      sidebar: Sequence[Entry | Link] = ()) -> ListCatalog:
    """A catalog whose channels list ``entries`` (by their truth's channels; not the
    unlinkable ones) plus ``extra`` links, newest first. ``spelled[channel][url]`` makes
    that channel link the entry through another spelling of its URL (a variant)."""
    extra = extra or {}
    spelled = spelled or {}
    channels: dict[Channel, list[Entry | Link]] = {}
    for channel in ("feed", "sitemap", "news_sitemap", "listing"):
        items = listing_items(entries, extra.get(channel, ()), channel)
        renamed = spelled.get(channel, {})
        channels[channel] = [
            link_of(item.first, renamed[item.first.url])
            if isinstance(item, Entry) and item.first.url in renamed else item
            for item in items
        ]
    return ListCatalog(entries, channels, sidebar)
