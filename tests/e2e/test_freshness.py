"""Freshness end to end: `newsdedup crawl` twice against the fixture web, with articles
changed and taken down between the crawls and the clock moved past the first revisit
step, then `newsdedup export`, on a SQLite file and on Postgres.

The second crawl must refresh what changed (a new revision, deduplicated again), flag
what is gone (deleted_at, row and text kept, still exported), ask for everything else
conditionally (304s), and merge nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from support import age_fetches, cli_env

from newsdedup.core.urls import canonicalize_url
from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRevisionRow, ArticleRow
from newsweb import NewsWeb, RequestRecord, Site, build_test_site
from newsweb.model import ArticleTruth

pytestmark = pytest.mark.slow


@dataclass
class TwoCrawls:
    site: Site
    database_url: str
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    updated: list[ArticleTruth]
    deleted: dict[str, int]
    second_requests: list[RequestRecord]


def _cli(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"newsdedup {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _export(workdir: Path, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in _cli(workdir, env, "export").stdout.splitlines()
               if line.strip()]
    return {record["canonical_url"]: record for record in records}


@pytest.fixture(scope="module")
def crawls(module_database_url: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoCrawls]:
    workdir = tmp_path_factory.mktemp("freshness")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    database_url = module_database_url
    env["NEWSDEDUP_DATABASE_URL"] = database_url
    mapping = site.config_mapping(database_url, timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        _cli(workdir, env, "crawl")
        before = _export(workdir, env)
        updated: list[ArticleTruth] = []
        deleted: dict[str, int] = {}
        for truth in site.expected_articles():
            if truth.canonical_url not in before:
                continue
            if len(updated) < 2:
                try:
                    updated.append(site.update_article(truth.url))
                    continue
                except ValueError:
                    pass
            if len(deleted) < 2:
                deleted[truth.canonical_url] = 404 if not deleted else 410
                site.delete_article(truth.url, deleted[truth.canonical_url])
        assert len(updated) == 2 and len(deleted) == 2
        age_fetches(database_url, hours=2)  # past the first revisit step (1h)
        since = len(web.requests)
        _cli(workdir, env, "crawl")
        second_requests = web.requests[since:]
        assert not web.errors, web.errors
    after = _export(workdir, env)
    yield TwoCrawls(site, database_url, before, after, updated, deleted, second_requests)


def test_changed_articles_are_refreshed_as_new_revisions(crawls: TwoCrawls) -> None:
    db = Database(crawls.database_url)
    try:
        with db.reader() as session:
            for truth in crawls.updated:
                record = crawls.after[truth.canonical_url]
                assert record["id"] == crawls.before[truth.canonical_url]["id"]
                assert record["text"] != crawls.before[truth.canonical_url]["text"]
                assert record["updated_at"] > crawls.before[truth.canonical_url]["updated_at"]
                assert truth.clean[-1] in record["text"]
                revisions = session.scalars(select(ArticleRevisionRow.revision).where(
                    ArticleRevisionRow.article_id == record["id"])).all()
                assert sorted(revisions) == [1, 2]
    finally:
        db.dispose()


def test_deleted_articles_are_flagged_and_still_exported(crawls: TwoCrawls) -> None:
    for url in crawls.deleted:
        record = crawls.after[url]
        assert record["deleted_at"] is not None
        assert record["text"] == crawls.before[url]["text"]
        # updated_at is when the body last changed: a deletion is not one (change_id is).
        assert record["updated_at"] == crawls.before[url]["updated_at"]
        assert record["change_id"] > crawls.before[url]["change_id"]
    assert all(record["deleted_at"] is None
               for url, record in crawls.after.items() if url not in crawls.deleted)
    db = Database(crawls.database_url)
    try:
        with db.reader() as session:
            flagged = set(session.scalars(
                select(ArticleRow.canonical_url).where(ArticleRow.deleted_at.is_not(None))))
    finally:
        db.dispose()
    assert flagged == set(crawls.deleted)


def test_deletions_and_revisions_reach_the_change_feed(crawls: TwoCrawls) -> None:
    """A reader polling with the largest change_id of the first crawl gets the deleted
    and the revised articles from the second, each with a larger change_id."""
    last_seen = max(record["change_id"] for record in crawls.before.values())
    changed = {url for url, record in crawls.after.items() if record["change_id"] > last_seen}
    assert set(crawls.deleted) <= changed
    assert {truth.canonical_url for truth in crawls.updated} <= changed
    unchanged = {url for url, record in crawls.after.items()
                 if record["change_id"] == crawls.before.get(url, {}).get("change_id")}
    assert unchanged, "the second crawl re-stamped every article"


def test_unchanged_articles_cost_a_304_and_nothing_is_merged(crawls: TwoCrawls) -> None:
    articles = {canonicalize_url(url) for url in crawls.before}
    revisits = [r for r in crawls.second_requests
                if r.method == "GET" and canonicalize_url(r.url) in articles]
    # Every stored article is revisited once (the first step of revisit_after is due),
    # conditionally.
    assert {canonicalize_url(r.url) for r in revisits} == articles
    assert len(revisits) == len(articles)
    unconditional = [r.url for r in revisits
                     if not (r.headers.get("if-none-match") or r.headers.get("if-modified-since"))]
    assert unconditional == []
    not_modified = [r for r in revisits if r.status == 304]
    assert len(not_modified) == len(articles) - len(crawls.updated) - len(crawls.deleted)
    assert set(crawls.after) == set(crawls.before)
    assert [r["id"] for r in crawls.after.values()] == [r["id"] for r in crawls.before.values()]
