"""``newsdedup demo``: crawl a bundled news web on 127.0.0.1 into a local database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newsdedup.config import Config, config_from_mapping
from newsdedup.newsweb import NewsWeb, build_demo_site
from newsdedup.runner import RunResult, run_sources
from storage.db import Database
from storage.summary import (
    StoryOutlet,
    articles_per_source,
    rejections_by_reason,
    syndicated_stories,
)

__all__ = ["DemoReport", "run_demo"]

_PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy",
                    "NO_PROXY", "all_proxy", "ALL_PROXY")


@dataclass
class DemoReport:
    config_path: Path
    database_url: str
    results: list[RunResult]
    articles: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    stories: list[list[StoryOutlet]] = field(default_factory=list)


@contextmanager
def _proxied(proxy_url: str) -> Iterator[None]:
    """Route this process's HTTP through the demo web (Scrapy reads the environment)."""
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
    site = build_demo_site()
    mapping = site.config_mapping(url)
    config_path = folder / "config.yaml"
    config_path.write_text(
        "# Written by `newsdedup demo`: the demo outlets (served only while the demo runs).\n"
        + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    config: Config = config_from_mapping(mapping, environ={})
    with NewsWeb(site) as web, _proxied(web.proxy_url):
        results = run_sources(config, config.enabled_sources, trigger="manual")
    report = DemoReport(config_path=config_path, database_url=url, results=results)
    with Database(url) as db, db.reader() as session:
        report.articles = articles_per_source(session)
        report.rejected = rejections_by_reason(session)
        report.stories = syndicated_stories(session)
    return report
