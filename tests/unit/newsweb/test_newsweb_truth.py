"""The test web's ground truth agrees with what it serves, so other suites can trust it."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import lxml.html
import pytest
from newsweb_client import Fetch

from newsdedup.core.config import config_from_mapping
from newsdedup.core.urls import canonicalize_url
from newsweb import OVERSIZE_BYTES, ArticleTruth, BadPage, NewsWeb, Site, build_test_site

# For collection (names, counts) only: tests that fetch use the served site, whose "now"
# (and so its dated URLs) is the session's.
SITE = build_test_site()


@pytest.fixture
def site(fresh_news_web: NewsWeb) -> Site:
    return fresh_news_web.site


def _text(body: bytes, encoding: str = "utf-8") -> str:
    return html.unescape(body.decode(encoding))


def test_site_shape() -> None:
    assert len(SITE.outlets) == 4
    assert {outlet.template for outlet in SITE.outlets.values()} == {"kyiv", "steppe", "menafeed", "dnipro"}
    assert {outlet.language for outlet in SITE.outlets.values()} == {"en", "uk"}
    assert {outlet.metadata for outlet in SITE.outlets.values()} == {"json-ld-body", "json-ld", "meta", "visible"}
    assert len(SITE.articles) >= 35
    assert len({a.url for a in SITE.articles}) == len(SITE.articles)


@pytest.mark.parametrize("index", range(len(SITE.articles)),
                         ids=[a.url.split("/", 3)[-1][:50] for a in SITE.articles])
def test_each_article_page_shows_its_title_and_body(fetch: Fetch, site: Site, index: int) -> None:
    article: ArticleTruth = site.articles[index]
    response = fetch(article.url)
    if article.url in site.bad_pages:  # the flaky page: one 500 first
        response = fetch(article.url)
    assert response.status == 200
    content_type = response.headers["Content-Type"]
    encoding = "windows-1251" if content_type == "text/html" else "utf-8"
    page = _text(response.body, encoding)
    assert article.title in page
    for paragraph in article.body:
        assert paragraph in page, paragraph
    assert set(article.clean) <= set(article.body)
    assert canonicalize_url(article.canonical_url) == article.canonical_url
    assert article.published_at <= site.now
    assert f'lang="{article.language}"' in page


def test_metadata_styles_are_what_each_outlet_promises(fetch: Fetch, site: Site) -> None:
    by_outlet = {a.outlet: a for a in site.articles}
    kyiv = _text(fetch(by_outlet["kyiv-daily"].url).body)
    assert '"articleBody"' in kyiv and '"datePublished"' in kyiv
    mena = _text(fetch(by_outlet["menafeed"].url).body)
    assert '"NewsArticle"' in mena and '"articleBody"' not in mena
    steppe = _text(fetch(by_outlet["steppe-wire"].url).body)
    assert "ld+json" not in steppe and 'property="article:published_time"' in steppe
    dnipro = _text(fetch(by_outlet["dnipro-pravda"].url).body)
    assert "ld+json" not in dnipro and "published_time" not in dnipro and "canonical" not in dnipro
    assert "Автор:" in dnipro


def test_templated_paragraphs_repeat_on_every_article_of_their_outlet() -> None:
    for outlet in SITE.outlets.values():
        for paragraph in outlet.template_paragraphs:
            carriers = [a for a in SITE.articles if a.outlet == outlet.key]
            assert all(paragraph in a.body and paragraph not in a.clean for a in carriers)
            assert len(carriers) >= 3


def test_repeated_block_article_keeps_a_truncated_repeat() -> None:
    (article,) = [a for a in SITE.articles if len(a.body) > len(set(a.body)) + 2]
    assert len(article.clean) == len(set(article.clean))
    clipped = [p for p in article.body if p not in article.clean]
    assert len(clipped) == 1 and any(full.startswith(clipped[0]) for full in article.clean)


def test_syndication_groups_and_series() -> None:
    groups = SITE.syndication_groups
    assert set(groups) == {"istanbul-agreement", "second-group", "remains-returned"}
    assert len(groups["remains-returned"]) == 3
    for urls in groups.values():
        outlets = {SITE.article(url).outlet for url in urls}
        assert len(outlets) == len(urls)
        originals = [SITE.article(url) for url in urls if SITE.article(url).role == "original"]
        assert len(originals) == 1
        assert originals[0].published_at == min(SITE.article(u).published_at for u in urls)
    assert {name: len(urls) for name, urls in SITE.series_groups.items()} == {"kyiv-weather": 3, "gulf-markets": 3}
    for urls in SITE.series_groups.values():
        bodies = [SITE.article(url).clean for url in urls]
        assert len({body for body in bodies}) == len(bodies)


def test_cut_and_annotated_copies() -> None:
    group = {SITE.article(u).outlet: SITE.article(u) for u in SITE.syndication_groups["second-group"]}
    original, cut = group["steppe-wire"], group["menafeed"]
    assert len(cut.clean) == len(original.clean) - 3  # no lead, last two paragraphs cut
    assert cut.clean[0].startswith("(MENAFEED) ")
    group = {SITE.article(u).outlet: SITE.article(u) for u in SITE.syndication_groups["remains-returned"]}
    assert group["menafeed"].clean[0].startswith("Editor's note:")


def test_expected_articles_leave_out_old_disallowed_and_hidden_pages() -> None:
    expected = {a.url for a in SITE.expected_articles()}
    old = [a for a in SITE.articles if a.age_days(SITE.now) > 30]
    assert len(old) == 5
    assert not expected & {a.url for a in old}
    assert not expected & set(SITE.disallowed_urls)
    assert {a.url for a in SITE.expected_articles(max_age_days=400)} >= {a.url for a in old}
    for page in SITE.bad_pages.values():
        assert (page.article_url in expected) == (page.expected == "article"), page.kind
        if page.expected != "article":
            own = {a.url for a in SITE.expected_articles(sources=[page.outlet])}
            assert page.url not in own, page.kind
    only_kyiv = SITE.expected_articles(sources=["kyiv-daily"])
    assert {a.outlet for a in only_kyiv} == {"kyiv-daily"}


BAD_STATUS = [page.kind for page in SITE.bad_pages.values()
              if page.kind not in ("stall", "offsite", "too_large", "too_large_chunked")]


def _bad(site: Site, kind: str) -> BadPage:
    (page,) = [p for p in site.bad_pages.values() if p.kind == kind]
    return page


@pytest.mark.parametrize("kind", BAD_STATUS)
def test_bad_pages_answer_with_their_status(fetch: Fetch, site: Site, kind: str) -> None:
    page = _bad(site, kind)
    assert fetch(page.url).status == page.status


def test_error_page_carries_a_story_inside_an_error_banner(fetch: Fetch, site: Site) -> None:
    page = _bad(site, "error_403_with_article")
    text = _text(fetch(page.url).body)
    assert "Sorry!!" in text and "Error! We're sorry, but the page you were looking for doesn't exist" in text
    assert "Moscow did not sort prisoners into categories" in text
    assert text.count("Voronin made the statement") == 2


@pytest.mark.parametrize("kind, phrase", [("soft_404", "Page not found"), ("soft_404_uk", "Сторінку не знайдено")])
def test_soft_404s_are_200_pages_that_say_not_found(fetch: Fetch, kind: str, phrase: str, site: Site) -> None:
    page = _bad(site, kind)
    response = fetch(page.url)
    assert response.status == 200
    assert phrase in _text(response.body)


def test_redirect_chain_takes_three_hops_to_an_article(fetch: Fetch, site: Site) -> None:
    page = _bad(site, "redirect_chain")
    url, hops = page.url, 0
    while (response := fetch(url)).status in (301, 302, 307, 308):
        url, hops = response.headers["Location"], hops + 1
    assert hops == 3
    assert url == page.article_url
    assert site.article(url).channels == {"listing"}


def test_redirect_loop_never_ends(fetch: Fetch, site: Site) -> None:
    page = _bad(site, "redirect_loop")
    seen = [page.url]
    for _ in range(4):
        seen.append(fetch(seen[-1]).headers["Location"])
    assert seen[0] == seen[2] == seen[4] and seen[1] == seen[3] != seen[0]


def test_oversized_pages_are_over_the_cap(fetch: Fetch, site: Site) -> None:
    pages = {p.kind: p for p in site.bad_pages.values() if p.expected == "too_large"}
    honest = fetch(pages["too_large"].url)
    assert int(honest.headers["Content-Length"]) == len(honest.body) >= OVERSIZE_BYTES
    streamed = fetch(pages["too_large_chunked"].url)
    assert streamed.headers["Transfer-Encoding"] == "chunked"
    assert streamed.headers["Content-Length"] is None
    assert len(streamed.body) >= OVERSIZE_BYTES > 5_000_000
    assert streamed.body.rstrip().endswith(b"</html>")


def test_pdf_is_a_pdf(fetch: Fetch, site: Site) -> None:
    page = _bad(site, "pdf")
    response = fetch(page.url)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.body.startswith(b"%PDF-1.4") and response.body.rstrip().endswith(b"%%EOF")


def test_windows_1251_page_declares_its_charset_only_in_a_meta_tag(fetch: Fetch, site: Site) -> None:
    page = _bad(site, "windows_1251")
    response = fetch(page.url)
    assert response.headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    text = response.body.decode("windows-1251")
    assert 'content="text/html; charset=windows-1251"' in text
    assert page.article_url is not None
    assert all(p in html.unescape(text) for p in site.article(page.article_url).body)
    assert "ґанок" in text


def test_url_variants_serve_their_canonical_article(fetch: Fetch, site: Site) -> None:
    assert {v.kind for v in site.url_variants} >= {
        "utm", "fbclid", "fragment", "trailing_slash", "amp", "default_port", "upper_case_host"}
    for variant in site.url_variants:
        article = site.article(variant.url)
        assert article.canonical_url == variant.canonical_url
        url = variant.url
        response = fetch(url.split("#")[0])
        if response.status == 301:  # the bare host sends clients to www
            response = fetch(response.headers["Location"])
        assert response.status == 200
        page = lxml.html.fromstring(response.body)
        assert page.xpath("//link[@rel='canonical']/@href") == [variant.canonical_url]
        assert article.body[-1] in _text(response.body)


def test_canonicalisation_of_variants_matches_for_all_but_the_www_redirect() -> None:
    for variant in SITE.url_variants:
        if variant.kind != "bare_host_redirect":
            assert canonicalize_url(variant.url) == variant.canonical_url, variant.kind


def test_update_article_publishes_a_new_revision_once() -> None:
    site = build_test_site(SITE.now)
    url = "http://kyiv-daily.test/news/kyiv-denies-russia-postponed-exchange"
    before = site.article(url)
    after = site.update_article(url)
    assert site.article(url) == after
    assert after.url == before.url and after.body != before.body
    assert after.modified_at is not None and after.modified_at > before.published_at
    with pytest.raises(ValueError, match="no further revision"):
        site.update_article(url)
    site.reset()
    assert site.article(url) == before
    with pytest.raises(KeyError):
        site.article("http://kyiv-daily.test/news/no-such-story")


def test_dates_follow_the_given_now() -> None:
    site = build_test_site(SITE.now - timedelta(days=365))
    assert site.now == SITE.now - timedelta(days=365)
    assert [a.published_at + timedelta(days=365) for a in site.articles] == [
        a.published_at for a in SITE.articles]


def test_config_mapping_is_a_valid_config() -> None:
    mapping = SITE.config_mapping("sqlite:///crawl.db", timeout=1.5)
    config = config_from_mapping(mapping, environ={})
    assert [s.name for s in config.sources] == list(SITE.outlets)
    assert config.crawl.download_delay == 0 and config.crawl.timeout == 1.5
    for source in config.sources:
        outlet = SITE.outlets[source.name]
        pattern = re.compile(source.article_url_pattern or "")
        linked = [a.url for a in SITE.articles if a.outlet == outlet.key and a.channels]
        assert all(pattern.search(url) for url in linked), source.name
    only = SITE.config_mapping("sqlite:///x.db", sources=["menafeed"])
    assert [s["name"] for s in only["sources"]] == ["menafeed"]
    with pytest.raises(KeyError, match="unknown outlet"):
        SITE.config_mapping("sqlite:///x.db", sources=["nope"])


def test_every_entry_point_of_the_config_answers(fetch: Fetch, site: Site) -> None:
    for outlet in site.outlets.values():
        for url in (*outlet.feeds, *outlet.sitemaps, *outlet.start_urls):
            assert fetch(url).status == 200, url


def test_non_article_pages_answer_and_list_articles(fetch: Fetch, site: Site) -> None:
    pages = site.non_article_pages
    assert set(pages.values()) == {"home", "listing", "tag", "author", "topic"}
    article_urls = {a.url for a in site.articles}
    for url, kind in pages.items():
        response = fetch(url)
        assert response.status == 200, url
        links = set(lxml.html.fromstring(response.body).xpath("//a/@href"))
        assert links & article_urls, f"{kind} page {url} links to no article"
