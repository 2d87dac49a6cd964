"""``newsdedup demo``: crawl a small static news web on 127.0.0.1 into a local database.

The web is package data (``newsdedup/demo_site``: an ``index.json`` naming each URL's
status, type and file, and the files), served by the standard library's HTTP server
acting as the crawl's proxy, so the outlets keep their own host names and no request
leaves the machine.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from newsdedup.app.runner import RunResult, run_sources
from newsdedup.core.config import Config, config_from_mapping
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.summary import (
    StoryOutlet,
    articles_per_source,
    rejections_by_reason,
    syndicated_stories,
)

__all__ = ["DemoReport", "DemoWeb", "proxied", "run_demo"]

_PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy",
                    "NO_PROXY", "all_proxy", "ALL_PROXY")
_NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"


@dataclass
class DemoReport:
    config_path: Path
    database_url: str
    results: list[RunResult]
    articles: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    stories: list[list[StoryOutlet]] = field(default_factory=list)


def _page_key(url: str) -> str:
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port not in (None, 80) else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"http://{(parts.hostname or '').lower()}{port}{parts.path or '/'}{query}"


class DemoWeb:
    """The packaged demo web, served on 127.0.0.1 while used as a context manager."""

    def __init__(self, root: Traversable | None = None) -> None:
        self.root = root if root is not None else files("newsdedup") / "demo_site"
        index = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
        self.taken = datetime.fromisoformat(index["taken"])
        self.config: dict[str, Any] = index["config"]
        self.pages: dict[str, dict[str, Any]] = index["pages"]
        self._server: ThreadingHTTPServer | None = None

    def answer(self, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
        """Status, headers and body for ``url`` (404 for a URL the web does not have)."""
        page = self.pages.get(_page_key(url))
        if page is None:
            return 404, [("Content-Type", "text/html; charset=utf-8")], _NOT_FOUND
        headers = [(str(name), str(value)) for name, value in page.get("headers", [])]
        if page.get("type"):
            headers.insert(0, ("Content-Type", page["type"]))
        return int(page["status"]), headers, (self.root / page["file"]).read_bytes()

    def config_mapping(self, database_url: str) -> dict[str, Any]:
        """The demo's config: its outlets, crawled into ``database_url``. The snapshot's
        articles keep their dates, so the age limit reaches back to the snapshot."""
        crawl = dict(self.config.get("crawl", {}))
        age = (utcnow() - self.taken).days + int(crawl.get("max_age_days", 30))
        crawl["max_age_days"] = max(age, 1)
        return {"database": {"url": database_url}, "crawl": crawl,
                "sources": self.config["sources"]}

    @property
    def proxy_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo web is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> DemoWeb:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                del format, args

            def do_GET(self) -> None:
                self._reply(body=True)

            def do_HEAD(self) -> None:
                self._reply(body=False)

            def _reply(self, *, body: bool) -> None:
                url = self.path if self.path.startswith("http") else (
                    f"http://{self.headers.get('Host', '')}{self.path}")
                status, headers, content = web.answer(url)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if body:
                    self.wfile.write(content)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def proxied(proxy_url: str) -> Iterator[None]:
    """Route this process's HTTP through ``proxy_url`` (Scrapy reads the environment)."""
    saved = {name: os.environ.pop(name) for name in _PROXY_VARIABLES if name in os.environ}
    os.environ["http_proxy"] = proxy_url
    try:
        yield
    finally:
        for name in _PROXY_VARIABLES:
            os.environ.pop(name, None)
        os.environ.update(saved)


def run_demo(folder: Path, *, database_url: str | None = None) -> DemoReport:
    """Serve the demo web, crawl all its outlets once into ``folder``, and summarise.

    Writes ``folder/config.yaml`` so the other commands can look at the result
    (``newsdedup --config folder/config.yaml export``). A second demo run in the same
    folder is incremental, like any crawl.
    """
    folder.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{(folder / 'newsdedup.db').resolve()}"
    web = DemoWeb()
    mapping = web.config_mapping(url)
    config_path = folder / "config.yaml"
    config_path.write_text(
        "# Written by `newsdedup demo`: the demo outlets (served only while the demo runs).\n"
        + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    config: Config = config_from_mapping(mapping, environ={})
    with web, proxied(web.proxy_url):
        results = run_sources(config, config.enabled_sources, trigger="manual")
    report = DemoReport(config_path=config_path, database_url=url, results=results)
    with Database(url) as db, db.reader() as session:
        report.articles = articles_per_source(session)
        report.rejected = rejections_by_reason(session)
        report.stories = syndicated_stories(session)
    return report
