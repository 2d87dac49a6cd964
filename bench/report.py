"""Time, memory and size of ``newsdedup report`` against the number of stored articles.

Usage:
    python bench/report.py [--sizes 10000,100000] [--database-url URL] [--skip-sqlite]
                           [--repeat 3] [--sqlite-dir DIR]

A fresh SQLite file (and a Postgres schema with ``--database-url``) is filled in bulk,
up to each size, with what a crawl and the dedup stages leave: finished articles of 300
outlets (the generated news-like bodies of ``bench/dedup_scale.py``, first seen over
the last six days), each with its paragraphs and their fates (the outlet's header and
footer as templates, a repeated paragraph in one article in ten), one in five a
syndicated copy (its end cut, a word changed) in the cluster of an article up to 40
before it. Each outlet gets a week of crawl runs (one every two hours, one in ten
failed, its stats counting rejections by reason), twenty rejected pages and, for its
five newest articles, a stored HTML page.
The config lists the 300 outlets as sources, so health is worked out for each. (The
import newsdedup.pipeline would take ~25 minutes per 100,000 articles here; the report only
reads the tables.)

At each size ``newsdedup report --since 30d`` (every article is in the window) runs
in a subprocess ``--repeat`` times: best wall and CPU time (user + system: the wall
time of a loaded machine is mostly waiting), peak RSS of the process
(``ru_maxrss``), size of the HTML file; then once in this process under tracemalloc
(the report's own Python allocations: build and render). The ratio of the largest
size to the smallest is printed for each.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup import fresh_postgres  # the sibling benchmarks' helpers
from dedup_scale import OUTLETS, Corpus

from newsdedup.app.report import build_report, render
from newsdedup.core.config import config_from_mapping
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsdedup.storage.models import (
    ArticleRow,
    ClusterRow,
    CrawlRunRow,
    PageRow,
    ParagraphRow,
    SourceRow,
    UrlStateRow,
)

REASONS = ("http_error", "soft_404", "not_article", "too_short")


def config_mapping(url: str) -> dict[str, Any]:
    sources = [{"name": f"outlet-{index:03d}", "start_urls": [f"https://gen.example/outlet-{index:03d}/"],
                "allowed_domains": ["gen.example"], "schedule": "every 2h"}
               for index in range(OUTLETS)]
    return {"database": {"url": url}, "sources": sources}


def copy_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Postgres: ``rows`` through COPY (executemany took ~30 ms an article on the busy
    server; the report reads the same rows either way)."""
    columns = list(rows[0])
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if isinstance(row[c], list) else row[c]
                                for c in columns])
        connection.commit()
    finally:
        raw.close()


def fill(db: Database, corpus: Corpus, start: int, stop: int, now: datetime) -> float:
    """Articles ``start`` to ``stop`` (of at most ``stop`` in all), clusters, paragraphs."""
    began = time.perf_counter()
    with db.session() as session:
        if start == 0:
            session.execute(insert(SourceRow), [{"name": corpus.outlets[i][0], "created_at": now}
                                                for i in range(OUTLETS)])
        ids = dict(session.execute(select(SourceRow.name, SourceRow.id)).all())
    for chunk in range(start, stop, 5000):
        articles, paragraphs, clusters = [], [], []
        sizes: dict[int, int] = {}
        for number in range(chunk, min(stop, chunk + 5000)):
            rng = random.Random(number)
            name, header, footer = corpus.outlets[number % OUTLETS]
            copy_of = number - rng.randint(1, 40) if number % 5 == 4 and number > 50 else None
            body = corpus.story(number if copy_of is None else copy_of)
            if copy_of is not None:
                body = body[: max(2, len(body) - rng.randint(0, 2))]
                body[0] = body[0].replace(" the ", " a ", 1)
            seen = now - timedelta(seconds=6 * 86400 * (1 - number / stop))
            cluster = (copy_of if copy_of is not None else number) + 1
            sizes[cluster] = sizes.get(cluster, 0) + 1
            articles.append({
                "id": number + 1, "source_id": ids[name],
                "canonical_url": f"https://gen.example/{name}/{number}",
                "url": f"https://gen.example/{name}/{number}", "title": body[0][:60],
                "authors": [], "published_at": seen - timedelta(minutes=rng.randint(0, 600)),
                "language": "en", "text": "\n\n".join(body), "word_count": sum(len(p.split()) for p in body),
                "extracted_hash": f"{number:064d}", "first_seen_at": seen, "updated_at": seen,
                "origin": "crawl", "revision": 1, "dedup_attempts": 0, "truncated": False,
                "dedup_state": "done", "cluster_id": cluster, "is_canonical": copy_of is None,
                "duplicate_of": None if copy_of is None else copy_of + 1,
                "similarity": None if copy_of is None else 0.7 + rng.random() * 0.3,
                "match_method": None if copy_of is None else "jaccard"})
            texts = [(header.format(day=seen.day, month=seen.strftime("%B"), year=seen.year), "template"),
                     *((p, "kept") for p in body), (footer, "template")]
            if number % 10 == 0:
                texts.append((body[0], "repeat"))
            for position, (text, fate) in enumerate(texts):
                paragraphs.append({"article_id": number + 1, "position": position, "kind": "text",
                                   "text": text, "fate": fate,
                                   "duplicate_of": 1 if fate == "repeat" else None,
                                   "fingerprint": (number % OUTLETS) * 2 + (position > 0)
                                   if fate == "template" else None})
        with db.session() as session:
            existing = dict(session.execute(select(ClusterRow.id, ClusterRow.size)
                                            .where(ClusterRow.id.in_(list(sizes)))).all())
            for cluster, size in sizes.items():
                if cluster in existing:
                    session.execute(ClusterRow.__table__.update()  # type: ignore[attr-defined]
                                    .where(ClusterRow.id == cluster)
                                    .values(size=existing[cluster] + size))
                else:
                    clusters.append({"id": cluster, "canonical_article_id": None, "size": size,
                                     "created_at": now, "updated_at": now})
            if clusters:
                session.execute(insert(ClusterRow), clusters)
        if db.dialect == "postgresql":
            copy_rows(db, "articles", articles)
            copy_rows(db, "paragraphs", paragraphs)
        else:
            with db.session() as session:
                session.execute(insert(ArticleRow), articles)
                session.execute(insert(ParagraphRow), paragraphs)
        print(f"  filled {min(stop, chunk + 5000)} articles ({time.perf_counter() - began:.0f} s)",
              flush=True)
    with db.session() as session:
        session.execute(ClusterRow.__table__.update()  # type: ignore[attr-defined]
                        .values(canonical_article_id=ClusterRow.id))
    return time.perf_counter() - began


def add_crawl_history(db: Database, now: datetime) -> None:
    """A week of runs per source, rejected pages, and HTML pages of the newest articles."""
    rng = random.Random(3)
    with db.session() as session:
        sources = dict(session.execute(select(SourceRow.name, SourceRow.id)).all())
        runs = []
        for source_id in sources.values():
            for step in range(84):
                started = now - timedelta(hours=2 * step + 1)
                failed = rng.random() < 0.1
                runs.append({"source_id": source_id, "trigger": "schedule",
                             "status": "failed" if failed else "success", "started_at": started,
                             "finished_at": started + timedelta(seconds=rng.randint(20, 200)),
                             "pages_fetched": 0 if failed else rng.randint(5, 60),
                             "articles_new": 0 if failed else rng.randint(0, 10),
                             "articles_updated": rng.randint(0, 2), "rejected": rng.randint(0, 3),
                             "errors": rng.randint(0, 2), "error": "every request failed" if failed else None,
                             "stats": {f"extract/{reason}": rng.randint(0, 2) for reason in REASONS}})
        session.execute(insert(CrawlRunRow), runs)
        states: list[dict[str, object]] = []
        pages: list[tuple[str, int, int | None, str | None, str | None]] = []
        for name, source_id in sources.items():
            newest = session.execute(
                select(ArticleRow.id, ArticleRow.url, ArticleRow.title, ArticleRow.text)
                .where(ArticleRow.source_id == source_id).order_by(ArticleRow.id.desc()).limit(5)
            ).all()
            for index in range(25):
                url = f"https://gen.example/{name}/page/{index}"
                states.append({"source_id": source_id, "url": url, "kind": "article",
                               "state": "fetched", "first_seen_at": now, "last_seen_at": now})
                if index < 20:
                    pages.append((url, source_id, None, REASONS[index % len(REASONS)], None))
                elif newest[index - 20:]:
                    article = newest[index - 20]
                    paragraphs = "".join(f"<p>{p}</p>" for p in article.text.split("\n\n"))
                    html = (f"<html><head><title>{article.title}</title></head><body><article>"
                            f"<h1>{article.title}</h1><p>Share on Facebook</p>{paragraphs}"
                            "<p>Read more:</p><ul><li>Another story</li></ul></article></body></html>")
                    pages.append((url, source_id, article.id, None, html))
        session.execute(insert(UrlStateRow), states)
        ids = dict(session.execute(select(UrlStateRow.url, UrlStateRow.id)).all())
        rows = []
        for url, source_id, article_id, reason, page_html in pages:
            body = (page_html or "<html><body>Not found</body></html>").encode()
            rows.append({"source_id": source_id, "url_state_id": ids[url], "url": url,
                         "final_url": url, "status": 404 if reason == "http_error" else 200,
                         "headers": {"content-type": "text/html; charset=utf-8"},
                         "body": zlib.compress(body), "body_size": len(body), "content_hash": "0" * 64,
                         "hints": {}, "fetched_at": now, "processed_at": now,
                         "outcome": "article" if article_id else "rejected", "reason": reason,
                         "article_id": article_id})
        session.execute(insert(PageRow), rows)


def run_cli(config_path: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (bytes) of one
    ``newsdedup report`` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "newsdedup", "--config", str(config_path),
                                "report", "-o", str(out), "--since", "30d"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"newsdedup report failed:\n{stderr}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def imports_rss() -> int:
    """Peak RSS (bytes) of a process that only imports what ``newsdedup report`` imports."""
    process = subprocess.Popen([sys.executable, "-c", "import newsdedup.cli, newsdedup.report, "
                                "pipeline.extract, jinja2"], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_maxrss * 1024


def in_process(config_path: Path, url: str) -> tuple[float, int, int]:
    """Seconds, peak traced bytes and HTML characters of build + render here."""
    config = config_from_mapping({**yaml.safe_load(config_path.read_text()), "database": {"url": url}})
    db = Database(url)
    try:
        gc.collect()
        tracemalloc.start()
        began = time.perf_counter()
        report = build_report(config, db, since=utcnow() - timedelta(days=30))
        html = render(report)
        seconds = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        db.dispose()
    return seconds, peak, len(html)


def run_backend(name: str, url: str, sizes: list[int], repeat: int,
                folder: Path) -> list[dict[str, float]]:
    corpus = Corpus()
    config_path = folder / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(config_mapping(url)))
    db = Database(url)
    results = []
    try:
        upgrade(db)
        stored = 0
        for size in sizes:
            print(f"[{name}] filling to {size} articles", flush=True)
            now = utcnow()
            fill(db, corpus, stored, size, now)
            stored = size
            if size == sizes[0]:
                add_crawl_history(db, now)
            out = folder / f"report-{name}-{size}.html"
            best, cpu, rss = float("inf"), float("inf"), 0
            for _ in range(repeat):
                seconds, used, peak = run_cli(config_path, out)
                best, cpu, rss = min(best, seconds), min(cpu, used), max(rss, peak)
            traced_s, traced, _chars = in_process(config_path, url)
            base = imports_rss()
            result = {"size": size, "seconds": best, "cpu": cpu, "rss": rss, "html": out.stat().st_size,
                      "traced": traced, "traced_s": traced_s, "base": base}
            results.append(result)
            print(f"[{name}] {size:>7} articles: {best:.2f} s wall, {cpu:.2f} s CPU (best of "
                  f"{repeat}), peak RSS "
                  f"{rss / 2**20:.1f} MiB (imports alone {base / 2**20:.1f} MiB), HTML {out.stat().st_size / 2**20:.2f} MiB; in process "
                  f"{traced_s:.2f} s, {traced / 2**20:.1f} MiB traced", flush=True)
    finally:
        db.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="also measure on this Postgres server")
    parser.add_argument("--sqlite-dir", help="where the SQLite file goes (default: a temp dir)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    summary: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(dir=args.sqlite_dir) as tmp:
        folder = Path(tmp)
        if not args.skip_sqlite:
            summary["SQLite"] = run_backend("SQLite", f"sqlite:///{folder / 'report.db'}", sizes,
                                            args.repeat, folder)
        if args.database_url:
            url, drop = fresh_postgres(args.database_url)
            try:
                summary["Postgres"] = run_backend("Postgres", url, sizes, args.repeat, folder)
            finally:
                drop()
    print("\n== newsdedup report, by stored articles ==")
    print("| backend | articles | wall s | CPU s | peak RSS MiB (imports alone) | HTML MiB | traced MiB |")
    for backend, results in summary.items():
        for r in results:
            print(f"| {backend} | {int(r['size']):,} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['rss'] / 2**20:.1f} "
                  f"({r['base'] / 2**20:.1f}) | {r['html'] / 2**20:.2f} | {r['traced'] / 2**20:.1f} |")
        first, last = results[0], results[-1]
        print(f"| {backend} | ratio | {last['seconds'] / first['seconds']:.2f}x | "
              f"{last['cpu'] / first['cpu']:.2f}x | "
              f"{last['rss'] / first['rss']:.2f}x | {last['html'] / first['html']:.2f}x | "
              f"{last['traced'] / first['traced']:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
