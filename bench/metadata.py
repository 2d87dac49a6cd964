"""Article metadata on the dev sets: titles against the gold, authors and dates against trafilatura's.

Usage:
    python bench/metadata.py [--data DIR] [--set NAME ...] [--part tuning|validation] [--list N]

On the article pages of each set and part (the same domain split as bench/extraction.py),
our Extractor and ``trafilatura.extract_metadata`` run on every page in one process:

- **title**: the share of pages whose title equals the gold title, word for word (``\\w+``
  runs, case aside, NFC);
- **authors**: the share of pages with at least one author, and where both give one, the
  share where trafilatura's author string holds one of our names (the sets have no gold
  authors: agreement is a sign, not a score);
- **date**: the share of pages with a publication date, and where both give one, the share
  on the same day (a day apart allowed: trafilatura gives a local date, ours is UTC).

``--list N`` prints up to N pages per set and part where our title misses the gold,
and where trafilatura gives an author or a date and we give none.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import trafilatura

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.devsets import DEV_SETS, DevPage, Part, load_dev_set

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = REPO / ".." / "shared" / "data"
PARTS: tuple[Part, ...] = ("tuning", "validation")


def words(text: str | None) -> str:
    """``text`` as its words, lower case, NFC: titles compared word for word."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", text or "").lower()))


@dataclass
class Tally:
    """One set and part's counts."""

    pages: int = 0
    titles: list[int] = field(default_factory=lambda: [0, 0])
    authors: list[int] = field(default_factory=lambda: [0, 0])
    authors_both: int = 0
    authors_agree: int = 0
    dates: list[int] = field(default_factory=lambda: [0, 0])
    dates_both: int = 0
    dates_agree: int = 0
    misses: list[str] = field(default_factory=list)


def _same_day(ours: date, theirs: str) -> bool:
    try:
        other = date.fromisoformat(theirs[:10])
    except ValueError:
        return False
    return abs(ours - other) <= timedelta(days=1)


def measure(pages: Iterable[DevPage], extractor: Extractor) -> Tally:
    tally = Tally()
    for page in pages:
        if page.page_type != "article":
            continue
        result = extractor.extract(page.fetched())
        article = result if isinstance(result, Article) else None
        theirs = trafilatura.extract_metadata(page.body.decode("utf-8", "replace"), default_url=page.url)
        tally.pages += 1
        title_ok = words(article.title if article else None) == words(page.title)
        traf_title_ok = words(theirs.title if theirs else None) == words(page.title)
        tally.titles[0] += title_ok
        tally.titles[1] += traf_title_ok
        if not title_ok:
            tally.misses.append(f"title {page.page_id}: {article.title if article else None!r} (gold {page.title!r})")
        authors = article.authors if article else ()
        their_author = (theirs.author if theirs else None) or ""
        tally.authors[0] += bool(authors)
        tally.authors[1] += bool(their_author)
        if authors and their_author:
            tally.authors_both += 1
            tally.authors_agree += any(name.lower() in their_author.lower() for name in authors)
        elif their_author:
            tally.misses.append(f"author {page.page_id}: none (trafilatura {their_author!r})")
        published = article.published_at if article else None
        their_date = (theirs.date if theirs else None) or ""
        tally.dates[0] += published is not None
        tally.dates[1] += bool(their_date)
        if published is not None and their_date:
            tally.dates_both += 1
            tally.dates_agree += _same_day(published.date(), their_date)
        elif their_date:
            tally.misses.append(f"date {page.page_id}: none (trafilatura {their_date})")
    return tally


def _share(count: int, total: int) -> str:
    return f"{count / total:.3f} ({count}/{total})" if total else "-"


def report(name: str, part: str, tally: Tally, listed: int) -> None:
    n = tally.pages
    print(f"\n## {name}, {part}: {n} article pages\n")
    print("| metadata | ours | trafilatura |")
    print("|---|---:|---:|")
    print(f"| title equal to the gold | {_share(tally.titles[0], n)} | {_share(tally.titles[1], n)} |")
    print(f"| pages with an author | {_share(tally.authors[0], n)} | {_share(tally.authors[1], n)} |")
    print(f"| pages with a date | {_share(tally.dates[0], n)} | {_share(tally.dates[1], n)} |")
    print(f"\nwhere both give one: authors agree on {_share(tally.authors_agree, tally.authors_both)}, "
          f"dates on the same day on {_share(tally.dates_agree, tally.dates_both)}")
    for line in tally.misses[:listed]:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", help="dev data root (default $NEWSDEDUP_DEV_DATA or ../shared/data)")
    parser.add_argument("--set", action="append", choices=DEV_SETS, help="only this set (repeatable)")
    parser.add_argument("--part", choices=PARTS, help="only this part of each set")
    parser.add_argument("--list", type=int, default=0, help="list up to N misses per set and part")
    args = parser.parse_args(argv)
    root = Path(args.data or os.environ.get("NEWSDEDUP_DEV_DATA") or DEFAULT_ROOT)
    extractor = Extractor(ExtractConfig())
    for dev_set in args.set or DEV_SETS:
        for part in (args.part,) if args.part else PARTS:
            try:
                pages = list(load_dev_set(root / dev_set, (part,)))
            except FileNotFoundError as exc:
                print(f"{exc} (use --data or NEWSDEDUP_DEV_DATA)", file=sys.stderr)
                return 2
            report(dev_set, part, measure(pages, extractor), args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
