"""The change feed through the CLI: a reader polling `newsdedup export --after-change N`
while `newsdedup crawl` runs on the fixture web ends with the rows of a full export, on a
SQLite file and on Postgres; the original leads each syndicated story."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from support import REPO_ROOT, cli_env

from newsdedup.core.urls import canonicalize_url
from newsdedup.storage.db import Database
from newsdedup.storage.export import iter_export
from newsdedup.storage.models import ArticleRow, ClusterRow
from newsweb import NewsWeb, Site, build_test_site

pytestmark = pytest.mark.slow

#: A crawl of the fixture web takes well under this; the poll loop stops here whatever.
CRAWL_DEADLINE = 300


def _cli(workdir: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"newsdedup {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass
class Reader:
    """A downstream table kept by polling the feed: id -> latest record."""

    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    last: int = 0
    polls: int = 0
    nonempty_polls: int = 0

    def poll(self, workdir: Path, env: dict[str, str]) -> None:
        """`newsdedup export --after-change N` in a subprocess, as a user's script would."""
        self.take(_jsonl(_cli(workdir, env, "export", "--after-change", str(self.last))))

    def poll_in_process(self, db: Database) -> None:
        """The export's own query, many times a second: it sees the crawl's small steps."""
        with db.reader() as session:
            self.take(list(iter_export(session, after_change=self.last)))

    def take(self, batch: list[dict[str, Any]]) -> None:
        ids = [record["change_id"] for record in batch]
        assert ids == sorted(ids) and all(i > self.last for i in ids), ids
        for record in batch:
            self.rows[record["id"]] = record
        self.polls += 1
        if batch:
            self.nonempty_polls += 1
            self.last = ids[-1]


@dataclass
class FeedRun:
    site: Site
    reader: Reader
    fast_reader: Reader
    full: list[dict[str, Any]]
    feed_csv: list[dict[str, str]]
    workdir: Path
    env: dict[str, str]
    database_url: str


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def feed_run(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[FeedRun]:
    workdir = tmp_path_factory.mktemp("feed")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    if request.param == "postgres":
        env["NEWSDEDUP_DATABASE_URL"] = str(request.getfixturevalue("module_postgres_url"))
    mapping = site.config_mapping("sqlite:///newsdedup.db", timeout=3, retries=1)
    # Small dedup batches: the crawl commits its stories in many steps the reader can see.
    mapping.setdefault("dedup", {})["batch_size"] = 5
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    _cli(workdir, env, "db", "upgrade")
    reader, fast_reader = Reader(), Reader()
    database_url = env.get("NEWSDEDUP_DATABASE_URL", f"sqlite:///{workdir / 'newsdedup.db'}")
    db = Database(database_url)
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        crawl = subprocess.Popen([sys.executable, "-m", "newsdedup", "crawl"], cwd=workdir,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + CRAWL_DEADLINE

        def poll_cli() -> None:
            while crawl.poll() is None and time.monotonic() < deadline:
                reader.poll(workdir, env)

        cli_polls = threading.Thread(target=poll_cli)
        cli_polls.start()
        try:
            while crawl.poll() is None and time.monotonic() < deadline:
                fast_reader.poll_in_process(db)
                # Barely paced: the process phase may commit all its steps within tens of
                # milliseconds (41 ms for 7 steps in one CI run, where a 50 ms pace caught
                # them in one poll).
                with contextlib.suppress(subprocess.TimeoutExpired):
                    crawl.wait(timeout=0.002)  # returns at once when it ends
            _out, err = crawl.communicate(timeout=60)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
            cli_polls.join()
        assert crawl.returncode == 0, err[-3000:]
        assert not web.errors, web.errors
    # The last changes, committed after the previous polls.
    reader.poll(workdir, env)
    fast_reader.poll_in_process(db)
    db.dispose()
    full = _jsonl(_cli(workdir, env, "export"))
    feed_csv = list(csv.DictReader(io.StringIO(
        _cli(workdir, env, "export", "--format", "csv", "--after-change", "0"))))
    yield FeedRun(site, reader, fast_reader, full, feed_csv, workdir, env, database_url)


def test_a_reader_polling_during_the_crawl_ends_equal_to_a_full_export(feed_run: FeedRun) -> None:
    full = {record["id"]: record for record in feed_run.full}
    for reader in (feed_run.reader, feed_run.fast_reader):
        assert reader.polls >= 2
        assert reader.rows == full
        assert reader.last == max(record["change_id"] for record in feed_run.full)
    # The fast reader saw the crawl's stories arrive in more than one step, not all at the
    # end (how many steps it catches depends on the machine's load: at least two).
    assert feed_run.fast_reader.nonempty_polls >= 2
    # Caught up: nothing after the last change id.
    assert _jsonl(_cli(feed_run.workdir, feed_run.env, "export", "--after-change",
                       str(feed_run.reader.last))) == []


def test_after_change_in_csv_is_the_feed_in_change_id_order(feed_run: FeedRun) -> None:
    ids = [int(row["change_id"]) for row in feed_run.feed_csv]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {int(row["id"]) for row in feed_run.feed_csv} == {r["id"] for r in feed_run.full}
    middle = ids[len(ids) // 2]
    later = _jsonl(_cli(feed_run.workdir, feed_run.env, "export", "--after-change", str(middle)))
    assert [r["change_id"] for r in later] == [i for i in ids if i > middle]


def test_since_is_when_the_change_became_visible(feed_run: FeedRun) -> None:
    stamps = sorted(record["changed_at"] for record in feed_run.full)
    middle = stamps[len(stamps) // 2]
    since = _jsonl(_cli(feed_run.workdir, feed_run.env, "export", "--since", middle))
    assert {r["id"] for r in since} == {r["id"] for r in feed_run.full if r["changed_at"] >= middle}


def test_the_original_leads_each_syndicated_story(feed_run: FeedRun) -> None:
    stored = {record["canonical_url"]: record for record in feed_run.full}
    originals = {canonicalize_url(t.url) for t in feed_run.site.articles if t.role == "original"}
    led, groups = 0, 0
    for name, urls in feed_run.site.syndication_groups.items():
        members = [stored[canonicalize_url(url)] for url in urls]
        canonical = [m for m in members if m["is_canonical"]]
        assert len(canonical) == 1, name
        groups += 1
        led += canonical[0]["canonical_url"] in originals
    assert groups >= 3 and led == groups
    # The reason is what sets the original apart from the runner-up: the Istanbul story's
    # one copy credits it ("originally published by"); each other story has a copy that
    # credits no one (or only its own outlet) but was published later.
    db = Database(feed_run.database_url)
    try:
        with db.reader() as session:
            reasons = {
                name: session.scalar(
                    select(ClusterRow.canonical_reason).join(ArticleRow, ArticleRow.cluster_id == ClusterRow.id)
                    .where(ArticleRow.canonical_url == canonicalize_url(urls[0])))
                for name, urls in feed_run.site.syndication_groups.items()
            }
    finally:
        db.dispose()
    assert reasons == {"istanbul-agreement": "attribution", "remains-returned": "published",
                       "second-group": "published"}


def test_the_documented_sync_loop_ends_equal_to_a_full_export(feed_run: FeedRun,
                                                              tmp_path: Path) -> None:
    schema = (REPO_ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    section = schema.split("### Syncing a downstream table", 1)[1]
    script = tmp_path / "sync.py"
    script.write_text(section.split("```python\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    env = {**feed_run.env, "NEWSDEDUP": f"{sys.executable} -m newsdedup"}
    downstream = tmp_path / "downstream.db"
    runs = [
        subprocess.run([sys.executable, str(script), str(downstream)], cwd=feed_run.workdir,
                       env=env, capture_output=True, text=True, timeout=300)
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr[-2000:]
    assert runs[0].stdout.strip() == f"{len(feed_run.full)} changes applied"
    assert runs[1].stdout.strip() == "0 changes applied"  # the cursor was kept
    with contextlib.closing(sqlite3.connect(downstream)) as connection:
        rows = {row[0]: json.loads(row[1])
                for row in connection.execute("SELECT id, record FROM articles")}
        (cursor,) = connection.execute("SELECT last_change_id FROM feed_cursor").fetchone()
    assert rows == {record["id"]: record for record in feed_run.full}
    assert cursor == max(record["change_id"] for record in feed_run.full)


@pytest.mark.parametrize("value", ["-3", "abc", "1.5", "", "²"])
def test_a_bad_change_id_is_a_one_line_usage_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "config.yaml").write_text(
        "database:\n  url: sqlite:///news.db\nsources:\n  - name: good\n"
        "    feeds: [https://good.example/feed.xml]\n", encoding="utf-8")
    env = cli_env()
    done = subprocess.run([sys.executable, "-m", "newsdedup", "export", "--after-change", value],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"newsdedup: error: --after-change {value!r}: not a change id (a whole number >= 0: "
        "the largest change_id you have read, or 0 for everything)")
    assert done.stdout == ""


def test_the_change_feed_of_canonicals_only_is_refused(tmp_path: Path) -> None:
    """When a story's original arrives after a copy, the copy is demoted: its new record
    says is_canonical false. `--canonical-only --after-change N` left that record out,
    so a reader kept both articles as its story's canonical."""
    (tmp_path / "config.yaml").write_text(
        "database:\n  url: sqlite:///news.db\nsources:\n  - name: good\n"
        "    feeds: [https://good.example/feed.xml]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "newsdedup", "export", "--canonical-only",
                           "--after-change", "0"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip() == (
        "newsdedup: error: --canonical-only with --after-change: the feed would never say "
        "that an article stopped being its story's canonical; follow the whole feed and keep "
        "the records whose is_canonical is true")
