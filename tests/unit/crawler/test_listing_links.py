"""Listing pages: article links by pattern or heuristic, and the next page."""

from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse

from newsdedup.crawler.listing import article_links, in_domains, looks_like_article, next_page_url

DOMAINS = ("news.test",)


def listing(body: str, url: str = "http://www.news.test/world") -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


@pytest.mark.parametrize(
    "url",
    [
        "http://news.test/2024/05/06/ceasefire-talks",
        "http://news.test/world/2024-05-06-ceasefire",
        "http://news.test/news/ukraine-russia-agree-prisoner-swap",
        "http://news.test/news/618301-moscow-kyiv-swap",
        "http://news.test/politics/article/1234567",
        "http://news.test/news/a-long-slug-story.html",
        "http://news.test/news/articles/c4g3z5xk9qlo",
        "http://news.test/story/8f3a9c2e71",
    ],
)
def test_article_shaped_urls(url: str) -> None:
    assert looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://news.test/",
        "http://news.test/world",
        "http://news.test/world-news",
        "http://news.test/tag/prisoner-swap-news-latest",
        "http://news.test/author/daria-hnatiuk-reporter-kyiv",
        "http://news.test/news/page/2",
        "http://news.test/images/a-photo-of-the-swap-site.jpg",
        "http://news.test/about-us",
        "http://news.test/12345",
        "http://news.test/news/articles/latest",
        "http://news.test/news/topics/c1v0jlj57gdt",
        "http://news.test/articles/ab12",
        "http://news.test/account/settings2fa",
    ],
)
def test_navigation_and_assets_are_not_articles(url: str) -> None:
    assert not looks_like_article(url)


def test_heuristic_keeps_article_links_in_order_once() -> None:
    page = listing(
        '<a href="/news/first-story-of-the-day">First</a>'
        '<a href="/tag/war">War</a>'
        '<a href="http://news.test/news/second-story-of-the-day#comments">Second</a>'
        '<a href="/news/first-story-of-the-day">First again</a>'
        '<a href="http://other.test/news/someone-elses-story-here">Other</a>'
        '<a href="/static/app-bundle-main-file.js">js</a>'
    )
    links = article_links(page, pattern=None, domains=DOMAINS)
    assert [link.url for link in links] == [
        "http://www.news.test/news/first-story-of-the-day",
        "http://news.test/news/second-story-of-the-day",
        "http://other.test/news/someone-elses-story-here",
    ]
    assert links[0].text == "First"


def test_pattern_decides_on_site_and_offsite_article_links_are_kept() -> None:
    page = listing(
        '<a href="/a/1">One</a><a href="/b/2">Two</a>'
        '<a href="/b/a-story-shaped-but-not-matching">Slug</a>'
        '<a href="http://other.test/a/3">Three</a><a href="/a/doc.pdf">Pdf</a>'
        '<a href="http://partner.test/world/a-partner-story-here">Partner</a>'
        '<a href="http://partner.test/about">About</a>'
    )
    links = article_links(page, pattern=re.compile(r"/a/"), domains=DOMAINS)
    assert [link.url for link in links] == [
        "http://www.news.test/a/1",
        "http://other.test/a/3",
        "http://www.news.test/a/doc.pdf",
        "http://partner.test/world/a-partner-story-here",
    ]


def test_base_href_is_honoured() -> None:
    page = HtmlResponse(
        "http://news.test/x",
        body=b'<html><head><base href="http://news.test/deep/"></head><body>'
        b'<a href="story-about-something-else">s</a></body></html>',
        encoding="utf-8",
    )
    (link,) = article_links(page, pattern=None, domains=DOMAINS)
    assert link.url == "http://news.test/deep/story-about-something-else"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<link rel="next" href="/world?page=2"><a href="/x">x</a>', "http://www.news.test/world?page=2"),
        ('<a rel="next nofollow" href="/world/p2">more</a>', "http://www.news.test/world/p2"),
        ('<a href="/world/older">Older posts »</a>', "http://www.news.test/world/older"),
        ('<a href="/world/n">  Next  </a>', "http://www.news.test/world/n"),
        ('<a class="pagination-next" href="/w/2"><svg></svg></a>', "http://www.news.test/w/2"),
        ('<a href="/world?page=3">3</a><a href="/world?page=2">2</a>', "http://www.news.test/world?page=2"),
        ('<a href="/world/page/2/">2</a>', "http://www.news.test/world/page/2/"),
        ('<a aria-label="Next page" href="/world/next-one"></a>', "http://www.news.test/world/next-one"),
        ('<a href="/world/previous">Previous</a><a href="/x">Read more</a>', None),
        # Broken links are skipped, not the page's end: a superscript page number, a host
        # in unbalanced IPv6 brackets.
        ('<a href="/world?page=\u00b2">\u00b2</a>', None),
        ('<link rel="next" href="http://[::1/w/2"><a href="http://[::1/x">x</a>'
         '<a href="/world?page=2">2</a>', "http://www.news.test/world?page=2"),
        ('<a href="http://[::1/next">Next</a>', None),
    ],
)
def test_next_page(body: str, expected: str | None) -> None:
    assert next_page_url(listing(body)) == expected


def test_a_base_href_that_is_no_url_gives_no_links_not_an_error() -> None:
    page = listing('<a href="/news/ukraine-russia-agree-prisoner-swap">Swap</a>')
    page = page.replace(body=b'<html><head><base href="http://[::1/"></head><body>'
                             b'<a href="/news/ukraine-russia-agree-prisoner-swap">Swap</a></body></html>')
    assert article_links(page, pattern=None, domains=DOMAINS) == []


def test_next_page_counts_from_the_current_page() -> None:
    page = listing('<a href="/world?page=2">2</a><a href="/world?page=4">4</a>',
                   url="http://www.news.test/world?page=3")
    assert next_page_url(page) == "http://www.news.test/world?page=4"


def test_in_domains_accepts_subdomains_only_of_listed_domains() -> None:
    assert in_domains("http://www.news.test/a", DOMAINS)
    assert in_domains("http://NEWS.test/a", DOMAINS)
    assert not in_domains("http://fakenews.test/a", DOMAINS)
    assert not in_domains("http://news.test.evil/a", DOMAINS)
