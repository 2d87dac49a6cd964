"""Soak test: ``newsdedup daemon`` for many minutes against a news web that changes.

Usage:
    python bench/soak.py [--minutes M] [--database sqlite|postgres] [--postgres URL]
                         [--articles N] [--hidden H] [--schedule "every 30s"] [--keep DIR]

Serves a generated web of N articles (default 450, three outlets) from this process, H of
them (default 150, the newest) not yet published, and runs ``newsdedup daemon`` on a
fresh SQLite file (or a fresh schema of the Postgres at ``--postgres``) with two sources
on ``--schedule`` and one on the cron ``* * * * *``, ``crawl.revisit_after`` of seconds
and minutes. While it runs, for ``--minutes`` (default 20):

- the hidden stories appear one by one (in the feeds, sitemaps and listings; 404 before);
- a published story is edited every ``--edit-every`` seconds (a paragraph added, a new
  ``Last-Modified`` and feed ``<updated>``), up to twice each;
- a story is taken down every ``--delete-every`` seconds (410 or 404), one comes back;
- the RSS feed of the first outlet answers 503 for a tenth of the time, and the second
  outlet's whole host answers 503 for another tenth (its runs fail, it backs off);
- a manual ``crawl --source`` of the cron source is started at 45% (refused with exit 3
  or run), then one with ``--wait``;
- a downstream reader polls ``export --after-change N`` every 5 s the whole time;
- every 5 s the daemon's RSS, open file descriptors, threads and children, the database
  size (SQLite file and WAL) are sampled; every 30 s rows per table and ``status``.

The last 15% of the time nothing changes (the revisits catch up), then the daemon gets
SIGTERM. Prints the samples (condensed), then what was checked against the web's ground
truth: every published story stored once, edits stored as revisions, take-downs marked,
the reader's copy equal to a full export, no change seen twice, no change id out of
order, no run left ``running`` and no lock held after the stop. Figures only: nothing
here is timed or asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]  # no stubs; a dev dependency
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tests/newsweb

from newsdedup.core.records import utcnow  # noqa: E402
from newsweb import NewsWeb, Site  # noqa: E402
from newsweb.bench_site import _PATHS, GeneratedCatalog, _Generator  # noqa: E402
from newsweb.build import TEST_CRAWL, compose, truth  # noqa: E402
from newsweb.content.textgen import generate_story  # noqa: E402
from newsweb.model import Channel, Entry, LazySequence, Link  # noqa: E402
from newsweb.outlet import OutletSite  # noqa: E402
from newsweb.outlets import KYIV, MENAFEED, STEPPE  # noqa: E402
from newsweb.responses import Request, Response, SiteState, html  # noqa: E402

POSTGRES = os.environ.get("NEWSDEDUP_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TABLES = ("pages", "url_state", "articles", "article_revisions", "paragraphs", "crawl_runs",
          "lsh_bands", "paragraph_bands")
_UNAVAILABLE = "<html><body><h1>503 Service Unavailable</h1></body></html>"


# The changing web ---------------------------------------------------------------------


class _SoakGenerator(_Generator):
    """The bench generator with a publication cursor and edits: article ``g`` is
    published once ``g >= visible_from``; ``edits[g]`` holds the times of its edits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible_from = 0
        self.edits: dict[int, list[datetime]] = {}

    def is_copy(self, g: int) -> bool:  # a copy is published with its original
        return super().is_copy(g) and g + 1 >= self.visible_from

    def link(self, g: int) -> Link:
        found = super().link(g)
        edits = self.edits.get(g)
        return replace(found, modified_at=edits[-1]) if edits else found

    def entry(self, g: int) -> Entry:
        base = super().entry(g)
        first = base.first
        revisions = [first]
        outlet = self.outlets[g % len(self.outlets)]
        story = self.story(g)
        paragraphs = list(story.paragraphs)
        for k, when in enumerate(self.edits.get(g, ()), start=1):
            paragraphs.append(edit_paragraph(g, k))
            revisions.append(truth(outlet, story, base.path, first.published_at,
                                   compose(outlet, story, paragraphs=paragraphs),
                                   channels=first.channels, role=first.role,
                                   story_key=story.key, modified_at=when, revision=k))
        return replace(base, revisions=tuple(revisions))


def edit_paragraph(g: int, k: int) -> str:
    """The paragraph edit ``k`` of article ``g`` adds: from a story of its own, so that no
    other article shares it (a shared one would be learnt as a template and dropped)."""
    return generate_story(900_000 + g * 10 + k).paragraphs[1]


class _SoakCatalog(GeneratedCatalog):
    """An outlet's share, only the published articles."""

    gen: _SoakGenerator

    def _first(self) -> int:
        return max(0, math.ceil((self.gen.visible_from - self.slot) / self.k))

    def links(self, channel: Channel, state: SiteState) -> Sequence[Link]:
        start = self._first()
        visible = self.ids[start:]
        count = {"feed": min(50, len(visible)),
                 "news_sitemap": max(0, self.news_count - start)}.get(channel, len(visible))
        return LazySequence(count, lambda i: self._link(visible[i]))

    def find(self, path: str) -> Entry | None:
        entry = super().find(path)
        if entry is None or int(path.split("/")[2].split("-")[0]) < self.gen.visible_from:
            return None
        return entry

    def related(self, entry: Entry, state: SiteState) -> Sequence[Link]:
        return [link for link in super().related(entry, state)
                if int(link.url.split("/news/")[1].split("-")[0]) >= self.gen.visible_from]

    def popular(self, state: SiteState) -> Sequence[Link]:
        return [self._link(g) for g in self.ids[self._first():][:5]]


@dataclass
class World:
    """The web and what was done to it: the ground truth of the soak."""

    site: Site
    gen: _SoakGenerator
    outlets: list[OutletSite]
    lock: threading.Lock = field(default_factory=threading.Lock)
    deleted: dict[int, int] = field(default_factory=dict)  # g -> status
    restored: set[int] = field(default_factory=set)
    revealed_at: dict[int, float] = field(default_factory=dict)
    edit_at: dict[int, list[float]] = field(default_factory=dict)
    feed_down: bool = False
    host_down: bool = False
    events: list[tuple[float, str]] = field(default_factory=list)

    def url(self, g: int) -> str:
        return self.gen.link(g).url

    def published(self) -> list[int]:
        return list(range(self.gen.visible_from, self.gen.n))


def build_world(n: int, hidden: int) -> World:
    moment = utcnow().replace(microsecond=0)
    import re

    outlets = [_PATHS.apply(replace(
        outlet, crawl_delay=None,
        article_url_pattern=rf"(?i){re.escape(outlet.domain)}(:80)?/news/\d+-[a-z0-9-]+$"))
        for outlet in (KYIV, STEPPE, MENAFEED)]
    gen = _SoakGenerator(n, 7, moment, outlets, 10)
    gen.visible_from = hidden
    sites = [OutletSite(outlet, _SoakCatalog(gen, slot), _PATHS)
             for slot, outlet in enumerate(outlets)]
    crawl = {**TEST_CRAWL, "timeout": 10, "retries": 1, "max_listing_pages": 2,
             "max_pages_per_run": n + 100}
    site = Site(name="soak", now=moment, outlets=sites, crawl_defaults=crawl)
    world = World(site=site, gen=gen, outlets=sites)
    rss_path = _PATHS.rss
    assert rss_path is not None
    rss = sites[0].routes[rss_path]

    def flaky_rss(request: Request) -> Response:
        return html(_UNAVAILABLE, status=503) if world.feed_down else rss(request)

    sites[0].routes[rss_path] = flaky_rss
    respond = sites[1].respond

    def flaky_host(request: Request) -> Response:
        return html(_UNAVAILABLE, status=503) if world.host_down else respond(request)

    sites[1].respond = flaky_host  # type: ignore[method-assign]
    return world


# Processes around the daemon -------------------------------------------------------


def cli(env: dict[str, str], config: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdedup", "--config", str(config), *args],
                          env=env, capture_output=True, text=True, timeout=timeout)


class Reader(threading.Thread):
    """A downstream reader: polls ``export --after-change N`` and keeps the records."""

    def __init__(self, env: dict[str, str], config: Path, every: float) -> None:
        super().__init__(daemon=True)
        self.env, self.config, self.every = env, config, every
        self.cursor = 0
        self.records: list[dict[str, Any]] = []
        self.current: dict[int, dict[str, Any]] = {}
        self.polls = 0
        self.failed_polls: list[str] = []
        self.out_of_order = 0
        self.poll_seconds: list[float] = []
        self.stop = threading.Event()

    def poll(self) -> int:
        started = time.monotonic()
        done = cli(self.env, self.config, "export", "--after-change", str(self.cursor))
        self.poll_seconds.append(time.monotonic() - started)
        self.polls += 1
        if done.returncode != 0:
            self.failed_polls.append(done.stderr.strip()[-300:])
            return 0
        lines = done.stdout.splitlines()
        for line in lines:
            record = json.loads(line)
            if record["change_id"] <= self.cursor:
                self.out_of_order += 1
            self.cursor = max(self.cursor, record["change_id"])
            self.records.append(record)
            self.current[record["id"]] = record
        return len(lines)

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.poll()


@dataclass
class Sample:
    t: float
    rss_mib: float
    fds: int
    threads: int
    children: int
    child_rss_mib: float
    db_mib: float
    wal_mib: float


class Monitor(threading.Thread):
    """Samples the daemon process and the database."""

    def __init__(self, daemon: psutil.Process, db_file: Path | None, every: float,
                 started: float) -> None:
        super().__init__(daemon=True)
        self.daemon_process, self.db_file, self.every, self.started = daemon, db_file, every, started
        self.samples: list[Sample] = []
        self.child_peak_mib = 0.0
        self.stop = threading.Event()

    def sample(self) -> None:
        p = self.daemon_process
        with contextlib.suppress(psutil.Error):
            children = p.children(recursive=True)
            child_rss = 0.0
            for child in children:
                with contextlib.suppress(psutil.Error):
                    child_rss = max(child_rss, child.memory_info().rss / 2**20)
            self.child_peak_mib = max(self.child_peak_mib, child_rss)
            db = wal = 0.0
            if self.db_file is not None:
                with contextlib.suppress(OSError):
                    db = self.db_file.stat().st_size / 2**20
                with contextlib.suppress(OSError):
                    wal = Path(f"{self.db_file}-wal").stat().st_size / 2**20
            self.samples.append(Sample(time.monotonic() - self.started, p.memory_info().rss / 2**20,
                                       p.num_fds(), p.num_threads(), len(children), child_rss,
                                       db, wal))

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.sample()


def table_rows(engine: Any) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in TABLES}


def postgres_bytes(engine: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'")).scalar_one())


# The scenario ----------------------------------------------------------------------


@dataclass
class Plan:
    minutes: float
    edit_every: float
    delete_every: float

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    def at(self, share: float) -> float:
        return self.seconds * share


def mutate(world: World, plan: Plan, elapsed: float, state: dict[str, float], rng: random.Random,
           hidden: int) -> None:
    """Apply what is due at ``elapsed`` seconds into the soak."""
    quiet = plan.at(0.85)
    gen = world.gen
    if elapsed < quiet:
        # Publication: the hidden stories appear evenly from 5% to 80% of the time.
        share = min(1.0, max(0.0, (elapsed - plan.at(0.05)) / plan.at(0.75)))
        target = hidden - int(share * hidden)
        while gen.visible_from > target:
            gen.visible_from -= 1
            world.revealed_at[gen.visible_from] = elapsed
        old = [g for g in world.published()
               if g not in world.deleted and elapsed - world.revealed_at.get(g, 0) > 60]
        if elapsed - state.get("edit", -1e9) >= plan.edit_every and old:
            state["edit"] = elapsed
            candidates = [g for g in old if len(gen.edits.get(g, ())) < 2]
            g = rng.choice(candidates)
            gen.edits.setdefault(g, []).append(utcnow().replace(microsecond=0))
            world.edit_at.setdefault(g, []).append(elapsed)
            world.site.update_article(world.url(g))
            world.events.append((elapsed, f"edit {g} -> revision {len(gen.edits[g])}"))
        if elapsed - state.get("delete", -1e9) >= plan.delete_every and old:
            state["delete"] = elapsed
            g = rng.choice([g for g in old if g not in gen.edits])
            status = 410 if len(world.deleted) % 2 == 0 else 404
            world.site.delete_article(world.url(g), status)
            world.deleted[g] = status
            world.events.append((elapsed, f"delete {g} ({status})"))
        if not world.restored and elapsed >= plan.at(0.6) and world.deleted:
            g = next(iter(world.deleted))
            with world.site._lock:  # the page comes back
                world.site._gone.pop(gen.entry(g).first.canonical_url, None)
            del world.deleted[g]
            world.restored.add(g)
            world.events.append((elapsed, f"restore {g}"))
    feed_down = plan.at(0.25) <= elapsed < plan.at(0.35)
    host_down = plan.at(0.5) <= elapsed < plan.at(0.6)
    if feed_down != world.feed_down:
        world.events.append((elapsed, f"rss of {world.outlets[0].outlet.key} {'down' if feed_down else 'up'}"))
    if host_down != world.host_down:
        world.events.append((elapsed, f"host {world.outlets[1].outlet.key} {'down' if host_down else 'up'}"))
    world.feed_down, world.host_down = feed_down, host_down


def write_config(workdir: Path, world: World, database_url: str, schedule: str) -> Path:
    mapping = world.site.config_mapping(database_url)
    for index, source in enumerate(mapping["sources"]):
        source["schedule"] = "* * * * *" if index == 2 else schedule
    mapping["crawl"].update(revisit_after=["30s", "1m", "2m", "4m", "8m", "15m"],
                            max_run_minutes=5)
    mapping["process"] = {"workers": 1}
    mapping["daemon"] = {"max_parallel_runs": 2, "grace_period_seconds": 60,
                         "heartbeat_seconds": 2, "stale_lock_seconds": 30,
                         "backoff_base_seconds": 10, "backoff_max_seconds": 60,
                         "misfire_grace_seconds": 30}
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    return path


def status_line(env: dict[str, str], config: Path) -> tuple[int, dict[str, str]]:
    done = cli(env, config, "status", "--format", "json", timeout=120)
    health: dict[str, str] = {}
    for line in done.stdout.splitlines():
        with contextlib.suppress(ValueError, KeyError):
            record = json.loads(line)
            health[record["source"]] = record["health"]
    return done.returncode, health


# Checks ----------------------------------------------------------------------------


def check_store(engine: Any, world: World, final: list[dict[str, Any]],
                reader: Reader) -> list[str]:
    """What the database holds against the ground truth."""
    lines: list[str] = []
    gen = world.gen
    with engine.connect() as c:
        rows = {r.canonical_url: r for r in c.execute(text(
            "SELECT id, canonical_url, revision, deleted_at, dedup_state FROM articles"))}
        runs = Counter(f"{r[0]}/{r[1]}" for r in c.execute(text(
            "SELECT trigger, status FROM crawl_runs")))
        running = c.execute(text("SELECT count(*) FROM crawl_runs WHERE status = 'running'")).scalar_one()
        locks = c.execute(text("SELECT count(*) FROM source_locks")).scalar_one()
        revisions = dict(c.execute(text("SELECT article_id, count(*) FROM article_revisions GROUP BY article_id")).all())
        pending = c.execute(text("SELECT count(*) FROM pages WHERE processed_at IS NULL")).scalar_one()
        fetched = {r.url: r for r in c.execute(text(
            "SELECT url, first_seen_at, last_fetched_at, revisits FROM url_state"))}
    published = world.published()
    urls = {g: gen.entry(g).first.canonical_url for g in published}
    missing = [g for g in published if urls[g] not in rows]
    displaced = [u for u in rows if "#article-" in u]
    lines.append(f"stories published {len(published)} (revealed during the soak {len(world.revealed_at)}), "
                 f"stored {len(published) - len(missing)}, missing {len(missing)} {missing[:10]}, "
                 f"articles rows {len(rows)}, displaced rows {len(displaced)}")
    edits = {g: len(e) for g, e in gen.edits.items()}
    got: Counter[bool] = Counter()
    wrong: list[str] = []
    for g, count in edits.items():
        row = rows.get(urls[g])
        if row is None:
            wrong.append(f"{g}: not stored")
            continue
        got[row.revision == count + 1] += 1  # revisions count from 1
        if row.revision != count + 1:
            seen = fetched.get(urls[g])
            wrong.append(f"{g}: {count} edits (at {[f'{t:.0f}s' for t in world.edit_at[g]]}), "
                         f"revision {row.revision}; url first seen {seen and seen.first_seen_at}, "
                         f"last fetched {seen and seen.last_fetched_at}, revisit steps behind "
                         f"{seen and seen.revisits}")
        if revisions.get(row.id, 0) != row.revision:
            wrong.append(f"{g}: revision {row.revision}, {revisions.get(row.id, 0)} revision rows")
    extra = [g for g in published if g not in edits and urls[g] in rows and rows[urls[g]].revision != 1]
    exported = {r["id"]: r["text"] for r in final}
    in_export = sum(1 for g, count in edits.items() if urls[g] in rows
                    and edit_paragraph(g, count) in exported.get(rows[urls[g]].id, ""))
    texts = {(r["id"], p) for r in reader.records for p in r["text"].split("\n\n")}
    seen_by_reader = sum(1 for g, count in edits.items() for k in range(1, count + 1)
                         if urls[g] in rows and (rows[urls[g]].id, edit_paragraph(g, k)) in texts)
    lines.append(f"edited stories {len(edits)} ({sum(edits.values())} edits): latest revision stored "
                 f"{got[True]}, not {got[False]}; latest edit's paragraph in the export {in_export}; "
                 f"edits whose paragraph reached the reader {seen_by_reader}; "
                 f"unedited stories with a revision > 1: {len(extra)}")
    lines.extend(f"  {item}" for item in wrong[:12])
    marked = [g for g in world.deleted if urls[g] in rows and rows[urls[g]].deleted_at is not None]
    stray = [g for g in published if g not in world.deleted and urls[g] in rows
             and rows[urls[g]].deleted_at is not None]
    lines.append(f"taken down {len(world.deleted)}: marked deleted {len(marked)}; "
                 f"restored {sorted(world.restored)} marked deleted now: "
                 f"{[g for g in world.restored if urls[g] in rows and rows[urls[g]].deleted_at is not None]}; "
                 f"other stories marked deleted: {stray[:10]}")
    lines.append(f"runs: {dict(sorted(runs.items()))}; left running {running}; locks held {locks}; "
                 f"pending pages {pending}; dedup_state {dict(Counter(r.dedup_state for r in rows.values()))}")
    return lines


def check_feed(reader: Reader, final: list[dict[str, Any]]) -> list[str]:
    """The reader's copy against a full export, and the changes it saw."""
    lines: list[str] = []
    ids = Counter(r["change_id"] for r in reader.records)
    twice = [k for k, v in ids.items() if v > 1]
    by_article: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for record in reader.records:
        by_article[record["id"]].append(record)

    def visible(record: dict[str, Any]) -> str:
        body = {k: v for k, v in record.items() if k not in ("change_id", "changed_at")}
        return hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()

    noop: Counter[str] = Counter()
    for records in by_article.values():
        for before, after in itertools.pairwise(records):
            if visible(before) == visible(after):
                changed = sorted(k for k in before if before[k] != after[k])
                noop[",".join(changed)] += 1
    final_by_id = {r["id"]: r for r in final}
    differ = [i for i, r in final_by_id.items() if reader.current.get(i) != r]
    lines.append(f"reader: {reader.polls} polls ({len(reader.failed_polls)} failed), "
                 f"{len(reader.records)} records for {len(by_article)} articles, "
                 f"change ids seen twice {len(twice)}, out of order {reader.out_of_order}, "
                 f"poll time median {sorted(reader.poll_seconds)[len(reader.poll_seconds) // 2]:.2f} s "
                 f"max {max(reader.poll_seconds):.2f} s")
    lines.append(f"reader's copy vs full export ({len(final)} records): differing {len(differ)} "
                 f"{differ[:10]}, only in the reader {len(set(reader.current) - set(final_by_id))}")
    lines.append(f"changes with nothing visible changed (same record, new change_id): {sum(noop.values())} "
                 f"{dict(noop)}")
    reasons: Counter[str] = Counter()
    for records in by_article.values():
        for before, after in itertools.pairwise(records):
            keys = sorted(k for k in before if k not in ("change_id", "changed_at") and before[k] != after[k])
            reasons[",".join(keys) or "(none)"] += 1
    lines.append(f"what changed between an article's successive records: {dict(reasons.most_common(8))}")
    if reader.failed_polls:
        lines.append(f"  failed poll: {reader.failed_polls[0]}")
    return lines


# Main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--articles", type=int, default=450)
    parser.add_argument("--hidden", type=int, default=150)
    parser.add_argument("--schedule", default="every 30s")
    parser.add_argument("--edit-every", type=float, default=20)
    parser.add_argument("--delete-every", type=float, default=60)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()

    world = build_world(args.articles, args.hidden)
    plan = Plan(args.minutes, args.edit_every, args.delete_every)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsdedup-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    schema = None
    db_file: Path | None = None
    if args.database == "sqlite":
        db_file = workdir / "soak.db"
        database_url = f"sqlite:///{db_file}"
    else:
        schema = f"soak_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        database_url = make_url(args.postgres).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    rng = random.Random(5)
    print(f"soak: {args.minutes:g} min on {args.database} ({schema or db_file}); web of "
          f"{args.articles} articles, {args.hidden} published during the soak; schedules "
          f"{args.schedule!r} x2 and '* * * * *'; work folder {workdir}", flush=True)
    with NewsWeb(world.site) as web:
        config = write_config(workdir, world, database_url, args.schedule)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
        env.update(http_proxy=web.proxy_url, no_proxy="",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
        log = (workdir / "daemon.log").open("w")
        started = time.monotonic()
        daemon = subprocess.Popen([sys.executable, "-m", "newsdedup", "--config", str(config), "daemon"],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        engine = create_engine(database_url)
        monitor = Monitor(psutil.Process(daemon.pid), db_file, 5, started)
        reader = Reader(env, config, 5)
        time.sleep(3)
        monitor.start()
        reader.start()
        state: dict[str, float] = {}
        runs_at_stop = 0
        rows_log: list[tuple[float, dict[str, int], int]] = []
        status_log: list[tuple[float, int, dict[str, str]]] = []
        manual: list[str] = []
        next_rows = 0.0
        cron_source = world.outlets[2].outlet.key
        while (elapsed := time.monotonic() - started) < plan.seconds:
            if daemon.poll() is not None:
                print(f"daemon exited early with {daemon.returncode}", flush=True)
                break
            mutate(world, plan, elapsed, state, rng, args.hidden)
            if elapsed >= next_rows:
                next_rows = elapsed + 30
                with contextlib.suppress(Exception):
                    size = postgres_bytes(engine) if schema else 0
                    rows_log.append((elapsed, table_rows(engine), size))
                code, health = status_line(env, config)
                status_log.append((elapsed, code, health))
                web.reset_log()  # the request log would grow for the whole soak
            if not manual and elapsed >= plan.at(0.45):
                for extra in ((), ("--wait",)):
                    t0 = time.monotonic()
                    done = cli(env, config, "crawl", "--source", cron_source, *extra)
                    manual.append(f"crawl --source {cron_source} {' '.join(extra)}: exit "
                                  f"{done.returncode} in {time.monotonic() - t0:.1f} s; "
                                  f"{(done.stderr.strip().splitlines() or [''])[-1][:160]}")
            time.sleep(1)
        monitor.sample()
        # Stop while a run is in progress, as systemctl stop would now and then.
        waited = time.monotonic()
        with contextlib.suppress(psutil.Error):
            while (not psutil.Process(daemon.pid).children() and time.monotonic() - waited < 90):
                time.sleep(0.2)
            time.sleep(1.5)
            runs_at_stop = len(psutil.Process(daemon.pid).children())
        t0 = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        try:
            code = daemon.wait(timeout=180)
        except subprocess.TimeoutExpired:
            daemon.kill()
            code = daemon.wait()
        stopped = time.monotonic() - t0
        reader.stop.set()
        monitor.stop.set()
        reader.join(timeout=120)
        leftover = [p.pid for p in psutil.process_iter(["cmdline"])
                    if str(config) in " ".join(p.info["cmdline"] or ())]
        reader.poll()  # the last changes
        final_export = cli(env, config, "export")
        final = [json.loads(line) for line in final_export.stdout.splitlines()]
        log.close()

        print("\n   t/s  RSS MiB  fds  threads  children  child MiB  db MiB  wal MiB")
        step = max(1, len(monitor.samples) // 24)
        for s in monitor.samples[::step] + monitor.samples[-1:]:
            print(f"{s.t:>6.0f} {s.rss_mib:>8.1f} {s.fds:>4} {s.threads:>8} {s.children:>9} "
                  f"{s.child_rss_mib:>10.1f} {s.db_mib:>7.1f} {s.wal_mib:>8.1f}")
        rss = [s.rss_mib for s in monitor.samples]
        fds = [s.fds for s in monitor.samples]
        threads = [s.threads for s in monitor.samples]
        half = len(rss) // 2
        print(f"daemon RSS first sample {rss[0]:.1f} MiB, median of the first half "
              f"{sorted(rss[:half])[half // 2]:.1f}, of the second half {sorted(rss[half:])[len(rss[half:]) // 2]:.1f}, "
              f"max {max(rss):.1f}; fds min {min(fds)} max {max(fds)} last {fds[-1]}; "
              f"threads min {min(threads)} max {max(threads)} last {threads[-1]}; "
              f"peak child RSS {monitor.child_peak_mib:.1f} MiB")
        print("\n   t/s  " + "  ".join(f"{t[:12]:>12}" for t in TABLES) + ("  MiB" if schema else ""))
        for elapsed, counts, size in rows_log[:: max(1, len(rows_log) // 12)] + rows_log[-1:]:
            print(f"{elapsed:>6.0f}  " + "  ".join(f"{counts[t]:>12}" for t in TABLES)
                  + (f"  {size / 2**20:.1f}" if schema else ""))
        print("\nstatus over time (exit code, health per source):")
        last = None
        for elapsed, code_, health in status_log:
            line = f"{code_} " + " ".join(f"{k}={v}" for k, v in sorted(health.items()))
            if line != last:
                print(f"  {elapsed:>6.0f}s {line}")
                last = line
        print("events: " + "; ".join(f"{t:.0f}s {e}" for t, e in world.events
                                       if not e.startswith(("edit", "delete"))))
        print(f"edits {sum(len(v) for v in world.gen.edits.values())}, take-downs "
              f"{len(world.deleted) + len(world.restored)}, stories published during the soak "
              f"{len(world.revealed_at)}")
        for line in manual:
            print("manual: " + line)
        print(f"\nSIGTERM with {runs_at_stop} run(s) in progress: daemon exit code {code} after "
              f"{stopped:.1f} s; processes of this soak left: {leftover}")
        for line in check_store(engine, world, final, reader):
            print(line)
        for line in check_feed(reader, final):
            print(line)
        errors = [line for line in (workdir / "daemon.log").read_text().splitlines()
                  if "Traceback" in line or " ERROR " in line]
        print(f"daemon log: {len(errors)} ERROR or Traceback lines; first: {errors[:3]}")
        with (workdir / "reader.jsonl").open("w") as out:
            out.writelines(json.dumps(r) + "\n" for r in reader.records)
        engine.dispose()
    if schema is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
