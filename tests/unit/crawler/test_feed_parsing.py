"""Feeds and sitemaps become links with absolute URLs, titles and UTC dates."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from newsdedup.crawler.discovery import (
    Document,
    Link,
    advertised_feeds,
    parse_date,
    parse_document,
    sniff,
    unzip,
)

BASE = "http://news.test/feed"

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News</title><link>http://news.test/</link>
<item><title>Relative link</title><link>/world/one-story</link>
  <pubDate>Mon, 06 May 2024 10:00:00 +0200</pubDate></item>
<item><title>Guid only</title><guid isPermaLink="true">http://news.test/world/two</guid>
  <dc:date>2024-05-01T00:00:00Z</dc:date></item>
<item><title>Not a permalink</title><guid isPermaLink="false">tag:news.test,2024:3</guid></item>
<item><title>Undated</title><link>http://news.test/world/four</link></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://news.test/"><title>News</title></channel>
<item rdf:about="http://news.test/rdf/one"><title>One</title><dc:date>2024-03-02</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><title>Atom one</title>
  <link rel="self" href="http://news.test/api/1"/>
  <link rel="alternate" type="text/html" href="http://news.test/atom/one"/>
  <published>2024-05-01T10:00:00+02:00</published><updated>2024-06-01T00:00:00Z</updated></entry>
<entry><title>Updated only</title><link href="/atom/two"/><updated>2024-05-03T00:00:00Z</updated></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://news.test/n/one</loc><lastmod>2024-01-01</lastmod>
  <news:news><news:publication><news:name>News</news:name><news:language>en</news:language>
  </news:publication><news:publication_date>2024-05-02T08:00:00+00:00</news:publication_date>
  <news:title>News one</news:title></news:news></url>
<url><loc>http://news.test/n/two</loc><lastmod>2024-04</lastmod></url>
<url><loc>  </loc></url>
<url><loc>http://news.test/n/three</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://news.test/sitemap-2024-05.xml.gz</loc><lastmod>2024-05-31</lastmod></sitemap>
<sitemap><loc>/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_rss2_links_are_absolute_with_titles_and_utc_dates() -> None:
    document = parse_document(RSS2, BASE)
    assert document.kind == "rss"
    assert document.links == (
        Link("http://news.test/world/one-story", "Relative link", utc(2024, 5, 6, 8)),
        Link("http://news.test/world/two", "Guid only", utc(2024, 5, 1)),
        Link("http://news.test/world/four", "Undated", None),
    )


def test_rss1_items_are_named_by_rdf_about() -> None:
    document = parse_document(RSS1, BASE)
    assert document.kind == "rss"
    assert document.links == (Link("http://news.test/rdf/one", "One", utc(2024, 3, 2)),)


def test_atom_prefers_the_html_alternate_and_published_date() -> None:
    # <updated> is kept beside: a later one than our last fetch triggers a refetch.
    document = parse_document(ATOM, BASE)
    assert document.kind == "atom"
    assert document.links == (
        Link("http://news.test/atom/one", "Atom one", utc(2024, 5, 1, 8), utc(2024, 6, 1)),
        Link("http://news.test/atom/two", "Updated only", utc(2024, 5, 3), utc(2024, 5, 3)),
    )


def test_news_sitemap_date_and_title_win_over_lastmod() -> None:
    document = parse_document(URLSET, BASE)
    assert document.kind == "urlset"
    assert document.links == (
        Link("http://news.test/n/one", "News one", utc(2024, 5, 2, 8), utc(2024, 1, 1)),
        Link("http://news.test/n/two", None, utc(2024, 4, 1), utc(2024, 4, 1)),
        Link("http://news.test/n/three", None, None),
    )


def test_gzipped_sitemap_index_lists_sitemaps() -> None:
    document = parse_document(gzip.compress(INDEX), "http://news.test/sitemap.xml.gz")
    assert document.kind == "sitemapindex"
    assert [link.url for link in document.links] == [
        "http://news.test/sitemap-2024-05.xml.gz",
        "http://news.test/sitemap-news.xml",
    ]
    assert document.links[0].published_at == utc(2024, 5, 31)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", "html"),
        (b"plain text, no markup", "unknown"),
        (b"", "unknown"),
        (b"\x1f\x8b\x08 this is not really gzip", "unknown"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "unknown"),
        (b'{"version": "1.0", "items": [{"url": "http://news.test/a"}]}', "unknown"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [' * 2, "unknown"),
        (b"[" * 100_000, "unknown"),
        (b"http://news.test/a\nsee http://news.test/b\n", "unknown"),
        (b"http://news.test/a\nftp://news.test/b\n", "unknown"),
    ],
)
def test_other_documents_give_no_links(body: bytes, kind: str) -> None:
    document = parse_document(body, BASE)
    assert (document.kind, document.links) == (kind, ())



@pytest.mark.parametrize("start", [b"", b"\xef\xbb\xbf \n"], ids=["plain", "byte-order-mark"])
def test_json_feed_items_give_their_permalinks_titles_and_dates(start: bytes) -> None:
    body = start + b"""{"version": "https://jsonfeed.org/version/1.1", "title": "News", "items": [
      {"id": "1", "url": "/world/one", "title": " One ", "date_published": "2024-05-06T10:00:00+02:00"},
      {"id": "http://news.test/world/two", "title": "Two", "date_modified": "2024-05-07T00:00:00Z"},
      {"id": "tag:news.test,2024:3", "title": "No URL"},
      {"url": 5}, "not an item",
      {"url": "http://news.test/world/four", "date_published": "2024-05-01T00:00:00Z",
       "date_modified": "2024-05-02T00:00:00Z"}]}"""
    document = parse_document(body, BASE)
    assert document.kind == "jsonfeed"
    assert document.links == (
        Link("http://news.test/world/one", "One", datetime(2024, 5, 6, 8, tzinfo=UTC)),
        Link("http://news.test/world/two", "Two", datetime(2024, 5, 7, tzinfo=UTC), datetime(2024, 5, 7, tzinfo=UTC)),
        Link("http://news.test/world/four", None, datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)),
    )


def test_a_text_sitemap_is_a_urlset_of_its_lines() -> None:
    body = b"\xef\xbb\xbfhttp://news.test/a\r\n\r\nhttps://news.test/b?x=1\nhttp://news.test/a\n"
    document = parse_document(body, "http://news.test/sitemap.TXT")
    assert document.kind == "urlset"
    assert document.links == (Link("http://news.test/a"), Link("https://news.test/b?x=1"))
    # Under another name, a body of URLs is no sitemap (a note where a feed was).
    assert parse_document(body, BASE) == Document("unknown")


def test_a_feed_after_a_server_script_warning_is_read_from_its_declaration() -> None:
    warning = b"<br />\n<b>Warning</b>:  Cannot modify header information in <b>/var/www/feed.php</b><br />\n"
    document = parse_document(warning + RSS2, BASE)
    assert document.kind == "rss"
    assert document.links == parse_document(RSS2, BASE).links

def test_entities_are_not_expanded() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title><link>http://news.test/a</link></item>"
        b"</channel></rss>"
    )
    (link,) = parse_document(hostile, BASE).links
    assert link.url == "http://news.test/a"
    assert "root:" not in (link.title or "")


def test_an_entry_dated_in_superscript_digits_is_undated_not_the_feeds_end() -> None:
    # "¹⁷..." are digits to str.isdigit() but not to int(): the feed once raised.
    feed = RSS2.replace(b"Mon, 06 May 2024 10:00:00 +0200", "¹⁷¹⁴⁷³¹³⁰⁰".encode())
    links = parse_document(feed, BASE).links
    assert [link.url for link in links][:1] == ["http://news.test/world/one-story"]
    assert links[0].published_at is None and len(links) == 3


@pytest.mark.parametrize(("opening", "entry", "closing"), [
    (b"<rss version='2.0'><channel>", b"<item><link>%s</link></item>", b"</channel></rss>"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'>", b"<entry><link href='%s'/></entry>", b"</feed>"),
    (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>", b"<url><loc>%s</loc></url>",
     b"</urlset>"),
])
def test_an_entry_that_is_no_url_is_skipped_not_the_document(
        opening: bytes, entry: bytes, closing: bytes) -> None:
    # urljoin raises on a host in unbalanced IPv6 brackets: the whole document was lost.
    hrefs = (b"/world/one", b"http://[::1/x", b"/world/two")
    document = parse_document(opening + b"".join(entry % href for href in hrefs) + closing, BASE)
    assert [link.url for link in document.links] == ["http://news.test/world/one",
                                                     "http://news.test/world/two"]


def test_sniff_reads_the_root_element() -> None:
    assert sniff(RSS2) == "rss"
    assert sniff(ATOM) == "atom"
    assert sniff(INDEX) == "sitemapindex"


def test_unzip_refuses_a_body_inflating_past_the_cap() -> None:
    packed = gzip.compress(b"<urlset>" + b" " * 100_000 + b"</urlset>")
    assert unzip(packed).startswith(b"<urlset>")
    with pytest.raises(ValueError, match="gzip"):
        unzip(packed, max_size=1000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", utc(2024, 5, 1, 10)),
        ("2024-05-01T10:00:00+03:00", utc(2024, 5, 1, 7)),
        ("2024-05-01T10:00", utc(2024, 5, 1, 10)),
        ("2024-05-01", utc(2024, 5, 1)),
        ("2024-05", utc(2024, 5, 1)),
        ("2024", utc(2024, 1, 1)),
        ("Wed, 01 May 2024 10:00:00 GMT", utc(2024, 5, 1, 10)),
        ("Wed, 01 May 2024 10:00:00 -0500", utc(2024, 5, 1, 15)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_the_feeds_a_page_advertises_are_read_in_order_absolute() -> None:
    page = b"""<!doctype html><html><head>
    <link rel="stylesheet" href="/site.css">
    <link rel="alternate" type="application/rss+xml" href="http://[broken/feed">
    <link rel="alternate" type="application/rss+xml; charset=utf-8" href="/rss/all.xml">
    <link rel="Alternate" type="application/atom+xml" href="https://news.example/atom">
    <link rel="alternate" type="application/feed+json" href="/feed.json">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="alternate" type="text/html" href="/print/">
    <link rel="alternate" type="application/rss+xml" href="/rss/all.xml">
    <link rel="alternate" type="application/rss+xml" href="">
    </head><body><p>Home</p></body></html>"""
    assert advertised_feeds(page, "https://news.example/section/") == [
        "https://news.example/rss/all.xml", "https://news.example/atom", "https://news.example/feed.json"]
    assert advertised_feeds(b"<html><body>no feeds</body></html>", "https://news.example/") == []
    assert advertised_feeds(b"", "https://news.example/") == []


def test_the_feeds_a_page_advertises_are_resolved_against_its_base_href() -> None:
    page = b"""<html><head><base href="/edition/uk/">
    <link rel="alternate" type="application/rss+xml" href="rss.xml">
    <link rel="alternate" type="application/atom+xml" href="/atom.xml">
    </head><body><p>Home</p></body></html>"""
    assert advertised_feeds(page, "https://news.example/old/feed") == [
        "https://news.example/edition/uk/rss.xml", "https://news.example/atom.xml"]
    # A base that is no web address (or none at all) leaves the page's own URL the base.
    for base in (b'<base href="javascript:void(0)">', b'<base target="_blank">', b'<base href="http://[x">'):
        page = b"<html><head>" + base + b'<link rel="alternate" type="application/rss+xml" href="rss.xml">'
        assert advertised_feeds(page, "https://news.example/old/feed") == ["https://news.example/old/rss.xml"]
