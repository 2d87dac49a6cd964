"""The process phase with 1 and with N extraction workers, side by side, in one run.

Usage:
    python bench/workers.py [--workers 1,2] [--database-url URL] [--limit N] [--repeat K]

Every page of the extraction dev sets (extraction-dev and extraction-wcxb-dev under
``$NEWSDEDUP_DEV_DATA`` or ../shared/data) is stored as a pending page of a fresh
database, one source per site, then ``Processor.run`` (extraction, storing, dedup) runs
over them: once per worker count, each on its own fresh copy. Printed per run: wall
seconds of the page phase (extraction and storing) and of dedup, articles/s, the peak
memory of the run's process and of each worker. Then the per-page costs measured in the
one-worker run (extraction alone, timed in-process over the same pages; what the run's
process spends per page besides extraction), and what they give for more cores. The
workers' CPU time is what they report themselves: the fork server's one-time imports
and language model (~1.2 s per run's process) are not in it; the bench loads the model
in its own process first too, so the one-worker run does not pay it either. The
projection takes dedup's cost from the run it follows: after a pooled run, the
workers have already sketched the articles' paragraphs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


from newsdedup.core.config import Config, ExtractConfig  # noqa: E402
from newsdedup.core.records import FetchedPage  # noqa: E402
from newsdedup.pipeline.extract import Extractor  # noqa: E402
from newsdedup.pipeline.extract.language import load_model  # noqa: E402
from newsdedup.pipeline.process import Processor  # noqa: E402
from newsdedup.storage.db import Database  # noqa: E402
from newsdedup.storage.migrate import upgrade  # noqa: E402
from newsdedup.storage.models import UrlStateRow  # noqa: E402
from newsdedup.storage.pages import page_values, save_pages  # noqa: E402
from newsdedup.storage.sources import ensure_sources  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup import fresh_database  # noqa: E402  # the sibling benchmark's helper

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def data_root() -> Path:
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) if env else REPO / ".." / "shared" / "data"


def load_pages(limit: int | None) -> list[FetchedPage]:
    """Every page of both extraction dev sets, as fetched pages of one source per site."""
    root = data_root()
    found: list[tuple[str, bytes]] = []
    truth = json.loads((root / "extraction-dev" / "ground-truth.json").read_text("utf-8"))
    for page_id in sorted(truth):
        body = (root / "extraction-dev" / "html" / f"{page_id}.html.gz").read_bytes()
        found.append((truth[page_id]["url"], gzip.decompress(body)))
    index = json.loads((root / "extraction-wcxb-dev" / "index.json").read_text("utf-8"))
    for page_id in sorted(index):
        path = root / "extraction-wcxb-dev" / "html" / f"{page_id}.html.gz"
        if path.is_file():
            found.append((index[page_id]["url"], gzip.decompress(path.read_bytes())))
    pages = []
    seen: set[str] = set()
    for url, body in found[:limit]:
        if url in seen:
            continue
        seen.add(url)
        host = (urlsplit(url).hostname or "unknown").removeprefix("www.")
        source = "".join(c if c.isalnum() else "-" for c in host.lower())[:60]
        pages.append(FetchedPage(source=source, url=url, final_url=url, status=200,
                                 headers={"content-type": "text/html"}, body=body,
                                 fetched_at=NOW))
    return pages


def store_pending(db: Database, pages: list[FetchedPage]) -> None:
    with db.session() as session:
        ids = ensure_sources(session, {page.source for page in pages})
        rows = []
        for page in pages:
            state = UrlStateRow(source_id=ids[page.source], url=page.url, kind="article",
                                state="fetched", first_seen_at=NOW, last_seen_at=NOW)
            session.add(state)
            session.flush()
            rows.append(page_values(page, source_id=ids[page.source], url_state_id=state.id,
                                    run_id=None))
        save_pages(session, rows)


def config_for(pages: list[FetchedPage], workers: int) -> Config:
    sources = [{"name": name, "allowed_domains": [name], "start_urls": [f"https://{name}/"]}
               for name in sorted({page.source for page in pages})]
    return Config.model_validate({"sources": sources, "process": {"workers": workers}})


def run_once(pages: list[FetchedPage], workers: int, url: str) -> dict[str, float]:
    """One run; wall and CPU seconds of its page phase and dedup. CPU time does not
    depend on what else the machine runs, wall time does."""
    db = Database(url)
    try:
        upgrade(db)
        store_pending(db, pages)
        processor = Processor(config_for(pages, workers), db)
        marks: list[tuple[float, float]] = []
        started, cpu_started = time.perf_counter(), time.process_time()
        report = processor.run(progress=lambda done, total: marks.append(
            (time.perf_counter(), time.process_time())))
        finished, cpu_finished = time.perf_counter(), time.process_time()
        total = report.total()
        extraction = processor.extraction
        peaks = extraction.peak_kib if extraction is not None else {}
        page_wall, page_cpu = marks[-1]
        return {
            "articles": float(total["extract/article"]),
            "pages_s": page_wall - started,
            "dedup_s": finished - page_wall,
            "total_s": finished - started,
            "parent_page_cpu": page_cpu - cpu_started,
            "dedup_cpu": cpu_finished - page_cpu,
            "workers_cpu": sum(extraction.cpu_s.values()) if extraction is not None else 0.0,
            "worker_peak_mib": max(peaks.values(), default=0) / 1024,
            "sketched": float(extraction.sketches.hits) if extraction is not None else 0.0,
            "deduplicated": float(total["dedup/articles"]),
        }
    finally:
        db.dispose()


def extraction_cost(pages: list[FetchedPage]) -> float:
    """CPU seconds per page of extraction alone, in this process (after one warm-up page)."""
    extractor = Extractor(ExtractConfig())
    extractor.extract(pages[0])
    started = time.process_time()
    for page in pages:
        extractor.extract(page)
    return (time.process_time() - started) / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (first is the baseline)")
    parser.add_argument("--database-url", default=None,
                        help="a Postgres server (a schema per run is made in it); default SQLite files")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (best kept)")
    args = parser.parse_args()
    pages = load_pages(args.limit)
    load_model()  # as the workers' fork server does: no run pays it
    counts = [int(part) for part in args.workers.split(",")]
    print(f"{len(pages)} pages ({sum(len(p.body) for p in pages) / 2**20:.1f} MiB of HTML), "
          f"{len({p.source for p in pages})} sources, {os.cpu_count()} CPUs, "
          f"{'Postgres' if args.database_url else 'SQLite'}")
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(args.repeat):
            for workers in counts:
                url = fresh_database(args.database_url, f"bench_workers_{workers}_{attempt}", Path(tmp))
                result = run_once(pages, workers, url)
                best = results.get(workers)
                if best is None or result["total_s"] < best["total_s"]:
                    results[workers] = result
    print(f"{'workers':>7} {'pages s':>8} {'dedup s':>8} {'total s':>8} {'art/s':>7} "
          f"{'page-phase x':>12} {'total x':>8} {'worker MiB':>10}")
    base = results[counts[0]]
    for workers in counts:
        r = results[workers]
        print(f"{workers:>7} {r['pages_s']:>8.1f} {r['dedup_s']:>8.1f} {r['total_s']:>8.1f} "
              f"{r['articles'] / r['total_s']:>7.1f} {base['pages_s'] / r['pages_s']:>12.2f} "
              f"{base['total_s'] / r['total_s']:>8.2f} {r['worker_peak_mib']:>10.0f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the run's process (all runs): {own:.0f} MiB")
    n = len(pages)
    print("CPU ms per page (independent of the machine's other load):")
    for workers in counts:
        r = results[workers]
        print(f"  {workers} worker(s): run's process {r['parent_page_cpu'] / n * 1000:.1f} "
              f"(page phase) + {r['dedup_cpu'] / n * 1000:.1f} (dedup); workers "
              f"{r['workers_cpu'] / n * 1000:.1f}")
    for workers in counts:
        r = results[workers]
        print(f"  {workers} worker(s): dedup took {r['sketched']:.0f} of {r['deduplicated']:.0f} "
              "articles' paragraph sketches from the workers")
    per_page = extraction_cost(pages)
    print(f"  extraction alone, in-process: {per_page * 1000:.1f}")
    pooled = [w for w in counts if w > 1]
    if 1 in results and pooled:
        one, many = results[1], results[pooled[-1]]
        serial = many["parent_page_cpu"] / n  # storing, reading, handing pages out
        parallel = many["workers_cpu"] / n  # extraction in the workers
        single = (one["parent_page_cpu"] + one["dedup_cpu"]) / n
        print("from these costs, on an otherwise idle machine (as many workers as cores):")
        for cores in (1, 2, 4, 8, 16):
            # The workers and the run's process share the cores; the run's process alone
            # bounds the page phase. Dedup follows it, in the run's process.
            if cores == 1:
                page_time, dedup = one["parent_page_cpu"] / n, one["dedup_cpu"] / n
            else:
                page_time, dedup = max((serial + parallel) / cores, serial), many["dedup_cpu"] / n
            rate = 1 / (page_time + dedup)
            print(f"  {cores:>2} cores: page phase {1 / page_time:>6.0f} pages/s, with dedup "
                  f"{rate:>5.0f} pages/s ({rate * single:.2f}x one worker)")

if __name__ == "__main__":
    main()
