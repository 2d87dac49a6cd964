"""Dedup cost per new article against the size of the stored corpus.

Usage:
    python bench/dedup_scale.py [--sizes 10000,200000] [--new 1000] [--database-url URL]
                                [--repeat 3] [--sqlite-dir DIR]

A corpus of generated news-like articles (Zipf-distributed vocabulary, capitalised
names, figures, per-outlet headers and footers, a fifth of them syndicated copies) is
imported through ``import_paths`` into a fresh SQLite file (and a Postgres schema with
``--database-url``) up to each size. Articles are dated at 300 a day going back from
yesterday (article 0 is the newest), so every size holds the same recent weeks and the
larger ones add older history, as a corpus that grows over time does. At each size the
same ``--new`` articles (dated in the last day, a fifth of them copies of recent
stored stories) are imported and timed, then removed again, ``--repeat`` times (best
kept). The time per new article at the largest size over the one at the smallest is the
growth factor (target: at most 1.5). ``--no-window`` disables the date window, so that
every stored article is within reach of the look-ups.

``--bulk`` (Postgres only) imports the first 90-day block (27,000 articles) for real
and writes every further whole block as a time-shifted copy of that block's rows
(``bulk_fill.py``), so that a million stored articles take minutes, not hours.
``--verify-url`` names a database holding the same corpus imported for real: its row
counts per table and its dedup outcomes for the new articles are printed beside ours.
At each size the row count and ``pg_total_relation_size`` of every table are printed,
and the bytes per stored article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import text

from newsdedup.core.config import Config
from newsdedup.pipeline.dedup.views import drop_signatures
from newsdedup.pipeline.imports import import_paths
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bulk_fill
from dedup import fresh_postgres  # the sibling benchmark's helper

NEW_SOURCE_PREFIX = "scale-new"
TABLES = tuple(bulk_fill.TABLES)
TODAY = datetime(2026, 11, 1, tzinfo=UTC)
PER_DAY = 300
VOCABULARY = 40_000
OUTLETS = 300


class Corpus:
    """Deterministic generated articles: ``article(n)`` is always the same text."""

    def __init__(self, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = rng.integers(2, 11, VOCABULARY)
        self.words = ["".join(rng.choice(letters, n)) for n in lengths]
        ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.07
        self.cumulative = np.cumsum(weights / weights.sum())
        self.names = [w.capitalize() for w in self.words[5000:9000]]
        self.outlets = [
            (f"outlet-{i:03d}",
             f"Filed by the {self.names[i].upper()} news desk {{day}} {{month}} {{year}}",
             f"Subscribe to {self.names[i]} {self.names[i + 1]} for independent reporting from "
             f"{self.names[i + 2]} and beyond, and follow us on every network you use.")
            for i in range(OUTLETS)
        ]

    def _sentence(self, rng: np.random.Generator) -> str:
        count = int(rng.integers(8, 24))
        picks = np.searchsorted(self.cumulative, rng.random(count))
        words = [self.words[min(int(p), VOCABULARY - 1)] for p in picks]
        for position in rng.choice(count, size=max(1, count // 6), replace=False):
            words[position] = (self.names[int(rng.integers(len(self.names)))]
                               if rng.random() < 0.7 else str(int(rng.integers(2, 5000))))
        return " ".join(words).capitalize() + "."

    def story(self, number: int) -> list[str]:
        rng = np.random.default_rng(number)
        return [" ".join(self._sentence(rng) for _ in range(int(rng.integers(2, 4))))
                for _ in range(int(rng.integers(4, 9)))]

    def record(self, number: int, published: datetime, *, outlet: int | None = None,
               story: int | None = None, url_prefix: str = "https://gen.example") -> dict[str, Any]:
        """One JSON-lines record: the story's body framed by its outlet's header/footer."""
        rng = random.Random(number)
        outlet = rng.randrange(OUTLETS) if outlet is None else outlet
        name, header, footer = self.outlets[outlet]
        body = self.story(number if story is None else story)
        if story is not None:  # a syndicated copy: the end dropped, a word changed
            body = body[: max(2, len(body) - rng.randint(0, 2))]
            body[0] = body[0].replace(" the ", " a ", 1)
        paragraphs = [header.format(day=published.day, month=published.strftime("%B"),
                                    year=published.year), *body, footer]
        return {"url": f"{url_prefix}/{name}/{number}", "title": body[0][:60],
                "text": "\n\n".join(paragraphs), "published_at": published.isoformat(),
                "source": name}


def prefill_records(corpus: Corpus, start: int, stop: int) -> Iterator[dict[str, Any]]:
    for number in range(start, stop):
        published = TODAY - timedelta(days=1, seconds=86400 * number / PER_DAY)
        copy_of = number - random.Random(number).randint(1, 40) if number % 5 == 4 and number > 50 else None
        yield corpus.record(number, published, story=copy_of)


def new_records(corpus: Corpus, count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(99)
    for index in range(count):
        number = 10_000_000 + index
        # After every stored article: a copy never becomes its cluster's canonical, so
        # taking the new articles out again restores the stored state exactly.
        published = TODAY - timedelta(hours=rng.randint(0, 20))
        copy_of = rng.randint(0, 200) if index % 5 == 0 else None
        yield corpus.record(number, published, story=copy_of,
                            url_prefix=f"https://{NEW_SOURCE_PREFIX}.example")


def write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")


def fill(db: Database, config: Config, corpus: Corpus, start: int, stop: int, folder: Path) -> float:
    """Import generated articles [start, stop) in chunks; returns seconds."""
    began = time.perf_counter()
    for chunk in range(start, stop, 10_000):
        path = folder / "fill.jsonl"
        write_jsonl(path, prefill_records(corpus, chunk, min(stop, chunk + 10_000)))
        import_paths(config, db, [path], source=None, fmt="jsonl")
        print(f"  filled {min(stop, chunk + 10_000)} articles "
              f"({time.perf_counter() - began:.0f} s)", flush=True)
    return time.perf_counter() - began


def fill_bulk(db: Database, config: Config, corpus: Corpus, stored: int, size: int,
              folder: Path) -> float:
    """Articles [stored, size): whole blocks after the first as copies of it, the rest
    imported; returns seconds."""
    began = time.perf_counter()
    windowed = config.dedup.date_window_days > 0
    while stored < size:
        block, offset = divmod(stored, bulk_fill.BLOCK)
        if block >= 1 and offset == 0 and stored + bulk_fill.BLOCK <= size:
            bulk_fill.replicate(db, block, windowed=windowed)
            stored += bulk_fill.BLOCK
            print(f"  copied block {block}: {stored} articles "
                  f"({time.perf_counter() - began:.0f} s)", flush=True)
            continue
        stop = min(size, (block + 1) * bulk_fill.BLOCK)
        fill(db, config, corpus, stored, stop, folder)
        if stop == bulk_fill.BLOCK:
            bulk_fill.snapshot(db)
        stored = stop
    with db.session() as session:
        session.execute(text(f"ANALYZE {', '.join(TABLES)}"))
    return time.perf_counter() - began


def table_stats(db: Database) -> tuple[dict[str, int], int]:
    """Rows per dedup/article table and bytes of every table of ours (Postgres)."""
    with db.reader() as session:
        counts = {table: int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                  for table in TABLES}
        size = session.execute(text(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT LIKE 'bulk_base_%'"
        )).scalar_one()
    return counts, int(size)


def print_stats(name: str, db: Database, verify: Database | None) -> int:
    counts, size = table_stats(db)
    other = table_stats(verify)[0] if verify is not None else {}
    for table, count in counts.items():
        beside = f"  (imported for real: {other[table]})" if table in other else ""
        print(f"[{name}]   {table:<24} {count:>11}{beside}", flush=True)
    print(f"[{name}]   {size / 2**20:.0f} MiB in all tables, "
          f"{size / max(1, counts['articles']):.0f} bytes per stored article", flush=True)
    return size


def remove_new(db: Database) -> None:
    """Take the measured articles out again: their dedup data as an update would, then
    their rows, with foreign-key checks off (``articles.duplicate_of`` has no index, so
    each deleted article would otherwise cost a scan of the whole table)."""
    with db.reader() as session:
        urls = text(f"SELECT id FROM articles WHERE canonical_url LIKE 'https://{NEW_SOURCE_PREFIX}.example/%'")
        articles = [row[0] for row in session.execute(urls)]
    if not articles:
        return
    listed = ",".join(map(str, articles))
    with db.session() as session:
        clusters = [row[0] for row in session.execute(
            text(f"SELECT DISTINCT cluster_id FROM articles WHERE id IN ({listed}) AND cluster_id IS NOT NULL"))]
        for source_id, _article, groups in drop_signatures(session, articles):
            for fingerprint in groups:
                session.execute(text(
                    "UPDATE paragraph_fingerprints SET article_count = article_count - 1 "
                    "WHERE source_id = :s AND fingerprint = :f"), {"s": source_id, "f": fingerprint})
    statements = [
        f"UPDATE pages SET article_id = NULL WHERE article_id IN ({listed})",
        f"UPDATE articles SET duplicate_of = NULL WHERE duplicate_of IN ({listed})",
        f"DELETE FROM paragraphs WHERE article_id IN ({listed})",
        f"DELETE FROM article_revisions WHERE article_id IN ({listed})",
        f"DELETE FROM articles WHERE id IN ({listed})",
        # Paragraph groups only the new articles had: as if they had never been seen.
        "DELETE FROM paragraph_bands WHERE fingerprint IN "
        "(SELECT fingerprint FROM paragraph_fingerprints WHERE article_count <= 0)",
        "DELETE FROM paragraph_fingerprints WHERE article_count <= 0",
    ]
    for cluster in clusters:
        statements.append(
            f"UPDATE clusters SET size = (SELECT COUNT(*) FROM articles WHERE cluster_id = {cluster}) "
            f"WHERE id = {cluster}"
        )
        statements.append(
            f"DELETE FROM clusters WHERE id = {cluster} AND NOT EXISTS "
            f"(SELECT 1 FROM articles WHERE cluster_id = {cluster})"
        )
    if db.dialect == "postgresql":
        with db.session() as session:
            session.execute(text("SET LOCAL session_replication_role = replica"))
            for statement in statements:
                session.execute(text(statement))
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("BEGIN IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
    finally:
        raw.close()


def backend_cpu(db: Database) -> dict[int, float]:
    """CPU seconds so far of each server process serving this database (Postgres on this
    machine, read from /proc; empty elsewhere)."""
    if db.dialect != "postgresql":
        return {}
    with db.reader() as session:
        pids = [row[0] for row in session.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend'"))]
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def measure(db: Database, config: Config, path: Path, count: int,
            repeat: int) -> tuple[float, float, dict[str, int]]:
    """Best wall time and best CPU time (this process and its database server
    processes) per new article over ``repeat`` imports; the dedup outcomes."""
    best, best_cpu, stats = float("inf"), float("inf"), {}
    for _ in range(repeat):
        server = backend_cpu(db)
        began, cpu = time.perf_counter(), time.process_time()
        report = import_paths(config, db, [path], source=None, fmt="jsonl")
        best = min(best, (time.perf_counter() - began) / count)
        spent = time.process_time() - cpu + sum(
            seconds - server.get(pid, 0.0) for pid, seconds in backend_cpu(db).items())
        best_cpu = min(best_cpu, spent / count)
        stats = {k.split("/", 1)[1]: v for k, v in report.dedup.items()
                 if k in ("dedup/cluster_joined", "dedup/exact_copy", "dedup/cluster_new")}
        remove_new(db)
    return best, best_cpu, stats


def run_backend(name: str, url: str, config: Config, sizes: list[int], count: int, repeat: int,
                folder: Path, *, bulk: bool = False, verify_url: str | None = None
                ) -> list[tuple[int, float, float]]:
    corpus = Corpus()
    db = Database(url)
    verify = Database(verify_url) if verify_url else None
    results = []
    postgres = db.dialect == "postgresql"
    try:
        upgrade(db)
        stored = 0
        for size in sizes:
            print(f"[{name}] filling to {size} articles", flush=True)
            seconds = (fill_bulk if bulk else fill)(db, config, corpus, stored, size, folder)
            print(f"[{name}] filled to {size} in {seconds:.0f} s", flush=True)
            stored = size
            check = verify if verify is not None and table_stats(verify)[0]["articles"] == size else None
            if postgres:
                print_stats(name, db, check)
            new_path = folder / "new.jsonl"
            write_jsonl(new_path, new_records(corpus, count))
            per_article, cpu, stats = measure(db, config, new_path, count, repeat)
            results.append((size, per_article, cpu))
            print(f"[{name}] {size:>7} stored: {per_article * 1000:.3f} ms per new article, "
                  f"CPU {cpu * 1000:.3f} ms (best of {repeat}; {stats}; load "
                  f"{os.getloadavg()[0]:.1f})", flush=True)
            if check is not None:
                _, _, verified = measure(check, config, new_path, count, 1)
                print(f"[{name}] the database imported for real: {verified}", flush=True)
    finally:
        if bulk:
            bulk_fill.drop_snapshot(db)
        db.dispose()
        if verify is not None:
            verify.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,200000")
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="also measure on this Postgres server")
    parser.add_argument("--sqlite-dir", help="where the SQLite file goes (default: a temp dir)")
    parser.add_argument("--no-window", action="store_true", help="dedup.date_window_days = 0")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--bulk", action="store_true",
                        help="Postgres: whole 90-day blocks after the first as copies of it")
    parser.add_argument("--verify-url", help="a database holding the largest size imported for real")
    args = parser.parse_args()
    config = Config(dedup={"date_window_days": 0} if args.no_window else {})
    sizes = sorted(int(s) for s in args.sizes.split(","))
    summary: dict[str, list[tuple[int, float, float]]] = {}
    with tempfile.TemporaryDirectory(dir=args.sqlite_dir) as tmp:
        folder = Path(tmp)
        if not args.skip_sqlite:
            summary["SQLite"] = run_backend("SQLite", f"sqlite:///{folder / 'scale.db'}", config,
                                            sizes, args.new, args.repeat, folder)
        if args.database_url:
            url, drop = fresh_postgres(args.database_url)
            try:
                summary["Postgres"] = run_backend("Postgres", url, config, sizes, args.new,
                                                  args.repeat, folder, bulk=args.bulk,
                                                  verify_url=args.verify_url)
            finally:
                drop()
    print("\n== per new article, by stored corpus size (wall / CPU incl. the database server) ==")
    for backend, results in summary.items():
        cells = "  ".join(f"{size}: {seconds * 1000:.3f} / {cpu * 1000:.3f} ms"
                          for size, seconds, cpu in results)
        growth = results[-1][1] / results[0][1]
        cpu_growth = results[-1][2] / results[0][2] if results[0][2] else float("nan")
        print(f"{backend:<9} {cells}  growth x{growth:.2f} wall, x{cpu_growth:.2f} CPU "
              "(target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
