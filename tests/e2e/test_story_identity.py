"""New text under a stored URL, end to end: `newsdedup crawl` twice against the fixture
web (Kyiv Daily), on a SQLite file and on Postgres.

Between the crawls one article is edited (the same story: a corrected paragraph, one
added) and another URL starts serving a different story. The edit must become the
article's next revision; the other story must become a new article under the URL, the
stored one moved aside to ``<url>#article-<id>`` with its text kept, and the conflict
logged in ``identity_conflicts`` (``different_story``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from support import age_fetches, cli_env

from newsdedup.storage.db import Database
from newsdedup.storage.models import (
    ArticleRevisionRow,
    ArticleRow,
    IdentityConflictRow,
)
from newsweb import NewsWeb, build_test_site
from newsweb.model import ArticleTruth
from newsweb.outlets import KYIV

pytestmark = pytest.mark.slow

EDITED = "/news/kyiv-denies-russia-postponed-exchange"


@dataclass
class Crawled:
    database_url: str
    edited: tuple[ArticleTruth, ArticleTruth]  # served at the first crawl, at the second
    replaced: tuple[ArticleTruth, ArticleTruth]
    before: dict[str, tuple[int, str]]  # canonical URL -> (article id, text) after crawl 1


def _crawl(workdir: Path, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "newsdedup", "crawl"], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"newsdedup crawl failed:\n{done.stderr[-3000:]}"


def _stored(database_url: str) -> dict[str, tuple[int, str]]:
    db = Database(database_url)
    try:
        with db.reader() as session:
            rows = session.execute(select(ArticleRow.canonical_url, ArticleRow.id, ArticleRow.text))
            return {url: (article_id, text or "") for url, article_id, text in rows}
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def crawled(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    workdir = tmp_path_factory.mktemp("identity")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    database_url = module_database_url
    env["NEWSDEDUP_DATABASE_URL"] = database_url
    mapping = site.config_mapping(database_url, sources=[KYIV.key], timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    # The article whose last revision is another story (``revised_later``).
    replaced_url = next(t.url for t in site.articles if t.outlet == KYIV.key
                        and len(site.revisions_of(t.url)) == 3)
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        _crawl(workdir, env)
        before = _stored(database_url)
        edited_url = KYIV.base_url + EDITED
        edited = (site.revisions_of(edited_url)[0], site.update_article(edited_url))
        site.update_article(replaced_url)  # the edit, skipped: the next one is another story
        replaced = (site.revisions_of(replaced_url)[0], site.update_article(replaced_url))
        age_fetches(database_url, hours=2)  # past the first revisit step (1h)
        _crawl(workdir, env)
        assert not web.errors, web.errors
    yield Crawled(database_url, edited, replaced, before)


def _conflicts(database_url: str) -> list[tuple[str, str, int | None, int | None]]:
    db = Database(database_url)
    try:
        with db.reader() as session:
            rows = session.execute(
                select(IdentityConflictRow.url, IdentityConflictRow.reason,
                       IdentityConflictRow.article_id, IdentityConflictRow.other_article_id))
            return [(url, reason, article_id, other) for url, reason, article_id, other in rows]
    finally:
        db.dispose()


def _revision_numbers(database_url: str, article_id: int) -> list[int]:
    db = Database(database_url)
    try:
        with db.reader() as session:
            return sorted(session.scalars(select(ArticleRevisionRow.revision).where(
                ArticleRevisionRow.article_id == article_id)))
    finally:
        db.dispose()


def test_an_edited_story_becomes_a_revision(crawled: Crawled) -> None:
    first, second = crawled.edited
    article_id, old_text = crawled.before[first.canonical_url]
    after = _stored(crawled.database_url)
    new_id, new_text = after[first.canonical_url]
    assert new_id == article_id and new_text != old_text
    assert second.clean[-1] in new_text
    assert _revision_numbers(crawled.database_url, article_id) == [1, 2]
    assert not [c for c in _conflicts(crawled.database_url) if c[0] == first.canonical_url]


def test_another_story_under_the_url_is_a_new_article_and_a_logged_conflict(crawled: Crawled) -> None:
    first, second = crawled.replaced
    url = first.canonical_url
    old_id, old_text = crawled.before[url]
    after = _stored(crawled.database_url)
    new_id, new_text = after[url]
    assert new_id != old_id
    assert second.clean[0] in new_text and first.clean[0] not in new_text
    # The stored story keeps its row and text, under an identity of its own.
    assert after[f"{url}#article-{old_id}"] == (old_id, old_text)
    assert _revision_numbers(crawled.database_url, old_id) == [1]
    assert _revision_numbers(crawled.database_url, new_id) == [1]
    assert _conflicts(crawled.database_url) == [(url, "different_story", new_id, old_id)]
