"""The main job end to end: `newsdedup crawl` then `export`, in subprocesses, against the
fixture news web, on a SQLite file and on Postgres (through NEWSDEDUP_DATABASE_URL).

Asserted against the web's own ground truth: every article once, no bad page as an
article, syndicated copies in one story with one canonical, templates and repeats gone,
and a second crawl that fetches no article page again and stores nothing twice.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import cli_env

from newsdedup.core.urls import canonicalize_url
from newsdedup.pipeline.extract.chrome import chrome_rule
from newsdedup.storage.export import EXPORT_FIELDS
from newsweb import NewsWeb, RequestRecord, Site, build_test_site

pytestmark = pytest.mark.slow

MAX_AGE_DAYS = 30


@dataclass
class MainJob:
    site: Site
    workdir: Path
    database_url: str
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    first_requests: list[RequestRecord]
    second_requests: list[RequestRecord]
    exported: list[dict[str, Any]]
    exported_again: list[dict[str, Any]]
    csv_rows: list[dict[str, str]]
    canonical_only: list[dict[str, Any]]

    def by_canonical(self) -> dict[str, dict[str, Any]]:
        return {record["canonical_url"]: record for record in self.exported}


def _cli(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"newsdedup {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def job(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MainJob]:
    workdir = tmp_path_factory.mktemp("mainjob")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    if request.param == "sqlite":
        database_url = "sqlite:///data/newsdedup.db"  # relative: next to config.yaml
    else:
        database_url = str(request.getfixturevalue("module_postgres_url"))
        env["NEWSDEDUP_DATABASE_URL"] = database_url
    mapping = site.config_mapping("sqlite:///data/newsdedup.db", timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        first = _cli(workdir, env, "crawl")
        exported = _jsonl(_cli(workdir, env, "export").stdout)
        since = len(web.requests)
        first_requests = web.requests[:since]
        second = _cli(workdir, env, "crawl")
        second_requests = web.requests[since:]
        assert not web.errors, web.errors
    exported_again = _jsonl(_cli(workdir, env, "export").stdout)
    csv_rows = list(csv.DictReader(io.StringIO(_cli(workdir, env, "export", "--format", "csv").stdout)))
    canonical_only = _jsonl(_cli(workdir, env, "export", "--canonical-only").stdout)
    yield MainJob(site, workdir, database_url, first, second, first_requests, second_requests, exported,
                  exported_again, csv_rows, canonical_only)


def test_the_first_crawl_creates_the_database_and_exports_every_article(job: MainJob) -> None:
    if job.database_url.startswith("sqlite"):
        assert (job.workdir / "data" / "newsdedup.db").is_file()
    assert all(tuple(record) == EXPORT_FIELDS for record in job.exported)
    expected = {truth.canonical_url for truth in job.site.expected_articles(MAX_AGE_DAYS)}
    assert set(job.by_canonical()) == expected
    assert len(job.exported) == len(expected)  # each once


def test_summary_names_every_source_and_the_rejections(job: MainJob) -> None:
    for outlet in job.site.outlets:
        assert f"{outlet}: run " in job.first.stdout
    assert "http_error" in job.first.stdout and "soft_404" in job.first.stdout


def test_no_bad_page_becomes_an_article(job: MainJob) -> None:
    stored = job.by_canonical()
    # A link to another outlet is offsite for the source that links it, and an article
    # of the outlet it belongs to.
    articles = {truth.canonical_url for truth in job.site.articles}
    for url, page in job.site.bad_pages.items():
        if page.expected != "article" and canonicalize_url(url) not in articles:
            assert canonicalize_url(url) not in stored, f"{page.kind} page {url} became an article"
    for record in job.exported:
        assert "Sorry!! Error!" not in record["text"]
        assert "page you were looking for" not in record["text"]


def test_topic_pages_with_paragraph_teasers_are_fetched_and_never_stored(job: MainJob) -> None:
    # Topic hubs sit at article-shaped URLs in two outlets (English and Ukrainian
    # templates) and show each article's first paragraph whole: the crawl fetches them,
    # the extractor must reject them, and every article they list is still stored. The
    # English template marks its hub as an article, dated (og:type, published_time).
    topics = [url for url, kind in job.site.non_article_pages.items() if kind == "topic"]
    assert len({canonicalize_url(url).split("/")[2] for url in topics}) >= 2
    fetched = {canonicalize_url(r.url) for r in job.first_requests if r.method == "GET"}
    stored = job.by_canonical()
    for url in topics:
        assert canonicalize_url(url) in fetched, f"the crawl never fetched {url}"
        assert canonicalize_url(url) not in stored, f"topic page {url} was stored as an article"
    assert "not_article" in job.first.stdout


def test_the_second_crawl_fetches_no_article_page_and_stores_nothing_twice(job: MainJob) -> None:
    articles = {truth.canonical_url for truth in job.site.articles}
    refetched = [r.url for r in job.second_requests
                 if r.method == "GET" and canonicalize_url(r.url) in articles]
    assert refetched == []
    assert [r["id"] for r in job.exported_again] == [r["id"] for r in job.exported]
    assert Counter(r["canonical_url"] for r in job.exported_again).most_common(1)[0][1] == 1
    assert "articles new 0" in job.second.stdout


def test_syndicated_copies_are_one_story_with_one_canonical(job: MainJob) -> None:
    stored = job.by_canonical()
    for name, urls in job.site.syndication_groups.items():
        members = [stored[canonicalize_url(url)] for url in urls]
        assert len({m["cluster_id"] for m in members}) == 1, name
        canonical = [m for m in members if m["is_canonical"]]
        assert len(canonical) == 1, name
        copies = [m for m in members if not m["is_canonical"]]
        assert all(m["duplicate_of"] == canonical[0]["id"] for m in copies), name
        dated = [m for m in members if m["published_at"]]
        assert canonical[0]["published_at"] == min(m["published_at"] for m in dated), name


def test_recurring_templated_stories_stay_apart(job: MainJob) -> None:
    stored = job.by_canonical()
    for name, urls in job.site.series_groups.items():
        clusters = [stored[canonicalize_url(url)]["cluster_id"] for url in urls]
        assert len(set(clusters)) == len(clusters), name


def test_clean_text_has_no_templates_or_repeats(job: MainJob) -> None:
    stored = job.by_canonical()
    checked = 0
    wrong = {}
    for truth in job.site.expected_articles(MAX_AGE_DAYS):
        paragraphs = stored[truth.canonical_url]["text"].split("\n\n")
        # The extractor also drops chrome lines the ground truth keeps in the body.
        expected = [p for p in truth.clean if chrome_rule(p) is None]
        if paragraphs != expected:
            wrong[truth.url] = {"missing": [p for p in expected if p not in paragraphs],
                                "extra": [p for p in paragraphs if p not in expected]}
        checked += len(truth.body) != len(truth.clean)
    assert wrong == {}
    assert checked >= 3  # articles that had template or repeated paragraphs to remove


def test_csv_and_canonical_only_exports(job: MainJob) -> None:
    assert [int(row["id"]) for row in job.csv_rows] == [r["id"] for r in job.exported]
    assert all(isinstance(json.loads(row["authors"]), list) for row in job.csv_rows)
    assert len(job.canonical_only) == len({r["cluster_id"] for r in job.exported})
    assert all(r["is_canonical"] for r in job.canonical_only)
