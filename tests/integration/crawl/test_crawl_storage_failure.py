"""A database that fails during the crawl stops it and fails the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_helpers import FAST_CRAWL, Crawler
from sqlalchemy import text

from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsweb import NewsWeb, build_test_site

pytestmark = pytest.mark.slow


def test_a_broken_database_stops_the_crawl_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'broken.db'}"
    database = Database(url)
    upgrade(database)
    with database.session() as session:
        # The schema revision still says "current": only using the table fails.
        session.execute(text("DROP TABLE pages"))
        session.execute(text("DROP TABLE url_state"))
    database.dispose()
    site = build_test_site()
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, url, tmp_path, crawl=dict(FAST_CRAWL), sources=["kyiv-daily"])
        since = len(web.requests)
        result = crawler.finish(crawler.start(), since, timeout=60)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "url_state" in last and str(tmp_path / "broken.db") in last
    # Stopped before fetching anything it could not record.
    assert not [r for r in result.requests if "/news/" in r.path]


def test_a_row_the_database_refuses_stops_the_crawl_with_one_line(tmp_path: Path) -> None:
    """A driver error the storage layer does not classify (here a trigger's refusal, as
    Postgres refuses a NUL or an overlong value) is the run's reason in one line, without
    the statement and its parameters."""
    url = f"sqlite:///{tmp_path / 'refusing.db'}"
    database = Database(url)
    upgrade(database)
    with database.session() as session:
        session.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON url_state "
                             "BEGIN SELECT RAISE(ABORT, 'row refused by a trigger'); END"))
    database.dispose()
    site = build_test_site()
    with NewsWeb(site) as web:
        crawler = Crawler(site, web, url, tmp_path, crawl=dict(FAST_CRAWL), sources=["kyiv-daily"])
        result = crawler.finish(crawler.start(), len(web.requests), timeout=60)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith("saving crawl results of kyiv-daily: row refused by a trigger"), last
    assert "[SQL:" not in result.stderr.split("Traceback")[0]
