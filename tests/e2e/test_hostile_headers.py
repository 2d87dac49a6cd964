"""A news server whose response headers are broken in ways a database refuses: NUL
characters (Postgres text cannot hold one) and a Last-Modified longer than its column.
Each page is stored or recorded on its own; none fails the run, on either backend."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from extract_helpers import story_page
from sqlalchemy import select
from support import cli_env

from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow, UrlStateRow

pytestmark = pytest.mark.slow

#: Page name -> the headers it is served with (besides Content-Type and Length). Each page
#: is a story of its own: the story_page numbered by its place here.
HEADERS = {
    "fine": {},
    "nul-etag": {"ETag": '"v1\x00"'},
    "nul-header": {"X-Served-By": "cache\x00one"},
    "long-date": {"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT" + " (edge cache)" * 8},
}
#: Pages that are not articles: a PDF whose type holds a NUL, a redirect to a NUL host.
OTHERS = ("nul-type", "nul-location")


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"
        name = self.path.removeprefix("/news/")
        if self.path == "/feed.xml":
            now = format_datetime(datetime.now(UTC), usegmt=True)
            items = "".join(f"<item><title>{p}</title><link>{base}/news/{p}</link>"
                            f"<pubDate>{now}</pubDate></item>" for p in [*HEADERS, *OTHERS])
            self._send(f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                       f"{items}</channel></rss>".encode(), "application/rss+xml", {})
        elif name in HEADERS:
            self._send(story_page([*HEADERS].index(name)), "text/html; charset=utf-8",
                       HEADERS[name])
        elif name == "nul-type":
            self._send(b"%PDF-1.4", "application/pdf\x00", {})
        elif name == "nul-location":
            # Inside the source's domains (a subdomain of 127.0.0.1) but for the NUL.
            self.send_response(301)
            self.send_header("Location", f"http://www\x00.127.0.0.1:{self.server.server_port}/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def crawl(server: ThreadingHTTPServer, database_url: str, tmp_path: Path) -> None:
    """One crawl of the server's feed, which must succeed."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: {database_url}\n"
        "crawl:\n  timeout: 2\n  retries: 1\n  download_delay: 0\n  obey_robots: false\n"
        f"sources:\n  - name: local\n    feeds: [http://127.0.0.1:{server.server_port}/feed.xml]\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "newsdedup", "--config", str(config), "crawl"],
                         env=cli_env(without=("http_proxy", "https_proxy")), cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr


def test_nul_characters_and_overlong_validators_in_headers_fail_no_run(
        server: ThreadingHTTPServer, database_url: str, tmp_path: Path) -> None:
    crawl(server, database_url, tmp_path)
    port = server.server_port
    base = f"http://127.0.0.1:{port}/news/"
    with Database(database_url) as db, db.reader() as session:
        stored = sorted(session.scalars(select(ArticleRow.url)))
        states = {url: outcome for url, outcome in
                  session.execute(select(UrlStateRow.url, UrlStateRow.last_outcome))}
        validators = session.execute(
            select(UrlStateRow.etag, UrlStateRow.last_modified)
            .where(UrlStateRow.url.in_([base + "nul-etag", base + "long-date"]))
            .order_by(UrlStateRow.url)).all()
    assert stored == sorted(base + name for name in HEADERS)
    assert states[base + "nul-type"] == "not_html"
    # The NUL is a space, as RFC 9110 allows; a Last-Modified no HTTP date could be is
    # not kept (it would only be sent back).
    assert [tuple(row) for row in validators] == [(None, None), ('"v1 "', None)]


def test_a_redirect_to_a_host_holding_a_nul_is_refused_not_a_failed_run(
        server: ThreadingHTTPServer, database_url: str, tmp_path: Path) -> None:
    crawl(server, database_url, tmp_path)
    with Database(database_url) as db, db.reader() as session:
        state, outcome, final_url, error = session.execute(
            select(UrlStateRow.state, UrlStateRow.last_outcome, UrlStateRow.final_url,
                   UrlStateRow.last_error)
            .where(UrlStateRow.url.endswith("/news/nul-location"))).one()
    # No host name holds a NUL: the target is no URL of the source's.
    assert (state, outcome, final_url) == ("skipped", "offsite", None)
    assert error is not None and "\x00" not in error
