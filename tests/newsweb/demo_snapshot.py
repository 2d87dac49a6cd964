"""Write the demo web as static files: the package data ``newsdedup demo`` serves.

The demo command ships no generator: it serves a snapshot of :func:`build_demo_site`
taken at a fixed moment. This module takes that snapshot (every URL a crawl of the
demo web requests, with its status, type and body) and is what a test compares the
shipped files against, so the two cannot drift apart silently::

    PYTHONPATH=tests python -m newsweb.demo_snapshot newsdedup/demo_site
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsweb.demo_site import build_demo_site
from newsweb.server import NewsWeb
from newsweb.site import Site

__all__ = ["SNAPSHOT_MOMENT", "snapshot_files", "write_snapshot"]

# The moment the shipped demo web was taken at; its articles are dated before it.
SNAPSHOT_MOMENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.strip("/").replace("/", "_") or "index"
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in path)[:80]
    digest = hashlib.blake2b(url.encode(), digest_size=4).hexdigest()
    return f"{parts.hostname}/{stem}-{digest}"


def _crawled_urls(site: Site) -> list[str]:
    """Every URL a crawl of the demo web asks for."""
    from newsdedup.app.runner import run_sources
    from newsdedup.core.config import config_from_mapping

    with tempfile.TemporaryDirectory() as folder, NewsWeb(site) as web:
        url = f"sqlite:///{Path(folder) / 'snapshot.db'}"
        config = config_from_mapping(site.config_mapping(url), environ={})
        from newsdedup.app.demo import proxied

        with proxied(web.proxy_url):
            run_sources(config, config.enabled_sources, trigger="manual")
        return sorted({record.url for record in web.requests})


def snapshot_files(moment: datetime = SNAPSHOT_MOMENT) -> dict[str, bytes]:
    """The snapshot as ``{relative file name: bytes}``, ``index.json`` included."""
    site = build_demo_site(moment)
    files: dict[str, bytes] = {}
    pages: dict[str, dict[str, Any]] = {}
    for url in sorted(_crawled_urls(site)):
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = site.respond("GET", parts.hostname or "", target, {})
        if response is None or response.stall or response.chunks is not None:
            continue
        name = _file_name(url)
        files[name] = response.body
        page: dict[str, Any] = {"file": name, "status": response.status}
        if response.content_type:
            page["type"] = response.content_type
        if response.headers:
            page["headers"] = [list(pair) for pair in response.headers]
        pages[url] = page
    config = site.config_mapping("sqlite:///newsdedup.db")
    del config["database"]
    index_data = {"taken": moment.isoformat(), "config": config, "pages": pages}
    files["index.json"] = json.dumps(index_data, indent=1, sort_keys=True,
                                     ensure_ascii=False).encode() + b"\n"
    return files


def write_snapshot(folder: Path, moment: datetime = SNAPSHOT_MOMENT) -> int:
    """Replace ``folder`` with a fresh snapshot; returns the number of pages."""
    files = snapshot_files(moment)
    if folder.exists():
        shutil.rmtree(folder)
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return len(files) - 1


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m newsweb.demo_snapshot FOLDER", file=sys.stderr)
        return 2
    count = write_snapshot(Path(argv[0]))
    print(f"wrote {count} pages to {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
