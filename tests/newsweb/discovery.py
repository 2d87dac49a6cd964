"""Discovery documents: RSS 2.0, Atom, sitemaps (index, urlset, Google News) and robots.txt."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from newsweb.model import Link, Outlet
from newsweb.templates.base import iso

__all__ = [
    "atom_feed",
    "gzip_bytes",
    "news_sitemap",
    "robots_txt",
    "rss_feed",
    "sitemap_index",
    "urlset",
]


def _w3c(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def rss_feed(outlet: Outlet, items: Sequence[Link], self_url: str) -> str:
    """An RSS 2.0 channel; each item has a pubDate (RFC 822) and a guid."""
    newest = max((item.modified_at or item.published_at for item in items
                  if item.published_at), default=None)
    entries = "".join(
        "<item>"
        f"<title>{escape(item.title)}</title><link>{escape(item.url)}</link>"
        f'<guid isPermaLink="false">{escape(outlet.key)}-{zlib.crc32(item.url.encode())}</guid>'
        + (f"<pubDate>{format_datetime(item.published_at, usegmt=True)}</pubDate>"
           if item.published_at else "")
        + (f"<description>{escape(item.summary)}</description>" if item.summary else "")
        + "</item>"
        for item in items
    )
    built = f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>" if newest else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{outlet.base_url}/</link>"
        f"<description>Latest news from {escape(outlet.name)}</description>"
        f"<language>{outlet.language}</language>{built}"
        f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>'
        f"{entries}</channel></rss>\n"
    )


def atom_feed(outlet: Outlet, items: Sequence[Link], self_url: str) -> str:
    """An Atom 1.0 feed; entries carry ``published`` and ``updated``."""
    newest = max((item.modified_at or item.published_at for item in items
                  if item.published_at), default=None)
    entries = "".join(
        "<entry>"
        f"<title>{escape(item.title)}</title>"
        f'<link rel="alternate" type="text/html" href="{escape(item.url)}"/>'
        f"<id>tag:{outlet.domain},2025:{zlib.crc32(item.url.encode())}</id>"
        + (f"<published>{iso(item.published_at)}</published>"
           f"<updated>{iso(item.modified_at or item.published_at)}</updated>"
           if item.published_at else "")
        + (f"<summary>{escape(item.summary)}</summary>" if item.summary else "")
        + "</entry>"
        for item in items
    )
    updated = f"<updated>{iso(newest)}</updated>" if newest else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(outlet.name)}</title><id>{outlet.base_url}/</id>"
        f'<link rel="self" href="{escape(self_url)}"/><link rel="alternate" href="{outlet.base_url}/"/>'
        f"{updated}<author><name>{escape(outlet.name)}</name></author>{entries}</feed>\n"
    )


def sitemap_index(locations: Iterable[tuple[str, datetime | None]]) -> str:
    body = "".join(
        f"<sitemap><loc>{escape(url)}</loc>"
        + (f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else "")
        + "</sitemap>"
        for url, lastmod in locations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n'
    )


def urlset(items: Iterable[Link]) -> str:
    """A plain sitemap; ``lastmod`` is the last modification (else publication) time."""
    body = "".join(
        f"<url><loc>{escape(item.url)}</loc>"
        + (f"<lastmod>{_w3c(item.modified_at or item.published_at)}</lastmod>"
           if item.published_at else "")
        + "<changefreq>never</changefreq></url>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
    )


def news_sitemap(outlet: Outlet, items: Iterable[Link]) -> str:
    """A Google News sitemap: each url has news:publication_date and news:title."""
    body = "".join(
        f"<url><loc>{escape(item.url)}</loc><news:news><news:publication>"
        f"<news:name>{escape(outlet.name)}</news:name><news:language>{outlet.language}</news:language>"
        "</news:publication>"
        + (f"<news:publication_date>{_w3c(item.published_at)}</news:publication_date>"
           if item.published_at else "")
        + f"<news:title>{escape(item.title)}</news:title></news:news></url>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{body}</urlset>\n"
    )


def robots_txt(outlet: Outlet, sitemaps: Sequence[str]) -> str:
    """robots.txt for every agent: the outlet's Disallow prefixes, Crawl-delay, sitemaps.
    A stricter group for one named bot shows the crawler must pick the ``*`` group."""
    lines = ["# robots.txt for " + outlet.name, "User-agent: GPTBot", "Disallow: /", "",
             "User-agent: *"]
    lines += [f"Disallow: {prefix}" for prefix in outlet.disallow]
    if outlet.crawl_delay is not None:
        delay = outlet.crawl_delay
        lines.append(f"Crawl-delay: {int(delay) if delay == int(delay) else delay}")
    lines.append("Allow: /")
    lines.append("")
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return "\n".join(lines) + "\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed mtime, so the bytes (and their ETag) never change between calls."""
    return gzip.compress(data, compresslevel=6, mtime=0)
