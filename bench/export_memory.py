"""Export memory: `newsdedup export` streams, so its peak memory must not grow with the
number of stored articles.

Usage:
    python bench/export_memory.py [--sizes 10000,100000] [--words 400] [--database-dir DIR]

For each size, fills a fresh SQLite database with that many finished articles (about
``--words`` words each, inserted in bulk), then runs `newsdedup export` (JSON lines to
/dev/null) and `newsdedup export --format csv` in subprocesses and prints their peak
resident memory (ru_maxrss of the child) and throughput, and the ratio between the
largest and the smallest size.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdedup.core.records import utcnow  # noqa: E402
from newsdedup.storage.db import Database  # noqa: E402
from newsdedup.storage.migrate import upgrade  # noqa: E402
from newsdedup.storage.models import ArticleRow, ClusterRow, SourceRow  # noqa: E402

VOCABULARY = [
    "prisoner", "exchange", "talks", "ministry", "soldiers", "border", "negotiators",
    "agreed", "swap", "statement", "officials", "released", "captivity", "delegation",
    "Istanbul", "humanitarian", "bodies", "lists", "families", "coordination",
    "headquarters", "week", "round",
]


def fill(url: str, count: int, words: int) -> None:
    db = Database(url)
    upgrade(db)
    rng = random.Random(count)
    now = utcnow()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with db.session() as session:
        session.execute(insert(SourceRow), [{"name": f"outlet-{i}", "created_at": now} for i in range(10)])
    batch = 5000
    for first in range(0, count, batch):
        rows = []
        clusters = []
        for index in range(first, min(count, first + batch)):
            body = "\n\n".join(
                " ".join(rng.choice(VOCABULARY) for _ in range(words // 5)) for _ in range(5)
            )
            rows.append({
                "id": index + 1, "source_id": index % 10 + 1,
                "canonical_url": f"https://outlet-{index % 10}.example/news/{index}",
                "url": f"https://outlet-{index % 10}.example/news/{index}",
                "title": f"Story number {index}", "authors": ["Staff Writer"],
                "published_at": start + timedelta(minutes=index), "language": "en",
                "text": body, "word_count": words, "extracted_hash": f"{index:064x}",
                "origin": "crawl", "revision": 1, "first_seen_at": now, "updated_at": now,
                "dedup_state": "done", "cluster_id": index + 1, "is_canonical": True,
            })
            clusters.append({"id": index + 1, "canonical_article_id": None, "size": 1,
                             "created_at": now, "updated_at": now})
        with db.session() as session:
            session.execute(insert(ClusterRow), clusters)
            session.execute(insert(ArticleRow), rows)
    db.dispose()


def run_export(config: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one export subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsdedup", "--config", str(config), "export", *args,
                    "-o", os.devnull], check=True, cwd=REPO)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: run sizes smallest first.
    return took, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--database-dir", type=Path)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    folder = args.database_dir or Path(tempfile.mkdtemp(prefix="export-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        path = folder / f"export-{size}.db"
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        fill(f"sqlite:///{path}", size, args.words)
        filled = time.perf_counter() - started
        config = folder / f"export-{size}.yaml"
        config.write_text(f"database:\n  url: sqlite:///{path}\n")
        jsonl = run_export(config)
        csv = run_export(config, "--format", "csv")
        results.append((size, jsonl, csv))
        print(f"{size:>8} articles (filled in {filled:.1f}s, {path.stat().st_size / 2**20:.0f} MiB): "
              f"jsonl {jsonl[0]:.1f}s {size / jsonl[0]:,.0f}/s peak {jsonl[1]:.1f} MiB; "
              f"csv {csv[0]:.1f}s peak {csv[1]:.1f} MiB", flush=True)
    small, large = results[0], results[-1]
    print(f"peak memory ratio {large[0]}/{small[0]} articles: jsonl "
          f"{large[1][1] / small[1][1]:.2f}x, csv {large[2][1] / small[2][1]:.2f}x")


if __name__ == "__main__":
    main()
