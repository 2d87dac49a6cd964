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
"""

from __future__ import annotations

import argparse
import json
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
from dedup import fresh_postgres  # the sibling benchmark's helper

NEW_SOURCE_PREFIX = "scale-new"
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


def measure(db: Database, config: Config, path: Path, count: int,
            repeat: int) -> tuple[float, dict[str, int]]:
    best, stats = float("inf"), {}
    for _ in range(repeat):
        began = time.perf_counter()
        report = import_paths(config, db, [path], source=None, fmt="jsonl")
        best = min(best, (time.perf_counter() - began) / count)
        stats = {k.split("/", 1)[1]: v for k, v in report.dedup.items()
                 if k in ("dedup/cluster_joined", "dedup/exact_copy", "dedup/cluster_new")}
        remove_new(db)
    return best, stats


def run_backend(name: str, url: str, config: Config, sizes: list[int], count: int, repeat: int,
                folder: Path) -> list[tuple[int, float]]:
    corpus = Corpus()
    db = Database(url)
    results = []
    try:
        upgrade(db)
        stored = 0
        for size in sizes:
            print(f"[{name}] filling to {size} articles", flush=True)
            fill(db, config, corpus, stored, size, folder)
            stored = size
            new_path = folder / "new.jsonl"
            write_jsonl(new_path, new_records(corpus, count))
            per_article, stats = measure(db, config, new_path, count, repeat)
            results.append((size, per_article))
            print(f"[{name}] {size:>7} stored: {per_article * 1000:.3f} ms per new article "
                  f"(best of {repeat}; {stats})", flush=True)
    finally:
        db.dispose()
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
    args = parser.parse_args()
    config = Config(dedup={"date_window_days": 0} if args.no_window else {})
    sizes = sorted(int(s) for s in args.sizes.split(","))
    summary: dict[str, list[tuple[int, float]]] = {}
    with tempfile.TemporaryDirectory(dir=args.sqlite_dir) as tmp:
        folder = Path(tmp)
        if not args.skip_sqlite:
            summary["SQLite"] = run_backend("SQLite", f"sqlite:///{folder / 'scale.db'}", config,
                                            sizes, args.new, args.repeat, folder)
        if args.database_url:
            url, drop = fresh_postgres(args.database_url)
            try:
                summary["Postgres"] = run_backend("Postgres", url, config, sizes, args.new,
                                                  args.repeat, folder)
            finally:
                drop()
    print("\n== per new article, by stored corpus size ==")
    for backend, results in summary.items():
        cells = "  ".join(f"{size}: {seconds * 1000:.3f} ms" for size, seconds in results)
        growth = results[-1][1] / results[0][1]
        print(f"{backend:<9} {cells}  growth x{growth:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
