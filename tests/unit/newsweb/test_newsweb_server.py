"""The news web's server: proxy and origin-form requests, the log, 304s, flaky and stalled pages."""

from __future__ import annotations

import http.client
import threading
from datetime import timedelta
from email.utils import format_datetime

import pytest
from newsweb_client import Fetch, fetch_through

from newsweb import NewsWeb, build_demo_site, build_test_site

KYIV = "http://kyiv-daily.test"


def test_proxy_form_request_is_answered_and_logged(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    response = fetch(f"{KYIV}/robots.txt")
    assert response.status == 200
    assert "Disallow: /news/draft-" in response.text()
    (record,) = fresh_news_web.requests
    assert record.proxied
    assert record.target == f"{KYIV}/robots.txt"
    assert (record.method, record.host, record.path, record.status) == ("GET", "kyiv-daily.test", "/robots.txt", 200)
    assert record.headers["host"] == "kyiv-daily.test"


def test_origin_form_request_uses_the_host_header(fresh_news_web: NewsWeb) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", fresh_news_web.port, timeout=10)
    try:
        connection.request("GET", "/feeds/all.atom", headers={"Host": "www.steppe-wire.test:80"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200
    assert body.startswith(b"<?xml")
    (record,) = fresh_news_web.requests
    assert not record.proxied
    assert record.url == "http://www.steppe-wire.test/feeds/all.atom"


def test_unknown_host_is_a_bad_gateway(fetch: Fetch) -> None:
    assert fetch("http://no-such-outlet.test/").status == 502


def test_unknown_path_is_the_outlets_own_404(fetch: Fetch) -> None:
    response = fetch(f"{KYIV}/no/such/page")
    assert response.status == 404
    assert "Page not found" in response.text()
    assert "Kyiv Daily" in response.text()


def test_requests_to_matches_normalised_urls_and_paths(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    fetch("http://MENAFEED.test:80/latest?page=2")
    fetch(f"{KYIV}/news#top")
    assert len(fresh_news_web.requests_to("http://menafeed.test/latest")) == 1
    assert len(fresh_news_web.requests_to("http://menafeed.test:80/latest?page=2")) == 1
    assert len(fresh_news_web.requests_to("/news")) == 1
    assert fresh_news_web.requests_to("http://kyiv-daily.test/feed") == []
    fresh_news_web.reset_log()
    assert fresh_news_web.requests == []


def test_host_redirect_to_www(fetch: Fetch) -> None:
    response = fetch("http://steppe-wire.test/feeds/all.atom?x=1")
    assert response.status == 301
    assert response.headers["Location"] == "http://www.steppe-wire.test/feeds/all.atom?x=1"


@pytest.mark.parametrize("path", ["/feed/rss.xml", "/news/ukraine-russia-agree-prisoner-swap-istanbul"])
def test_conditional_get_answers_304_on_a_matching_etag(fetch: Fetch, path: str) -> None:
    first = fetch(KYIV + path)
    etag = first.headers["ETag"]
    assert first.status == 200 and etag
    again = fetch(KYIV + path, headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.body == b""
    assert again.headers["ETag"] == etag
    assert fetch(KYIV + path, headers={"If-None-Match": '"something-else"'}).status == 200


def test_conditional_get_answers_304_when_not_modified_since(fetch: Fetch) -> None:
    url = "http://www.steppe-wire.test/sitemaps/news.xml"
    first = fetch(url)
    stamp = first.headers["Last-Modified"]
    assert first.status == 200 and stamp
    assert fetch(url, headers={"If-Modified-Since": stamp}).status == 304
    site = build_test_site()
    older = format_datetime(site.now - timedelta(days=3), usegmt=True)
    assert fetch(url, headers={"If-Modified-Since": older}).status == 200


def test_an_update_changes_validators_so_the_old_ones_miss(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    url = f"{KYIV}/news/kyiv-denies-russia-postponed-exchange"
    first = fetch(url)
    updated = fresh_news_web.site.update_article(url)
    assert updated.revision == 1
    second = fetch(url, headers={"If-None-Match": first.headers["ETag"],
                                 "If-Modified-Since": first.headers["Last-Modified"]})
    assert second.status == 200
    assert updated.body[-2] in second.text().replace("&#x27;", "'")
    assert second.headers["Last-Modified"] != first.headers["Last-Modified"]
    assert fetch(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status == 200


def test_head_sends_headers_only(fetch: Fetch) -> None:
    response = fetch(f"{KYIV}/news", method="HEAD")
    assert response.status == 200
    assert int(response.headers["Content-Length"]) > 1000
    assert response.body == b""


def test_flaky_page_fails_then_works_and_reset_rearms_it(fetch: Fetch, fresh_news_web: NewsWeb) -> None:
    (flaky,) = [page for page in fresh_news_web.site.bad_pages.values() if page.kind == "flaky_500"]
    assert fetch(flaky.url).status == 500
    assert fetch(flaky.url).status == 200
    assert fetch(flaky.url).status == 200
    fresh_news_web.site.reset()
    assert fetch(flaky.url).status == 500


def test_stalled_page_is_released_by_stop() -> None:
    web = NewsWeb(build_test_site())
    web.start()
    stalled = next(p.url for p in web.site.bad_pages.values() if p.kind == "stall")
    outcome: list[BaseException] = []
    arrived = threading.Event()

    def client() -> None:
        try:
            fetch_through(web, stalled, timeout=60)
        except BaseException as exc:  # the connection is closed without an answer
            outcome.append(exc)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    # The server logs the stalled request before it blocks: wait for that, not a time.
    for _ in range(400):
        if web.requests_to(stalled):
            arrived.set()
            break
        thread.join(0.025)
    assert arrived.is_set(), "the stalled request never reached the server"
    assert thread.is_alive(), "the stalled page answered"
    assert web.requests_to(stalled)[0].status is None
    web.stop()
    thread.join(30)
    assert not thread.is_alive(), "stop() did not release the stalled request"
    assert outcome, "the stalled request got a response"


def test_a_web_serves_again_after_restart_on_a_new_port() -> None:
    web = NewsWeb(build_demo_site())
    with web:
        first_port = web.port
        assert fetch_through(web, f"{KYIV}/robots.txt").status == 200
    with pytest.raises(RuntimeError):
        _ = web.proxy_url
    with web:
        assert fetch_through(web, f"{KYIV}/robots.txt").status == 200
        assert web.port > 0 and first_port > 0
