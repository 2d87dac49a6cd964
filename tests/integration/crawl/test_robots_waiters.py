"""robots.txt holds for every request that waits for it, not only the first two.

Scrapy's middleware hands one Deferred to every request waiting for a host's
robots.txt; awaiting it through an asyncio future replaces its result with None for
the next waiter, which then counts as "no robots.txt" and is let through. Many
disallowed URLs requested at once reproduce it without our fix.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from crawl_helpers import CRAWL_MAIN, FAST_CRAWL, REPO_ROOT, Crawler

from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow


def test_every_waiting_request_obeys_robots(tmp_path: Path) -> None:
    site = build_test_site(crawl_delay=None)
    (draft,) = site.disallowed_urls
    forbidden = [draft] + [f"{draft}?edition={n}" for n in range(12)]
    allowed = site.outlets["kyiv-daily"].start_urls[0]
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                          crawl=dict(FAST_CRAWL), sources=["kyiv-daily"])
        mapping = site.config_mapping(crawler.database_url, sources=["kyiv-daily"],
                                      max_listing_pages=1, **FAST_CRAWL)
        source = mapping["sources"][0]
        source.pop("feeds", None)
        source["start_urls"] = [*forbidden, allowed]
        config = tmp_path / "robots.yaml"
        config.write_text(yaml.safe_dump(mapping), encoding="utf-8")
        done = subprocess.run(
            [*CRAWL_MAIN, "--config", str(config), "--set",
             "NEWSDEDUP_FLUSH_SECONDS=0.2"],
            env=crawler.env(), cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        requested = {record.url for record in web.requests}
    assert allowed in requested  # the host was crawled at all
    leaked = sorted(url for url in requested if url.startswith(draft))
    assert leaked == []
