"""Section (listing) pages: which links are articles, and which link is the next page.

Links come from Scrapy's ``LinkExtractor`` (``<base href>``, ``nofollow`` and
de-duplication handled there). Without a configured ``article_url_pattern`` a link is
an article when its path looks like one (a dated path, a long slug or a long numeric
id) and does not sit under a navigation segment such as ``/tag/`` or ``/author/``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

from newsdedup.core.urls import absolute_url, host_of

__all__ = [
    "ASSET_EXTENSIONS",
    "ListingLink",
    "article_links",
    "in_domains",
    "looks_like_article",
    "next_page_url",
]

#: Links never worth a request from a listing. Documents (pdf, doc) are kept: an
#: article link to one is recorded as ``not_html`` without downloading its body.
ASSET_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "avif", "tif", "tiff",
        "css", "js", "mjs", "json", "woff", "woff2", "ttf", "otf", "eot",
        "mp3", "mp4", "m4a", "ogg", "wav", "webm", "avi", "mov", "mkv", "flv",
        "zip", "gz", "tar", "rar", "7z", "exe", "dmg", "apk", "rss", "atom",
    }
)

_NAVIGATION = frozenset(
    {
        "tag", "tags", "category", "categories", "topic", "topics", "author", "authors",
        "section", "sections", "page", "search", "login", "signin", "sign-in", "register",
        "subscribe", "subscription", "newsletter", "newsletters", "about", "about-us",
        "contact", "contacts", "privacy", "privacy-policy", "terms", "cookies", "feed",
        "feeds", "rss", "account", "donate", "support-us", "shop", "advertise", "jobs",
        "archive", "archives", "wp-content", "wp-admin", "static", "assets", "media",
    }
)
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])(?:/|$)|/(?:19|20)\d{2}-\d{2}-\d{2}")
_LONG_ID = re.compile(r"\d{5,}")
# An opaque id (letters and digits mixed, as base-36 or hashed ids are: ``c4g3z5xk9qlo``)
# names an article under a segment that says so (``/news/articles/<id>``, ``/story/<id>``).
_OPAQUE_ID = re.compile(r"(?=(?:[a-z]*\d){3})(?=[0-9]*[a-z])[a-z0-9]{8,40}", re.IGNORECASE)
_ARTICLE_SEGMENTS = frozenset({"article", "articles", "story", "stories", "content", "post", "posts", "news", "a"})
_NEXT_TEXT = re.compile(
    r"^(?:(?:next(?: page)?|older(?: (?:posts|articles|stories|entries|news))?|"
    r"more (?:news|stories|articles)|наступна|далі|следующая|дальше|suivant|weiter|"
    r"siguiente)\s*[»›→>]*|[»›→>]+)$",
    re.IGNORECASE,
)
_PAGE_PARAMS = ("page", "p", "pg", "paged", "start", "offset")
_PAGE_PATH = re.compile(r"/page/(\d+)/?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ListingLink:
    """A candidate article link of a listing page: absolute URL and anchor text."""

    url: str
    text: str


def in_domains(url: str, domains: Sequence[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one."""
    host = host_of(url)
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


def _is_slug(segment: str) -> bool:
    words = [word for word in re.split(r"[-_]+", segment) if word]
    return len(words) >= 4 or (len(words) >= 3 and len(segment) >= 16)


def looks_like_article(url: str) -> bool:
    """The default heuristic: a dated path, a long slug, a long numeric id or an opaque id
    under a segment naming articles, outside navigation sections, and not a static asset."""
    path = urlsplit(url).path
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return False
    if any(segment.lower() in _NAVIGATION for segment in segments):
        return False
    last = segments[-1]
    stem, dot, extension = last.rpartition(".")
    if dot and extension.lower() in ASSET_EXTENSIONS:
        return False
    stem = stem if dot else last
    if _DATED_PATH.search(path) and len(segments) >= 3:
        return True
    if _is_slug(stem):
        return True
    if len(segments) >= 2 and segments[-2].lower() in _ARTICLE_SEGMENTS and _OPAQUE_ID.fullmatch(stem):
        return True
    return len(segments) >= 2 and bool(_LONG_ID.search(stem))


def article_links(
    response: TextResponse,
    *,
    pattern: re.Pattern[str] | None,
    domains: Sequence[str],
) -> list[ListingLink]:
    """The article links of a listing page, in page order, without duplicates.

    A link inside ``domains`` is an article when ``pattern`` matches it (searched in the
    absolute URL), or without a pattern when it :func:`looks_like_article`. A link
    outside them is returned when either test passes (a pattern usually names the own
    host): the caller records it as offsite and never requests it.
    """
    extractor = LinkExtractor(
        deny_extensions=sorted(ASSET_EXTENSIONS),
        unique=True,
        canonicalize=False,
    )
    own = response.url.split("#", 1)[0]
    try:
        links = extractor.extract_links(response)
    except ValueError:  # a <base href> that is no URL: no link of the page can be read
        return []
    found = []
    for link in links:
        url = link.url.split("#", 1)[0]
        if url == own:
            continue
        matches = pattern.search(url) is not None if pattern is not None else None
        if in_domains(url, domains):
            if not (matches if matches is not None else looks_like_article(url)):
                continue
        elif not (matches or looks_like_article(url)):
            continue
        found.append(ListingLink(url, " ".join(link.text.split())))
    return found


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    match = _PAGE_PATH.search(parts.path)
    if match:
        return int(match[1])
    for name, value in parse_qsl(parts.query):
        if name.lower() in _PAGE_PARAMS and value.isdecimal():
            return int(value)
    return None


def next_page_url(response: TextResponse) -> str | None:
    """The listing's next page: ``rel=next`` first, then a link labelled like "Next" or
    "Older", then the link whose page number is one more than this page's."""
    for href in response.css('link[rel~="next"]::attr(href), a[rel~="next"]::attr(href)').getall():
        if href.strip() and (url := absolute_url(response.url, href)):
            return url
    anchors = response.css("a[href]")
    for anchor in anchors:
        label = " ".join(
            " ".join(anchor.css("::text").getall()).split()
            or [anchor.attrib.get("aria-label", "")]
        )
        classes = set(anchor.attrib.get("class", "").lower().split())
        labelled = bool(label and _NEXT_TEXT.match(label))
        if (labelled or {"next", "pagination-next", "next-page"} & classes) and (
            url := absolute_url(response.url, anchor.attrib["href"])
        ):
            return url
    current = _page_number(response.url) or 1
    for anchor in anchors:
        url = absolute_url(response.url, anchor.attrib["href"])
        if url and _page_number(url) == current + 1 and host_of(url) == host_of(response.url):
            return url
    return None
