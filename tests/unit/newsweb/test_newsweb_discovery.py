"""Feeds, sitemaps, robots.txt and listings of the test web: valid, dated, complete."""

from __future__ import annotations

import gzip
import urllib.robotparser
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import lxml.etree
import lxml.html
from newsweb_client import Fetch

from newsweb import NewsWeb

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _xml(body: bytes) -> lxml.etree._Element:
    return lxml.etree.fromstring(body)


def test_rss_feed_parses_with_dates_some_older_than_30_days(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    site = fresh_news_web.site
    response = fetch("http://kyiv-daily.test/feed/rss.xml")
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    items = _xml(response.body).findall("./channel/item")
    dates = [parsedate_to_datetime(item.findtext("pubDate") or "") for item in items]
    assert len(items) >= 10
    assert all(date.tzinfo is not None and date <= site.now for date in dates)
    assert sum(site.now - date > timedelta(days=30) for date in dates) == 2
    links = [item.findtext("link") for item in items]
    assert all(link and link.startswith("http://kyiv-daily.test/news/") for link in links)


def test_atom_feed_parses_with_published_and_updated(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    root = _xml(fetch("http://www.steppe-wire.test/feeds/all.atom").body)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) >= 6
    for entry in entries:
        published = datetime.fromisoformat(entry.findtext(f"{ATOM}published") or "")
        updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        assert published.tzinfo is not None and updated >= published
        assert entry.find(f"{ATOM}link").get("href", "").startswith("http")


def test_sitemap_index_points_to_a_gzip_sitemap_and_a_news_sitemap(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    site = fresh_news_web.site
    index = _xml(fetch("http://www.steppe-wire.test/sitemap.xml").body)
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    assert [loc.endswith(".xml.gz") for loc in locations] == [True, False]

    packed = fetch(locations[0])
    assert packed.body[:2] == b"\x1f\x8b"
    assert packed.headers.get("Content-Encoding") is None
    urlset = _xml(gzip.decompress(packed.body))
    assert urlset.tag == f"{SITEMAP}urlset"
    lastmods = [datetime.fromisoformat(t.text or "") for t in urlset.iter(f"{SITEMAP}lastmod")]
    assert len(lastmods) == len(urlset.findall(f"{SITEMAP}url"))
    assert any(site.now - stamp > timedelta(days=30) for stamp in lastmods)

    news = _xml(fetch(locations[1]).body)
    dates = [datetime.fromisoformat(t.text or "") for t in news.iter(f"{NEWS}publication_date")]
    assert dates and all(site.now - date <= timedelta(days=2) for date in dates)
    assert len(list(news.iter(f"{NEWS}title"))) == len(dates)


def test_plain_sitemap_lists_the_ukrainian_outlet(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    urlset = _xml(fetch("http://dnipro-pravda.test/sitemap.xml").body)
    urls = {loc.text for loc in urlset.iter(f"{SITEMAP}loc")}
    expected = {a.url for a in fresh_news_web.site.articles if a.outlet == "dnipro-pravda"}
    assert urls == expected


def test_robots_txt_disallows_a_real_article_and_sets_a_crawl_delay(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    site = fresh_news_web.site
    (disallowed,) = site.disallowed_urls
    assert site.article(disallowed).title  # a real article is behind it
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(fetch("http://kyiv-daily.test/robots.txt").text().splitlines())
    assert not parser.can_fetch("newsdedup/0.1", disallowed)
    assert parser.can_fetch("newsdedup/0.1", "http://kyiv-daily.test/news/kyiv-denies-russia-postponed-exchange")
    assert not parser.can_fetch("GPTBot", "http://kyiv-daily.test/news")

    ukrainian = urllib.robotparser.RobotFileParser()
    ukrainian.parse(fetch("http://dnipro-pravda.test/robots.txt").text().splitlines())
    # typeshed says str | None; CPython returns the int it parsed.
    assert ukrainian.crawl_delay("newsdedup/0.1") == 1  # type: ignore[comparison-overlap]
    steppe = fetch("http://www.steppe-wire.test/robots.txt").text()
    assert "Sitemap: http://www.steppe-wire.test/sitemap.xml" in steppe


def test_listing_paginates_with_rel_next_and_numbered_links(fetch: Fetch) -> None:
    seen: list[str] = []
    url: str | None = "http://kyiv-daily.test/news"
    numbered: set[str] = set()
    while url is not None:
        page = lxml.html.fromstring(fetch(url).body, base_url=url)
        page.make_links_absolute(url)
        seen.append(url)
        numbered |= {a.get("href") for a in page.xpath("//a[contains(concat(' ', @class, ' '), ' page-number ')]")}
        following = page.xpath("//head/link[@rel='next']/@href")
        assert following == page.xpath("//a[@rel='next']/@href")
        url = following[0] if following else None
    assert len(seen) == 4
    assert numbered == set(seen)  # every page is also reachable by its number


def test_every_listed_bad_page_and_variant_is_linked_where_the_truth_says(
        fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    site = fresh_news_web.site
    cases = [(page.url, page.linked_from) for page in site.bad_pages.values()]
    cases += [(variant.url, variant.linked_from) for variant in site.url_variants]
    for url, linked_from in cases:
        assert linked_from, f"{url} is linked from nowhere"
        for where in linked_from:
            body = fetch(where).body
            if where.endswith(".gz"):
                body = gzip.decompress(body)
            assert url.replace("&", "&amp;").encode() in body, f"{url} not found in {where}"
