"""Encodings on the dev sets: how many pages are rejected as ``undecodable``, and how many repaired.

Usage:
    python bench/encodings.py [--data DIR] [--limit N]

Every page of extraction-dev and extraction-wcxb-dev goes through the Extractor as it is
fetched (``content-type: text/html``, no charset parameter, as the sets do not keep the
headers). For each set it prints the pages rejected ``undecodable`` (article pages
separately, with the reason), and the articles whose visible text was repaired from
double-encoded UTF-8 (``Article.encoding_repaired``).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.extract import Extractor

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data"

# (page id, url, page type, html bytes)
Page = tuple[str, str, str, bytes]


def data_root(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) if env else DEFAULT_DATA


def extraction_dev(directory: Path, limit: int | None) -> Iterator[Page]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth)[:limit]:
        body = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, truth[page_id]["url"], "article", body


def wcxb_dev(directory: Path, limit: int | None) -> Iterator[Page]:
    index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    for page_id in sorted(index)[:limit]:
        body = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, index[page_id]["url"], index[page_id]["page_type"], body


def measure(name: str, pages: Iterator[Page]) -> None:
    extractor = Extractor(ExtractConfig())
    total = articles = 0
    undecodable: list[tuple[str, str, str]] = []
    repaired: list[str] = []
    encodings: collections.Counter[str] = collections.Counter()
    for page_id, url, page_type, body in pages:
        total += 1
        articles += page_type == "article"
        page = FetchedPage(
            source="bench", url=url, final_url=url, status=200,
            headers={"content-type": "text/html"}, body=body, fetched_at=datetime.now(UTC),
        )
        result = extractor.extract(page)
        if isinstance(result, Article):
            encodings[result.encoding or "unknown"] += 1
            if getattr(result, "encoding_repaired", False):
                repaired.append(page_id)
        elif result.reason == "undecodable":
            undecodable.append((page_id, page_type, result.detail))
    on_articles = sum(1 for _, kind, _ in undecodable if kind == "article")
    print(f"## {name}: {total} pages ({articles} article pages)")
    print(f"undecodable: {len(undecodable)} pages, {on_articles} of them article pages")
    for page_id, kind, detail in undecodable:
        print(f"  {page_id} ({kind}): {detail}")
    print(f"articles repaired from double-encoded UTF-8: {len(repaired)} {' '.join(repaired)}")
    print("encodings of the articles: " + ", ".join(f"{k} {v}" for k, v in encodings.most_common()))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding the dev sets (default ../shared/data)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (sorted by id)")
    args = parser.parse_args(argv)
    root = data_root(args.data)
    sets = (
        ("extraction-dev", root / "extraction-dev", "ground-truth.json", extraction_dev),
        ("extraction-wcxb-dev", root / "extraction-wcxb-dev", "index.json", wcxb_dev),
    )
    found = False
    for name, directory, marker, reader in sets:
        if not (directory / marker).exists():
            print(f"{name} not found at {directory} (use --data or NEWSDEDUP_DEV_DATA)", file=sys.stderr)
            continue
        found = True
        measure(name, reader(directory, args.limit))
    return 0 if found else 2


if __name__ == "__main__":
    sys.exit(main())
