"""Extraction quality and speed: our Extractor against plain trafilatura on extraction-dev.

Usage:
    python bench/extraction.py [--data DIR] [--limit N] [--worst N]

Both extractors run on every page in the same process, one after the other per page, so
that they see the same machine state. Token precision/recall/F1 are computed exactly as
the data set's README defines them (``pipeline.extract.metrics``). trafilatura runs as
``trafilatura.extract(html)`` with default settings; its title comes from
``trafilatura.extract_metadata`` outside the timed call, since plain ``extract`` returns
no title.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from newsdedup.config import ExtractConfig
from newsdedup.records import Article, FetchedPage
from pipeline.extract import Extractor
from pipeline.extract.metrics import PageScore, Summary, score_page, summarize
from pipeline.extract.text import normalize_space

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "extraction-dev"


@dataclass
class Run:
    """One extractor's scores, titles and time over the set."""

    name: str
    scores: dict[str, PageScore]
    titles_ok: int
    seconds: float

    def summary(self) -> Summary:
        return summarize(self.scores.values())


def data_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) / "extraction-dev" if env else DEFAULT_DATA


def load(directory: Path, limit: int | None) -> list[tuple[str, dict[str, str], bytes]]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        body = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, truth[page_id], body))
    return pages


def _page(page_id: str, url: str, body: bytes) -> FetchedPage:
    return FetchedPage(
        source=page_id.split("_")[1].lower(),
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html"},
        body=body,
        fetched_at=datetime.now(UTC),
    )


def _same_title(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and normalize_space(predicted or "") == normalize_space(gold)


def run(pages: list[tuple[str, dict[str, str], bytes]]) -> tuple[Run, Run, dict[str, str]]:
    extractor = Extractor(ExtractConfig())
    ours = Run("newsdedup", {}, 0, 0.0)
    theirs = Run("trafilatura", {}, 0, 0.0)
    rejected: dict[str, str] = {}
    # Warm-up: both import lazily and build caches on first use.
    first_id, first_truth, first_body = pages[0]
    extractor.extract(_page(first_id, first_truth["url"], first_body))
    trafilatura.extract(first_body)
    for page_id, truth, body in pages:
        page = _page(page_id, truth["url"], body)
        started = time.perf_counter()
        result = extractor.extract(page)
        ours.seconds += time.perf_counter() - started
        started = time.perf_counter()
        their_text = trafilatura.extract(body)
        theirs.seconds += time.perf_counter() - started

        gold = truth["articleBody"]
        if isinstance(result, Article):
            ours.scores[page_id] = score_page(result.text, gold)
            ours.titles_ok += _same_title(result.title, truth["title"])
        else:
            ours.scores[page_id] = score_page(None, gold)
            rejected[page_id] = f"{result.reason}: {result.detail}"
        theirs.scores[page_id] = score_page(their_text, gold)
        metadata = trafilatura.extract_metadata(body)
        theirs.titles_ok += _same_title(metadata.title if metadata else None, truth["title"])
    return ours, theirs, rejected


def table(ours: Run, theirs: Run, pages: int) -> str:
    a, b = ours.summary(), theirs.summary()
    rows = [
        ("precision (mean)", a.precision, b.precision, "{:.4f}"),
        ("recall (mean)", a.recall, b.recall, "{:.4f}"),
        ("F1 (of the means)", a.f1, b.f1, "{:.4f}"),
        ("mean per-page F1", a.mean_page_f1, b.mean_page_f1, "{:.4f}"),
        ("share of pages F1 >= 0.9", a.share_f1_90, b.share_f1_90, "{:.4f}"),
        ("title exact match", ours.titles_ok / pages, theirs.titles_ok / pages, "{:.4f}"),
        ("ms/page", 1000 * ours.seconds / pages, 1000 * theirs.seconds / pages, "{:.1f}"),
    ]
    lines = [
        f"| metric ({pages} pages) | newsdedup | trafilatura 2.3.1 | ours/trafilatura |",
        "|---|---:|---:|---:|",
    ]
    for label, mine, other, fmt in rows:
        ratio = f"{mine / other:.3f}" if other else "n/a"
        lines.append(f"| {label} | {fmt.format(mine)} | {fmt.format(other)} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="extraction-dev directory (default ../shared/data/extraction-dev)")
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--worst", type=int, default=0, help="also list the N pages where we trail most")
    args = parser.parse_args(argv)
    directory = data_dir(args.data)
    if not (directory / "ground-truth.json").exists():
        print(f"extraction-dev not found at {directory} (use --data or NEWSDEDUP_DEV_DATA)", file=sys.stderr)
        return 2
    pages = load(directory, args.limit)
    ours, theirs, rejected = run(pages)
    print(table(ours, theirs, len(pages)))
    if rejected:
        print(f"\nrejected by us ({len(rejected)}):")
        for page_id, why in rejected.items():
            print(f"  {page_id}: {why}")
    if args.worst:
        gaps = sorted(ours.scores, key=lambda k: ours.scores[k].f1 - theirs.scores[k].f1)
        print(f"\nworst {args.worst} pages (ours F1 - trafilatura F1):")
        for page_id in gaps[: args.worst]:
            print(f"  {page_id}: {ours.scores[page_id].f1:.3f} vs {theirs.scores[page_id].f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
