"""Sources that fail without an error. A configured feed that answers with something
else (an HTML page where the feed used to be, a broken file) is a failed fetch: a source
left with no feed is a failed run, not an empty success, and the next run asks again
without validators. A source whose pages are none of them articles (a consent wall
answering 200) is unhealthy, though its runs succeed. A robots.txt that forbids the
feeds fails the run; articles it forbade are asked again once it no longer does."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from extract_helpers import story_page
from support import cli_env

HOME = b"<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"
EMPTY_FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
ADVERTISING = (b'<!doctype html><html><head><title>Home</title>'
               b'<link rel="alternate" type="application/rss+xml" href="https://elsewhere.example/rss">'
               b'<link rel="alternate" type="application/rss+xml" title="All stories" href="/rss/all.xml">'
               b'</head><body><h1>Home</h1></body></html>')
#: Story 0, "Council backs the northern tram line".
ARTICLE = story_page(0, published=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
WALL = (b"<!doctype html><html><head><title>Before you continue</title></head><body>"
        b"<p>We use cookies. Accept all to continue.</p><button>Accept all</button></body></html>")


def new_feed(base: str, *paths: str) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}{path}</link>"
        "<pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>" for i, path in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


REDIRECTS = {"/redirected.xml": "/moved.xml"}
FEEDS = {"/rss/all.xml": ("/news/tram.html",), "/walled.xml": ("/news/1", "/news/2", "/news/3")}
DOCUMENTS = {"/moved.xml": HOME, "/broken.xml": b"garbage {{{", "/empty.xml": EMPTY_FEED,
             "/old-feed.xml": ADVERTISING, "/news/tram.html": ARTICLE,
             "/news/1": WALL, "/news/2": WALL, "/news/3": WALL}


@dataclass
class Server:
    """A web of three documents that answers conditional requests with 304."""

    url: str
    #: (path, If-None-Match header) of every request, in order.
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    #: What /robots.txt says (None: 404).
    robots: bytes | None = None


@pytest.fixture
def server() -> Iterator[Server]:
    box: list[Server] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            box[0].seen.append((self.path, self.headers.get("If-None-Match")))
            if self.path in REDIRECTS:
                self.send_response(301)
                self.send_header("Location", REDIRECTS[self.path])
                self.end_headers()
                return
            path = self.path.split("?")[0]
            if path == "/robots.txt" and box[0].robots is not None:
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(box[0].robots)))
                self.end_headers()
                self.wfile.write(box[0].robots)
                return
            body = new_feed(box[0].url, *FEEDS[path]) if path in FEEDS else DOCUMENTS.get(path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            html = body[:15].lower() == b"<!doctype html>"
            self.send_header("Content-Type", "text/html" if html else "application/xml")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Server(f"http://127.0.0.1:{httpd.server_address[1]}"))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        httpd.shutdown()
        httpd.server_close()


def crawl(workdir: Path, feeds: list[str], **daemon: int) -> subprocess.CompletedProcess[str]:
    config = {"database": {"url": f"sqlite:///{workdir / 'news.db'}"},
              "crawl": {"timeout": 5, "retries": 0}, "daemon": daemon,
              "sources": [{"name": "outlet", "feeds": feeds}]}
    (workdir / "config.yaml").write_text(json.dumps(config), encoding="utf-8")
    env = cli_env(without=("http_proxy", "https_proxy", "all_proxy"), no_proxy="*", NO_PROXY="*")
    return subprocess.run([sys.executable, "-m", "newsdedup", "crawl"], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120)


def last_run(workdir: Path) -> dict[str, Any]:
    env = cli_env()
    done = subprocess.run([sys.executable, "-m", "newsdedup", "runs", "--format", "jsonl", "--limit", "1"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    run: dict[str, Any] = json.loads(done.stdout.splitlines()[0])
    return run


@pytest.mark.parametrize(
    ("path", "error"),
    [("/moved.xml", "/moved.xml: not a feed or sitemap (html)"),
     ("/broken.xml", "/broken.xml: not a feed or sitemap (unknown)"),
     # Its identity drops the tracking parameter: not a redirect for all that.
     ("/moved.xml?utm_source=rss", "/moved.xml: not a feed or sitemap (html)"),
     ("/redirected.xml", "/redirected.xml: not a feed or sitemap (html), redirected to {base}/moved.xml")],
)
def test_a_feed_that_is_no_feed_fails_the_run_every_time(
        server: Server, tmp_path: Path, path: str, error: str) -> None:
    for attempt in (1, 2):
        done = crawl(tmp_path, [server.url + path])
        assert done.returncode == 1, done.stderr[-2000:]
        assert "fetch problems: not_a_feed 1" in done.stdout + done.stderr
        run = last_run(tmp_path)
        assert run["status"] == "failed", (attempt, run)
        assert run["error"] == (f"every request failed (1: not_a_feed 1); last: {server.url}"
                                + error.format(base=server.url))
    # The page's ETag was not kept: a 304 to it would have passed for an unchanged feed.
    assert [seen for seen in server.seen if seen[0] == path] == [(path, None), (path, None)]


def test_an_empty_feed_is_a_success_and_a_moved_one_beside_it_a_problem(server: Server, tmp_path: Path) -> None:
    done = crawl(tmp_path, [server.url + "/empty.xml", server.url + "/moved.xml"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fetch problems: not_a_feed 1" in done.stdout + done.stderr
    assert last_run(tmp_path)["status"] == "success"


def test_a_moved_feed_whose_page_advertises_the_new_one_is_read_there(server: Server, tmp_path: Path) -> None:
    """The page at the old address names the site's feed in a <link rel="alternate">:
    that feed is read (another site's feed is not), its story stored, and the old
    address stays a fetch problem for the operator to mend."""
    done = crawl(tmp_path, [server.url + "/old-feed.xml"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "articles new 1" in done.stdout + done.stderr
    assert "fetch problems: not_a_feed 1" in done.stdout + done.stderr
    assert last_run(tmp_path)["status"] == "success"
    asked = [path for path, _ in server.seen]
    assert asked.count("/rss/all.xml") == 1 and asked.count("/news/tram.html") == 1
    exported = subprocess.run([sys.executable, "-m", "newsdedup", "export"], cwd=tmp_path, env=cli_env(),
                              capture_output=True, text=True, timeout=60)
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [record["title"] for record in records] == ["Council backs the northern tram line"]
    # The next run asks the advertised feed conditionally, as any feed it knows.
    again = crawl(tmp_path, [server.url + "/old-feed.xml"])
    assert again.returncode == 0, again.stderr[-2000:]
    assert [seen for seen in server.seen if seen[0] == "/rss/all.xml"] == [("/rss/all.xml", None),
                                                                          ("/rss/all.xml", '"v1"')]


def test_a_source_none_of_whose_pages_is_an_article_is_unhealthy(server: Server, tmp_path: Path) -> None:
    done = crawl(tmp_path, [server.url + "/walled.xml"], unhealthy_after_rejected_pages=3)
    assert done.returncode == 0, done.stderr[-2000:]
    assert last_run(tmp_path)["status"] == "success"
    status = subprocess.run([sys.executable, "-m", "newsdedup", "status", "--format", "json"], cwd=tmp_path,
                            env=cli_env(), capture_output=True, text=True, timeout=60)
    assert status.returncode == 1, status.stderr
    health = json.loads(status.stdout.splitlines()[0])
    assert health["health"] == "unhealthy"
    assert health["health_reason"] == "none of its last 3 pages was an article (too_short 3)"


def test_a_robots_txt_that_forbids_the_feed_fails_the_run(server: Server, tmp_path: Path) -> None:
    """It used to be a success with no request and no error, run after run: `status` ok."""
    server.robots = b"User-agent: *\nDisallow: /\n"
    done = crawl(tmp_path, [server.url + "/rss/all.xml"])
    assert done.returncode == 1, done.stderr[-2000:]
    run = last_run(tmp_path)
    assert run["status"] == "failed"
    assert run["error"] == (f"every request failed (1: robots_disallowed 1); last: {server.url}"
                            f"/rss/all.xml: robots.txt disallows {server.url}/rss/all.xml")
    assert [path for path, _ in server.seen] == ["/robots.txt"]


def test_articles_robots_txt_forbade_are_fetched_once_it_allows_them(server: Server,
                                                                    tmp_path: Path) -> None:
    """A URL robots.txt refused used to be skipped for good: a site that shut its
    articles to crawlers for a day (or a crawler name rule mended since) lost them."""
    # The feed is read in full on each run (a feed with new items would be; this
    # server answers 304 to a known address, so each run gives it another query).
    server.robots = b"User-agent: *\nDisallow: /news/\n"
    done = crawl(tmp_path, [server.url + "/rss/all.xml?run=1"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fetch problems: robots_disallowed 1" in done.stdout + done.stderr
    again = crawl(tmp_path, [server.url + "/rss/all.xml?run=2"])  # still forbidden: not asked
    assert again.returncode == 0, again.stderr[-2000:]
    assert "fetch problems: robots_disallowed 1" in again.stdout + again.stderr
    assert "/news/tram.html" not in [path for path, _ in server.seen]

    server.robots = b"User-agent: *\nAllow: /\n"
    done = crawl(tmp_path, [server.url + "/rss/all.xml?run=3"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "articles new 1" in done.stdout + done.stderr
    assert [path for path, _ in server.seen].count("/news/tram.html") == 1
