"""``build_bench_site(n, seed)``: a large generated web for benchmarks, made on demand.

Articles are numbered 0..n-1 (newest first) and dealt round-robin to three outlets; each
is generated from its number when requested, so a 20,000-article site holds no article
in memory. One article in ten is a syndicated copy of the next (older) one, from another
outlet. Every outlet has an RSS feed (latest 50), a sitemap index with gzip sitemaps of
1,000 URLs and a news sitemap (last 48 hours), and paginated listings. No delays.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache

from newsdedup.core.records import utcnow
from newsweb.build import TEST_CRAWL, compose, truth
from newsweb.content.story import Story
from newsweb.content.textgen import generate_story, slugify
from newsweb.model import Channel, Entry, LazySequence, Link, Outlet
from newsweb.outlet import Discovery, OutletSite
from newsweb.outlets import KYIV, MENAFEED, STEPPE, STEPPE_BARE_HOST
from newsweb.responses import SiteState
from newsweb.site import Site

__all__ = ["MIN_BENCH_ARTICLES", "build_bench_site"]

#: The smallest benchmark web allowed (issue 2 asks for at least 2,000 articles).
MIN_BENCH_ARTICLES = 2000
_PATHS = Discovery(rss="/feed/rss.xml", sitemap_index="/sitemap.xml",
                   news_sitemap="/sitemaps/news.xml", listing="/news", listing_heading="News",
                   page_size=20)
_PATH = re.compile(r"^/news/(\d+)-([a-z0-9-]+)$")
_CHANNELS: frozenset[Channel] = frozenset({"feed", "sitemap", "news_sitemap", "listing"})
_NOTE = "This story was first published by a partner outlet and is republished with permission."


class _Generator:
    """Makes article ``g`` of the whole web: its story, date, outlet slot and role."""

    def __init__(self, n: int, seed: int, now: datetime, outlets: Sequence[Outlet],
                 span_days: float) -> None:
        self.n = n
        self.seed = seed
        self.now = now
        self.outlets = outlets
        self.step = timedelta(days=span_days) / n
        self.story = lru_cache(maxsize=512)(self._story)
        self.head = lru_cache(maxsize=8192)(self._head)

    def _story(self, g: int) -> Story:
        source = g + 1 if self.is_copy(g) else g
        return generate_story(self.seed * 1_000_003 + source, key=f"bench-{source}")

    def _head(self, g: int) -> Story:
        """Title and first paragraph only: enough for links, ten times cheaper."""
        source = g + 1 if self.is_copy(g) else g
        return generate_story(self.seed * 1_000_003 + source, key=f"bench-{source}",
                              head_only=True)

    def is_copy(self, g: int) -> bool:
        return g % 10 == 8 and g + 1 < self.n

    def is_original(self, g: int) -> bool:
        return g % 10 == 9 and g >= 1

    def published(self, g: int) -> datetime:
        return self.now - self.step * (g + 1)

    def path(self, g: int) -> str:
        return f"/news/{g}-{slugify(self.head(g).title, max_words=7)}"

    def link(self, g: int) -> Link:
        head = self.head(g)
        outlet = self.outlets[g % len(self.outlets)]
        return Link(outlet.base_url + self.path(g), head.title, self.published(g), None,
                    head.paragraphs[0][:200])

    def entry(self, g: int) -> Entry:
        outlet = self.outlets[g % len(self.outlets)]
        story = self.story(g)
        role = "copy" if self.is_copy(g) else "original" if self.is_original(g) else "unique"
        extra = {"drop_last": 1} if g % 20 == 8 else {"after": (_NOTE,)} if role == "copy" else {}
        composed = compose(outlet, story, **extra)
        first = truth(outlet, story, self.path(g), self.published(g), composed,
                      channels=_CHANNELS if self.published(g) > self.now - timedelta(days=2)
                      else _CHANNELS - {"news_sitemap"},
                      role=role, story_key=story.key)
        return Entry((first,), path=self.path(g),
                     caption=f"{story.tags[-1]}, file photo." if g % 3 == 0 else None)


class GeneratedCatalog:
    """One outlet's share of a generated web: articles ``slot``, ``slot + k``, ... ."""

    def __init__(self, generator: _Generator, slot: int) -> None:
        self.gen = generator
        self.slot = slot
        self.k = len(generator.outlets)
        self.ids = range(slot, generator.n, self.k)
        cutoff = generator.now - timedelta(days=2)
        self.news_count = sum(
            1 for _ in itertools.takewhile(lambda g: generator.published(g) > cutoff, self.ids))

    def __len__(self) -> int:
        return len(self.ids)

    def entry(self, index: int) -> Entry:
        return self.gen.entry(self.ids[index])

    def find(self, path: str) -> Entry | None:
        match = _PATH.match(path)
        if match is None:
            return None
        g = int(match.group(1))
        if g >= self.gen.n or g % self.k != self.slot or self.gen.path(g) != path:
            return None
        return self.gen.entry(g)

    def _link(self, g: int) -> Link:
        return self.gen.link(g)

    def links(self, channel: Channel, state: SiteState) -> Sequence[Link]:
        count = {"feed": min(50, len(self.ids)), "news_sitemap": self.news_count}.get(channel, len(self.ids))
        return LazySequence(count, lambda i: self._link(self.ids[i]))

    def sidebar(self, state: SiteState) -> Sequence[Link]:
        return ()

    def related(self, entry: Entry, state: SiteState) -> Sequence[Link]:
        g = int(entry.path.split("/")[2].split("-")[0])
        return [self._link(other) for other in (g + self.k, g + 2 * self.k) if other < self.gen.n]

    def popular(self, state: SiteState) -> Sequence[Link]:
        return [self._link(g) for g in self.ids[:5]]

    def teaser(self, entry: Entry, state: SiteState) -> Link | None:
        related = self.related(entry, state)
        return related[0] if related else None


def build_bench_site(n_articles: int = MIN_BENCH_ARTICLES, seed: int = 1, *,
                     now: datetime | None = None, span_days: float = 25) -> Site:
    """A generated web of ``n_articles`` (at least 2,000) spread evenly over the last
    ``span_days`` days (inside the default 30-day window). Same arguments, same web."""
    if n_articles < MIN_BENCH_ARTICLES:
        raise ValueError(f"n_articles must be at least {MIN_BENCH_ARTICLES}, got {n_articles}")
    moment = (now or utcnow()).replace(microsecond=0)
    outlets = [
        _PATHS.apply(replace(outlet, crawl_delay=None,
                             article_url_pattern=rf"(?i){re.escape(outlet.domain)}(:80)?/news/\d+-[a-z0-9-]+$"))
        for outlet in (KYIV, STEPPE, MENAFEED)
    ]
    generator = _Generator(n_articles, seed, moment, outlets, span_days)
    sites = [OutletSite(outlet, GeneratedCatalog(generator, slot), _PATHS)
             for slot, outlet in enumerate(outlets)]
    crawl = {**TEST_CRAWL, "timeout": 10, "concurrency": 16, "per_host_concurrency": 8,
             "max_listing_pages": 3, "max_pages_per_run": n_articles + 1000}
    return Site(name=f"bench-{n_articles}-{seed}", now=moment, outlets=sites,
                host_redirects={STEPPE_BARE_HOST: STEPPE.host}, crawl_defaults=crawl)
