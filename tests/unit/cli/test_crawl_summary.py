"""The summary a crawl prints: what it fetched, stored and rejected, source by source."""

from __future__ import annotations

from collections import Counter

from newsdedup.app.cli.crawl import summary_lines
from newsdedup.app.runner import RunResult


def test_pages_fetched_again_unchanged_are_counted_apart_from_the_articles() -> None:
    # A refetch whose bytes are the stored ones is not extracted again: before, the line
    # said "articles ... unchanged 0" for a run whose every page was the same.
    stats = Counter({"pages/fetched": 12, "pages/unchanged": 7, "fetch/not_modified": 3,
                     "articles/new": 2, "articles/updated": 1, "articles/unchanged": 2,
                     "extract/article": 5, "extract/not_article": 1})
    lines = summary_lines([RunResult("kyiv-daily", 4, "success", stats)])
    assert lines[0] == "kyiv-daily: run 4 success"
    assert lines[1] == ("  pages fetched 12 (the same as stored 7), not modified 3; "
                        "articles new 2, updated 1, unchanged 2")
    assert lines[2] == "  rejected: not_article 1"
    assert lines[3] == "  fetch problems: none"
