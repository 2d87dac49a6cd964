"""Revisit cost per run: requests and 304 share of ``crawl.revisit_after`` on a generated
web over several simulated days, against refetching every article each run.

Usage:
    python bench/revisit.py [--articles N] [--days D] [--every H] [--delete K] [--keep DIR]

Builds the generated web of N articles (default 2,000, published over the last 25 days),
crawls it once with ``newsdedup crawl`` into a fresh SQLite file, and backdates each
article's first sighting to its publication (a crawler that has been running for weeks:
only the articles of the last days are still young). Then it simulates D days (default
4) with a run every H hours (default 6): the revisit clock moves H hours on (the
``first_seen_at`` of every URL moves H hours back), K young articles (default 3) are
taken down (410), and ``newsdedup crawl`` runs. Per run it prints the requests made, the
article revisits among them, their 304 share, the deletions found. The baseline is
``newsdedup crawl --refetch`` (every stored article asked again, conditionally), run
once at the end: what keeping every article fresh cost before revisits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb


REPO = Path(__file__).resolve().parents[1]


def _run(workdir: Path, web: Any, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env.update(http_proxy=web.proxy_url, no_proxy="", PYTHONPATH=str(REPO))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsdedup", "crawl", *args], cwd=workdir,
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall


def _last_stats(database_url: str, runs: int) -> Counter[str]:
    """The summed stats of the newest ``runs`` crawl runs (one per source)."""
    from sqlalchemy import select

    from newsdedup.storage.db import Database
    from newsdedup.storage.models import CrawlRunRow

    db = Database(database_url)
    total: Counter[str] = Counter()
    try:
        with db.reader() as session:
            rows = session.scalars(
                select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(runs)).all()
            for row in rows:
                total.update({k: int(v) for k, v in (row.stats or {}).items()
                              if isinstance(v, int | float)})
    finally:
        db.dispose()
    return total


def _backdate(database_url: str, delays: list[timedelta]) -> None:
    """First sightings at publication, revisit steps as a long-running crawler has them."""
    from sqlalchemy import select

    from newsdedup.core.records import utcnow
    from newsdedup.storage.db import Database
    from newsdedup.storage.frontier import revisit_steps
    from newsdedup.storage.models import ArticleRow, UrlStateRow

    now = utcnow()
    db = Database(database_url)
    try:
        with db.session() as session:
            published = {url: when for url, when in session.execute(
                select(ArticleRow.url, ArticleRow.published_at))}
            for row in session.scalars(select(UrlStateRow).where(UrlStateRow.kind == "article")):
                first = published.get(row.url) or row.hint_published_at
                if first is not None and first < row.first_seen_at:
                    row.first_seen_at = first
                row.revisits = revisit_steps(row.first_seen_at, delays, now)
    finally:
        db.dispose()


def _advance(database_url: str, hours: float) -> None:
    """The revisit clock moves ``hours`` on: first sightings only, as this bench always
    did. The generated web's dates stay put, so a last fetch moved back could fall before
    a feed entry's ``<updated>``, which the crawler takes for a changed article."""
    from newsdedup.storage.db import Database
    from newsdedup.storage.frontier import backdate_url_state

    with Database(database_url) as db, db.session() as session:
        backdate_url_state(session, timedelta(hours=hours), last_fetch=False)


def _young(database_url: str, hours: float) -> list[str]:
    from sqlalchemy import select

    from newsdedup.core.records import utcnow
    from newsdedup.storage.db import Database
    from newsdedup.storage.models import ArticleRow, UrlStateRow

    db = Database(database_url)
    try:
        with db.reader() as session:
            return list(session.scalars(
                select(UrlStateRow.url)
                .join(ArticleRow, ArticleRow.canonical_url == UrlStateRow.canonical_url)
                .where(UrlStateRow.first_seen_at >= utcnow() - timedelta(hours=hours),
                       ArticleRow.deleted_at.is_(None))
                .order_by(UrlStateRow.id)))
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--days", type=float, default=4)
    parser.add_argument("--every", type=float, default=6, help="hours between runs")
    parser.add_argument("--delete", type=int, default=3, help="articles taken down per run")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from newsdedup.core.config import CrawlConfig
    from newsweb import NewsWeb, build_bench_site

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsdedup-revisit-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    site = build_bench_site(args.articles)
    mapping = site.config_mapping(database_url)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True))
    sources = len(site.outlets)
    delays = list(CrawlConfig().revisit_delays)
    print(f"web: {args.articles} articles, {sources} outlets; revisit_after "
          f"{list(CrawlConfig().revisit_after)}; a run every {args.every:g} h for {args.days:g} days; "
          f"{args.delete} young articles taken down before each run")
    with NewsWeb(site) as web:
        wall = _run(workdir, web)
        first = _last_stats(database_url, sources)
        print(f"first crawl: {first['fetch/requests']} requests, {first['pages/fetched']} "
              f"article pages, {first['articles/new']} articles ({wall:.0f} s)")
        _backdate(database_url, delays)
        print(f"{'run':>4} {'at':>6} {'requests':>9} {'revisits':>9} {'304':>6} {'304 share':>10}"
              f" {'200':>5} {'410':>5} {'deleted':>8} {'s':>5}")
        totals: Counter[str] = Counter()
        runs = int(args.days * 24 / args.every)
        for index in range(1, runs + 1):
            _advance(database_url, args.every)
            for url in _young(database_url, 3 * 24)[: args.delete]:
                site.delete_article(url, 410)
            wall = _run(workdir, web)
            stats = _last_stats(database_url, sources)
            totals.update(stats)
            revisits = stats["revisit/requested"]
            share = stats["article_fetch/not_modified"] / max(1, stats["pages/fetched"])
            print(f"{index:>4} {index * args.every:>5g}h {stats['fetch/requests']:>9} {revisits:>9}"
                  f" {stats['article_fetch/not_modified']:>6} {share:>10.0%}"
                  f" {stats['article_fetch/ok']:>5} {stats['article_fetch/http_error']:>5}"
                  f" {stats['articles/deleted']:>8} {wall:>5.0f}")
        print(f"per run: {totals['fetch/requests'] / runs:.0f} requests, "
              f"{totals['revisit/requested'] / runs:.0f} revisits, 304 share of article "
              f"requests {totals['article_fetch/not_modified'] / max(1, totals['pages/fetched']):.0%}; "
              f"deletions found {totals['articles/deleted']}")
        wall = _run(workdir, web, "--refetch")
        base = _last_stats(database_url, sources)
        print(f"baseline (crawl --refetch, every article each run): {base['fetch/requests']} "
              f"requests, {base['pages/fetched']} article pages, "
              f"{base['article_fetch/not_modified']} answered 304 ({wall:.0f} s)")
        print(f"ratio of requests per run, revisits / refetch-all: "
              f"{totals['fetch/requests'] / runs / max(1, base['fetch/requests']):.3f}")
    if not args.keep:
        print(f"(work folder {workdir})")


if __name__ == "__main__":
    main()
