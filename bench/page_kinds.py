"""Which pages the extractor rejects as not articles, per page type and per split.

Usage:
    python bench/page_kinds.py [--data DIR] [--split tune|validation|all] [--list]

Reads extraction-wcxb-dev (page types labelled) and extraction-dev (all articles) from
DIR (default ``$NEWSDEDUP_DEV_DATA`` or ../shared/data). Each domain falls in the tuning
or the validation part by a fixed hash (``domain_split``): rules are tuned on the first
and judged on the second. Printed per part: the share of each page type rejected as
``not_article``, listing and collection pages together, all non-article pages, and the
articles rejected (as ``not_article``, and for any reason). ``--list`` names the
articles rejected and the non-articles kept.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.extract import Extractor

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data"
SPLITS = ("tune", "validation")
NON_ARTICLE_TYPES = ("listing", "collection", "forum", "service", "product", "documentation")
LISTING_TYPES = frozenset({"listing", "collection"})


def domain_split(domain: str) -> str:
    """``tune`` or ``validation`` for a domain: the first byte of SHA-256 of the bare host, even or odd."""
    host = domain.lower().strip(".").removeprefix("www.")
    return SPLITS[hashlib.sha256(host.encode("utf-8")).digest()[0] % 2]


@dataclass(frozen=True, slots=True)
class DevPage:
    """One page of a dev set with its label."""

    dataset: str
    page_id: str
    url: str
    page_type: str
    split: str
    path: Path


def data_root(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) if env else DEFAULT_DATA


def dev_pages(root: Path) -> Iterator[DevPage]:
    """The labelled pages of both sets, sorted by set and id; missing sets are skipped."""
    wcxb = root / "extraction-wcxb-dev"
    if (wcxb / "index.json").is_file():
        index = json.loads((wcxb / "index.json").read_text(encoding="utf-8"))
        for page_id, entry in sorted(index.items()):
            yield DevPage(
                "extraction-wcxb-dev", page_id, entry["url"], entry["page_type"],
                domain_split(entry["domain"]), wcxb / "html" / f"{page_id}.html.gz",
            )
    dev = root / "extraction-dev"
    if (dev / "ground-truth.json").is_file():
        truth = json.loads((dev / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, entry in sorted(truth.items()):
            host = urlsplit(entry["url"]).hostname or ""
            yield DevPage(
                "extraction-dev", page_id, entry["url"], "article", domain_split(host),
                dev / "html" / f"{page_id}.html.gz",
            )


@dataclass
class Tally:
    """Outcomes of one (set, split): per page type, how many and how many rejected."""

    pages: collections.Counter[str] = field(default_factory=collections.Counter)
    not_article: collections.Counter[str] = field(default_factory=collections.Counter)
    rejected: collections.Counter[str] = field(default_factory=collections.Counter)
    wrong: list[str] = field(default_factory=list)

    def share(self, types: Iterable[str], counter: collections.Counter[str] | None = None) -> float:
        chosen = list(types)
        total = sum(self.pages[t] for t in chosen)
        hits = sum((counter or self.not_article)[t] for t in chosen)
        return hits / total if total else 0.0


def measure(pages: Iterable[DevPage]) -> dict[tuple[str, str], Tally]:
    """Run the extractor on each page; tallies by (set, split)."""
    extractor = Extractor(ExtractConfig())
    tallies: dict[tuple[str, str], Tally] = collections.defaultdict(Tally)
    for page in pages:
        fetched = FetchedPage(
            source="dev", url=page.url, final_url=page.url, status=200,
            headers={"content-type": "text/html"}, body=gzip.decompress(page.path.read_bytes()),
            fetched_at=datetime.now(UTC),
        )
        result = extractor.extract(fetched)
        tally = tallies[(page.dataset, page.split)]
        tally.pages[page.page_type] += 1
        if isinstance(result, Article):
            if page.page_type != "article":
                tally.wrong.append(f"kept {page.page_type} {page.page_id} {page.url}")
            continue
        tally.rejected[page.page_type] += 1
        if result.reason == "not_article":
            tally.not_article[page.page_type] += 1
        if page.page_type == "article":
            tally.wrong.append(f"rejected article {page.page_id} {page.url}: {result.reason}: {result.detail}")
    return tallies


def report(tallies: dict[tuple[str, str], Tally], *, listing: bool) -> str:
    lines = [
        "| set | split | listing+collection rejected | all non-articles rejected | "
        "articles rejected as not_article | articles rejected (any reason) | per type |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for (dataset, split), tally in sorted(tallies.items()):
        articles = tally.pages["article"]
        non = [t for t in NON_ARTICLE_TYPES if tally.pages[t]]
        per_type = ", ".join(f"{t} {tally.not_article[t]}/{tally.pages[t]}" for t in non) or "-"
        lines.append(
            f"| {dataset} | {split} | "
            + (f"{tally.share(LISTING_TYPES):.3f}" if non else "-") + " | "
            + (f"{tally.share(NON_ARTICLE_TYPES):.3f}" if non else "-") + " | "
            + f"{tally.not_article['article']}/{articles} ({tally.share(['article']):.3f}) | "
            + f"{tally.rejected['article']}/{articles} ({tally.share(['article'], tally.rejected):.3f}) | "
            + f"{per_type} |"
        )
    if listing:
        for (dataset, split), tally in sorted(tallies.items()):
            if tally.wrong:
                lines.append(f"\n{dataset} {split}:")
                lines.extend(f"  {line}" for line in tally.wrong)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding extraction-wcxb-dev and extraction-dev")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--list", action="store_true", help="list rejected articles and kept non-articles")
    args = parser.parse_args(argv)
    root = data_root(args.data)
    pages = [p for p in dev_pages(root) if args.split in ("all", p.split)]
    if not pages:
        print(f"no dev sets found under {root} (use --data or NEWSDEDUP_DEV_DATA)", file=sys.stderr)
        return 2
    print(report(measure(pages), listing=args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
