"""The ground truth of a news web: records tests assert against, and the pages behind them.

Everything here is plain data. ``ArticleTruth`` is what a perfect crawl and extraction
would produce for one article; ``BadPage`` and ``UrlVariant`` say what a crawler must do
with a tricky URL. The ``Entry`` and ``Link`` records are what outlets render pages from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar, overload

__all__ = [
    "CHANNELS",
    "EXPECTED_OUTCOMES",
    "ArticleTruth",
    "BadPage",
    "Channel",
    "Entry",
    "Expected",
    "LazySequence",
    "Link",
    "Outlet",
    "UrlVariant",
]

#: Where an outlet lists an article: its RSS/Atom feed, its sitemap, its Google News
#: sitemap, its section (listing) pages.
CHANNELS = ("feed", "sitemap", "news_sitemap", "listing")
Channel = Literal["feed", "sitemap", "news_sitemap", "listing"]

#: What a crawl (and extraction) must make of a tricky URL.
EXPECTED_OUTCOMES = (
    "article",            # stored as an article (after retries, redirects or decoding)
    "http_error",         # fetched, 4xx/5xx: recorded, never an article
    "soft_404",           # fetched, HTTP 200 but says "not found": rejected as soft_404
    "not_html",           # fetched (or HEAD), not HTML: recorded, never an article
    "too_large",          # over crawl.max_page_bytes: aborted, recorded
    "timeout",            # no response within crawl.timeout: recorded after retries
    "redirect_loop",      # redirects never end: recorded, never an article
    "robots_disallowed",  # robots.txt forbids it: never requested
    "offsite",            # outside the source's allowed_domains: never requested
)
Expected = Literal[
    "article", "http_error", "soft_404", "not_html", "too_large", "timeout",
    "redirect_loop", "robots_disallowed", "offsite",
]

ParagraphKind = Literal["lead", "heading", "text"]
Metadata = Literal["json-ld-body", "json-ld", "meta", "visible"]


@dataclass(frozen=True, slots=True)
class Outlet:
    """One fictional outlet: its hosts, how it is discovered, and its recurring text.

    ``key`` is also the source name in :meth:`Site.config_mapping`. URLs are absolute.
    ``template_paragraphs`` are the plain body paragraphs it prints on every article
    (the dedup stage should learn them as template text).
    """

    key: str
    name: str
    host: str
    language: str
    template: str
    metadata: Metadata
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    article_url_pattern: str | None = None
    other_hosts: tuple[str, ...] = ()
    template_paragraphs: tuple[str, ...] = ()
    disallow: tuple[str, ...] = ()
    crawl_delay: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host, *self.other_hosts)

    @property
    def domain(self) -> str:
        """The registrable host, without ``www.``: what ``allowed_domains`` holds."""
        return self.host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class ArticleTruth:
    """One article as a perfect pipeline would store it (its current revision).

    ``body`` is what an ideal single-page extractor returns (the page's body paragraphs
    in order, ``kinds`` beside them): in-body template paragraphs and repeated blocks
    included, chrome (captions, teasers, newsletter boxes, share bars) excluded.
    ``clean`` is ``body`` after the paragraph stage: repeats and the outlet's template
    paragraphs removed. ``story`` names what it carries: articles with the same story
    are one syndication cluster; ``series`` names a recurring templated story (weather,
    markets) whose articles must NOT be merged. Dates are timezone-aware UTC.
    """

    url: str
    canonical_url: str
    outlet: str
    title: str
    published_at: datetime
    body: tuple[str, ...]
    kinds: tuple[ParagraphKind, ...]
    clean: tuple[str, ...]
    language: str
    authors: tuple[str, ...] = ()
    modified_at: datetime | None = None
    story: str | None = None
    role: Literal["original", "copy", "unique"] = "unique"
    series: str | None = None
    revision: int = 0
    metadata: Metadata = "json-ld"
    channels: frozenset[Channel] = frozenset()
    tags: tuple[str, ...] = ()
    section: str = "news"

    @property
    def lead(self) -> str | None:
        return self.body[0] if self.kinds and self.kinds[0] == "lead" else None

    @property
    def text(self) -> str:
        """The clean body as ``newsdedup export`` prints it: paragraphs joined by a blank line."""
        return "\n\n".join(self.clean)

    def age_days(self, now: datetime) -> float:
        return (now - self.published_at).total_seconds() / 86400


@dataclass(frozen=True, slots=True)
class BadPage:
    """A URL a crawl meets that needs special handling, and the outcome it must have.

    ``status`` is what the server answers (None: never answers, or a redirect loop);
    ``article_url`` is the article it finally yields (flaky page, redirect chain,
    windows-1251 page), else None. ``linked_from`` lists the listing/feed URLs that
    link to it, so a full crawl always meets it.
    """

    url: str
    kind: str
    expected: Expected
    outlet: str
    status: int | None
    linked_from: tuple[str, ...]
    note: str
    article_url: str | None = None


@dataclass(frozen=True, slots=True)
class UrlVariant:
    """Another spelling of an article's URL, linked somewhere; it must resolve to
    ``canonical_url`` and never make a second article."""

    url: str
    canonical_url: str
    kind: str
    linked_from: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """An item of a listing, feed or sitemap: where it points and what it says."""

    url: str
    title: str
    published_at: datetime | None = None
    modified_at: datetime | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """An article as its outlet serves it: revisions of its truth plus page furniture.

    ``revisions[0]`` is served until the site is told to update it. The furniture
    (caption, comments, podcast...) is chrome a good extractor leaves out. ``path`` is
    where it is served (``aliases`` too); ``fail_first`` answers that many requests with
    a 500 before the page; ``encoding`` other than utf-8 is declared only in a <meta>;
    ``linkable=False`` keeps it out of related/popular lists (reachable another way).
    """

    revisions: tuple[ArticleTruth, ...]
    path: str
    caption: str | None = None
    author_bio: str | None = None
    comments: tuple[tuple[str, str], ...] = ()
    podcast: tuple[str, str] | None = None
    has_amp: bool = False
    extra_head: str = ""
    encoding: str = "utf-8"
    fail_first: int = 0
    linkable: bool = True
    aliases: tuple[str, ...] = field(default=())

    @property
    def first(self) -> ArticleTruth:
        return self.revisions[0]


T = TypeVar("T")


class LazySequence(Sequence[T]):
    """A read-only sequence whose items are made on demand by ``make(index)``.

    Lets a 20,000-article site exist without 20,000 objects in memory.
    """

    def __init__(self, length: int, make: Callable[[int], T]) -> None:
        self._length = length
        self._make = make

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[T]:
        return (self._make(i) for i in range(self._length))
