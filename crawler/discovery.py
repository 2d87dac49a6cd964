"""Reading feeds (RSS 2.0, RSS 1.0, Atom, JSON Feed) and sitemaps (index, gzip, Google
News, plain text) into links.

Plain functions over bytes: no requests, no database. Sitemaps go through Scrapy's
``Sitemap`` parser (safe iterparse: no entities, no network), extended to read the
nested ``news:news`` block; feeds through lxml with the same safety options.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any, Literal
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from newsdedup.core.dates import parse_date as parse_machine_date
from newsdedup.core.urls import absolute_url

__all__ = [
    "Document",
    "DocumentKind",
    "Link",
    "NewsSitemap",
    "advertised_feeds",
    "parse_date",
    "parse_document",
    "parse_feed",
    "parse_json_feed",
    "parse_sitemap",
    "parse_text_sitemap",
    "sniff",
    "unzip",
]

DocumentKind = Literal["rss", "atom", "jsonfeed", "urlset", "sitemapindex", "html", "unknown"]

_GZIP_MAGIC = b"\x1f\x8b"
_ROOTS: dict[str, DocumentKind] = {
    "rss": "rss",
    "RDF": "rss",
    "feed": "atom",
    "urlset": "urlset",
    "sitemapindex": "sitemapindex",
    "html": "html",
}


@dataclass(frozen=True, slots=True)
class Link:
    """An entry of a feed or sitemap: an absolute URL (not canonicalised yet) and what
    the document said about it. ``published_at`` is aware UTC, or None when undated;
    ``updated_at`` is when the entry says the page last changed (a sitemap's ``lastmod``,
    a feed's ``updated``), None when it does not say."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed discovery document. For a ``sitemapindex``, ``links`` are sitemaps."""

    kind: DocumentKind
    links: tuple[Link, ...] = ()


def parse_date(text: str | None) -> datetime | None:
    """A feed or sitemap date (ISO 8601 / W3C, RFC 822) as aware UTC; None if unreadable.

    A date without a zone is taken as UTC; a bare ``YYYY`` or ``YYYY-MM`` (allowed by the
    W3C profile) as the first day of that period.
    """
    return parse_machine_date(text, periods=True)


def unzip(body: bytes, *, max_size: int = 0) -> bytes:
    """``body`` gunzipped when it is gzip data (a ``.xml.gz`` sitemap served as a file),
    else unchanged. Raises ValueError when the data is corrupt or inflates past
    ``max_size`` bytes (0: no limit)."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    try:
        return gunzip(body, max_size=max_size)
    except Exception as exc:  # gunzip raises OSError, EOFError or its own size error
        raise ValueError(f"bad gzip data: {exc}") from exc


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def sniff(body: bytes) -> DocumentKind:
    """What kind of document ``body`` is, from its root element."""
    try:
        events = lxml.etree.iterparse(
            BytesIO(body), events=("start",), recover=True, resolve_entities=False,
            no_network=True, remove_comments=True, remove_pis=True,
        )
        _, root = next(events)
    except (lxml.etree.XMLSyntaxError, StopIteration):
        head = body[:2048].lower()
        return "html" if b"<html" in head or b"<!doctype html" in head else "unknown"
    return _ROOTS.get(_local(root.tag), "unknown")


class NewsSitemap(Sitemap):
    """Scrapy's sitemap parser, also reading ``news:news`` (publication date and title),
    which the base class flattens to an empty string."""

    __slots__ = ()

    def _process_sitemap_element(self, elem: Any) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        for child in elem:
            if _local(child.tag) != "news":
                continue
            for item in child.iter():
                name = _local(item.tag)
                if name in ("publication_date", "title") and item.text:
                    news[name] = item.text.strip()
        found: dict[str, Any] | None = super()._process_sitemap_element(elem)
        if found is not None and news:
            found["news"] = news
        return found


def parse_sitemap(body: bytes, base_url: str) -> Document:
    """A sitemap (``urlset``) or sitemap index, entries in document order.

    Dates: ``news:publication_date`` first, then ``lastmod``. Titles: ``news:title``.
    """
    try:
        sitemap = NewsSitemap(body)
    except (lxml.etree.XMLSyntaxError, StopIteration):
        return Document("unknown")
    kind = _ROOTS.get(sitemap.type, "unknown")
    if kind not in ("urlset", "sitemapindex"):
        return Document("unknown")
    links = []
    for entry in sitemap:
        loc = (entry.get("loc") or "").strip()
        url = absolute_url(base_url, loc) if loc else None
        if not url:
            continue
        news = entry.get("news") or {}
        published = parse_date(news.get("publication_date")) or parse_date(entry.get("lastmod"))
        links.append(Link(url, news.get("title") or None, published,
                          parse_date(entry.get("lastmod"))))
    return Document(kind, tuple(links))


_FEED_PARSER_OPTIONS: dict[str, Any] = {
    "recover": True,
    "resolve_entities": False,
    "no_network": True,
    "remove_comments": True,
    "remove_pis": True,
    "huge_tree": False,
}


def _children(element: Any, *names: str) -> Iterator[Any]:
    for child in element:
        if _local(child.tag) in names:
            yield child


def _text(element: Any, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _rss_link(item: Any) -> str | None:
    link = _text(item, "link")
    if link:
        return link
    for guid in _children(item, "guid"):
        if (guid.get("isPermaLink") or "true").lower() != "false" and guid.text:
            return str(guid.text).strip()
    # RSS 1.0 items name their page in rdf:about.
    about = next((v for k, v in item.attrib.items() if _local(k) == "about"), None)
    return str(about) if about else None


def _atom_link(entry: Any) -> str | None:
    fallback = None
    for link in _children(entry, "link"):
        href = link.get("href")
        if not href:
            continue
        rel = (link.get("rel") or "alternate").lower()
        kind = (link.get("type") or "text/html").lower()
        if rel == "alternate" and "html" in kind:
            return str(href).strip()
        if rel == "alternate" and fallback is None:
            fallback = str(href).strip()
    return fallback


def parse_feed(body: bytes, base_url: str) -> Document:
    """An RSS 2.0, RSS 1.0 or Atom feed's entries (link, title, date), in document order.

    Dates: ``pubDate`` / ``published`` / ``dc:date`` first, then ``updated``.
    """
    try:
        root = lxml.etree.fromstring(body, lxml.etree.XMLParser(**_FEED_PARSER_OPTIONS))
    except lxml.etree.XMLSyntaxError:
        return Document("unknown")
    if root is None:
        return Document("unknown")
    kind = _ROOTS.get(_local(root.tag), "unknown")
    if kind not in ("rss", "atom"):
        return Document("unknown")
    links = []
    entry_names = ("item",) if kind == "rss" else ("entry",)
    for entry in root.iter():
        if _local(entry.tag) not in entry_names:
            continue
        href = _rss_link(entry) if kind == "rss" else _atom_link(entry)
        url = absolute_url(base_url, href) if href else None
        if not url:
            continue
        date = _text(entry, "pubDate", "published", "date", "issued", "updated", "modified")
        updated = _text(entry, "updated", "modified")
        links.append(Link(url, _text(entry, "title"), parse_date(date), parse_date(updated)))
    return Document(kind, tuple(links))


def parse_document(body: bytes, base_url: str, *, max_size: int = 0) -> Document:
    """Any discovery document (gzip or not): a feed, a sitemap or an index. HTML and
    unreadable bodies give a Document of kind ``html`` / ``unknown`` with no links."""
    try:
        body = unzip(body, max_size=max_size)
    except ValueError:
        return Document("unknown")
    if body.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        return parse_json_feed(body, base_url)
    kind = sniff(body)
    parsed = _parsed_xml(kind, body, base_url)
    if parsed is not None:
        return parsed
    if (start := body.find(b"<?xml", 1, _LEAD_BYTES)) > 0:
        # Output printed before the document (a server script's warning, a stray line):
        # the XML declaration says where the feed or sitemap begins. Tried once.
        parsed = _parsed_xml(sniff(body[start:]), body[start:], base_url)
        if parsed is not None:
            return parsed
    if kind == "unknown" and urlsplit(base_url).path.lower().endswith(".txt"):
        # sitemaps.org: a text sitemap has a .txt name. Elsewhere a body that is one URL
        # is more often a note where a feed was than a sitemap.
        return parse_text_sitemap(body) or Document(kind)
    return Document(kind)


def _parsed_xml(kind: DocumentKind, body: bytes, base_url: str) -> Document | None:
    """``body`` read as the feed or sitemap ``kind`` says it is; None for other kinds."""
    if kind in ("rss", "atom"):
        return parse_feed(body, base_url)
    if kind in ("urlset", "sitemapindex"):
        return parse_sitemap(body, base_url)
    return None


# How far into a body an XML declaration is looked for after output printed before it.
_LEAD_BYTES = 4096


_JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def parse_json_feed(body: bytes, base_url: str) -> Document:
    """A JSON Feed (jsonfeed.org, versions 1 and 1.1): each item's ``url`` (its
    permalink; ``id`` when that is the URL), ``title``, ``date_published`` and
    ``date_modified``. Other JSON is ``unknown``."""
    try:
        feed = json.loads(body)
    except (ValueError, RecursionError):
        return Document("unknown")
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(_JSON_FEED_VERSIONS):
        return Document("unknown")
    items = feed.get("items")
    links = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        href = next((value.strip() for value in (item.get("url"), item.get("id"))
                     if isinstance(value, str) and value.strip().startswith(("http://", "https://", "/"))), None)
        url = absolute_url(base_url, href) if href else None
        if not url:
            continue
        title = item.get("title")
        published, modified = (value if isinstance(value, str) else None
                               for value in (item.get("date_published"), item.get("date_modified")))
        links.append(Link(url, title.strip() or None if isinstance(title, str) else None,
                          parse_date(published or modified), parse_date(modified)))
    return Document("jsonfeed", tuple(links))


# sitemaps.org's text sitemap: a UTF-8 file of absolute URLs, one a line, at most 50,000.
_TEXT_SITEMAP_LINES = 50_000


def parse_text_sitemap(body: bytes) -> Document | None:
    """A plain-text sitemap (nothing but absolute http(s) URLs, one a line) as a
    ``urlset`` of undated links; None for any other text."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > _TEXT_SITEMAP_LINES:
        return None
    if not all(line.startswith(("http://", "https://")) and not any(c.isspace() or c in "<>\"'" for c in line)
               for line in lines):
        return None
    return Document("urlset", tuple(Link(line) for line in dict.fromkeys(lines)))


# Feed types a page advertises that parse_feed reads.
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                         "application/feed+json"})
# Where a page's <head> ends, at the latest: feed links are there.
_HEAD_BYTES = 262_144


def _document_base(root: lxml.html.HtmlElement, page_url: str) -> str:
    """What a page's relative links are resolved against: its first ``<base href>``
    with an http(s) URL (itself resolved against the page's URL), else the page's URL."""
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if not href:
            continue
        base = absolute_url(page_url, href)
        return base if base and base.startswith(("http://", "https://")) else page_url
    return page_url


def advertised_feeds(body: bytes, base_url: str) -> list[str]:
    """The RSS, Atom and JSON feeds an HTML page advertises (``<link rel="alternate"
    type="application/rss+xml" href=...>``), absolute (against the page's ``<base
    href>`` when it has one), in document order: where a feed that moved sends its
    readers."""
    try:
        root = lxml.html.document_fromstring(body[:_HEAD_BYTES])
    except (lxml.etree.ParserError, ValueError):
        return []
    base = _document_base(root, base_url)
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        url = absolute_url(base, href) if "alternate" in rel and kind in _FEED_TYPES and href else None
        if url and url not in found:
            found.append(url)
    return found
