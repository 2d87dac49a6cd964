"""News servers that misbehave, served for real on 127.0.0.1: a page that stalls, one
whose connection is reset, one that redirects in a loop. The crawl finishes in bounded
time with one line per failed request and no traceback, keeps what did work, and once
the server behaves the next crawl stores the rest."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from extract_helpers import story_page
from sqlalchemy import create_engine, select, text
from support import cli_env

from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow, CrawlRunRow, UrlStateRow

pytestmark = pytest.mark.slow

FAULTS = ("stall", "reset", "loop")
#: The articles; each is a story of its own, the story_page numbered by its place here.
PAGES = ("fine", *FAULTS)


class Misbehaving(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.behaving = False
        self.stalled = threading.Event()  # a request for the stalling page came in
        self.released = threading.Event()  # set to let stalled requests end


class Handler(BaseHTTPRequestHandler):
    server: Misbehaving

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        name = self.path.strip("/").removeprefix("news/").removesuffix("-b")
        if self.path == "/feed.xml":
            now = format_datetime(datetime.now(UTC), usegmt=True)
            items = "".join(f"<item><title>{p}</title><link>{base}/news/{p}</link>"
                            f"<pubDate>{now}</pubDate></item>" for p in PAGES)
            self._send(200, f"<?xml version='1.0'?><rss version='2.0'><channel><title>t"
                            f"</title>{items}</channel></rss>".encode(), "application/rss+xml")
        elif name in PAGES and (self.server.behaving or name == "fine"):
            self._send(200, story_page(PAGES.index(name)), "text/html; charset=utf-8")
        elif name == "stall":
            self.server.stalled.set()
            self.server.released.wait(120)
        elif name == "reset":
            # SO_LINGER with a zero timeout: close() sends a RST, not a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        elif name == "loop":
            other = "/news/loop-b" if not self.path.endswith("-b") else "/news/loop"
            self._send(302, b"", "text/html", Location=base + other)
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture
def server() -> Iterator[Misbehaving]:
    httpd = Misbehaving(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.released.set()
        httpd.shutdown()
        httpd.server_close()


def _command(config: Path) -> tuple[list[str], dict[str, str]]:
    env = cli_env(without=("http_proxy", "https_proxy"))
    return [sys.executable, "-m", "newsdedup", "--config", str(config), "crawl"], env


def crawl(config: Path) -> subprocess.CompletedProcess[str]:
    command, env = _command(config)
    return subprocess.run(command, env=env, cwd=config.parent, capture_output=True, text=True,
                          timeout=300)


def write_config(path: Path, database: str, port: int) -> Path:
    path.write_text(
        f"database:\n  url: {database}\n"
        "crawl:\n  timeout: 2\n  retries: 1\n  download_delay: 0\n  obey_robots: false\n"
        f"sources:\n  - name: local\n    feeds: [http://127.0.0.1:{port}/feed.xml]\n",
        encoding="utf-8")
    return path


def stored_urls(url: str) -> list[str]:
    with Database(url) as db, db.reader() as session:
        return sorted(session.scalars(select(ArticleRow.url)))


def test_stalls_resets_and_redirect_loops_fail_their_pages_only_and_the_next_run_finishes(
        server: Misbehaving, tmp_path: Path) -> None:
    port = server.server_address[1]
    database = f"sqlite:///{tmp_path / 'news.db'}"
    config = write_config(tmp_path / "config.yaml", database, port)
    first = crawl(config)
    assert first.returncode == 0, first.stderr[-3000:]  # the feed and one page answered
    assert "Traceback" not in first.stderr
    assert not [line for line in first.stderr.splitlines() if line[:1].isspace()], first.stderr
    problems = next(line for line in first.stdout.splitlines() if "fetch problems" in line)
    for outcome in ("timeout", "connection_error", "redirect_loop"):
        assert outcome in problems, first.stdout
    # A server that could not be reached is a warning line naming the URL; a redirect
    # loop is in the run's counts (an info line, so a site's few bad links do not flood).
    for fault in ("stall", "reset"):
        assert any(f"/news/{fault}" in line for line in first.stderr.splitlines()), first.stderr
    assert stored_urls(database) == [f"http://127.0.0.1:{port}/news/fine"]

    server.behaving = True
    second = crawl(config)
    assert second.returncode == 0, second.stderr[-3000:]
    # Stalled and reset pages are transient failures, fetched again by the next run. A
    # redirect loop is taken as the site's settled answer (url_state skipped, outcome
    # redirect_loop, storage.frontier): never requested again, even once fixed.
    assert stored_urls(database) == sorted(
        f"http://127.0.0.1:{port}/news/{p}" for p in ("fine", "stall", "reset")), second.stdout
    with Database(database) as db, db.reader() as session:
        loop = session.execute(select(UrlStateRow.state, UrlStateRow.last_outcome)
                               .where(UrlStateRow.url.endswith("/news/loop"))).one()
    assert tuple(loop) == ("skipped", "redirect_loop")


@pytest.mark.postgres
def test_postgres_backends_terminated_during_a_crawl(server: Misbehaving, postgres_url: str,
                                                     tmp_path: Path) -> None:
    # Only this crawl's connections are terminated: they carry their own application_name.
    name = f"fault-{uuid.uuid4().hex[:12]}"
    url = f"{postgres_url}{'&' if '?' in postgres_url else '?'}application_name={name}"
    port = server.server_address[1]
    config = write_config(tmp_path / "config.yaml", url, port)
    server.behaving = False
    command, env = _command(config)
    run = subprocess.Popen(command, env=env, cwd=config.parent, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        # The crawl is in flight (its stalled request held open) when its backends go.
        assert server.stalled.wait(120), "the crawl never requested the stalling page"
        with admin.connect() as connection:
            killed = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"), {"name": name}).scalar()
        server.released.set()
        _out, err = run.communicate(timeout=300)
    finally:
        admin.dispose()
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert killed
    assert run.returncode in (0, 1), err[-3000:]
    assert "Traceback" not in err
    assert not [line for line in err.splitlines() if line[:1].isspace()], err[-3000:]
    if run.returncode == 1:
        errors = [line for line in err.splitlines() if line.startswith("newsdedup: error: ")]
        assert len(errors) == 1 and "database postgresql" in errors[0], err[-3000:]

    server.behaving = True
    server.released = threading.Event()
    again = crawl(config)
    assert again.returncode == 0, again.stderr[-3000:]
    assert stored_urls(url) == sorted(
        f"http://127.0.0.1:{port}/news/{p}" for p in ("fine", "stall", "reset"))
    with Database(url) as db, db.reader() as session:
        statuses = session.scalars(select(CrawlRunRow.status).order_by(CrawlRunRow.id)).all()
    assert "running" not in statuses and statuses[-1] == "success"
