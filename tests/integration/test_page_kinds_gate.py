"""Quality gate: pages that are not articles are rejected, articles are kept (issue 9).

Runs the extractor on the validation part of extraction-wcxb-dev and extraction-dev
(domains split by a fixed hash, ``bench/page_kinds.py``; the rules were tuned and the
page-kind model trained on the other part, ``bench/train_page_kind.py``). The floors sit
just below the figures measured on the validation part when they were set
(docs/benchmarks.md, "Pages that are not articles"); they only go up. Articles wrongly
rejected stay within 1% of each set (the issue's hard limit; the earlier floors of 0.57
and 0.37 were bought with 9 wcxb articles rejected, 2.8%). The data lives outside the
repository: the test skips where it is absent and fails under CI=true.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from support import dev_data_dir, load_bench

pytestmark = [pytest.mark.devdata, pytest.mark.slow]

# Shares of the validation part rejected as not_article, and articles wrongly rejected.
LISTING_FLOOR = 0.72
NON_ARTICLE_FLOOR = 0.70
MAX_WCXB_ARTICLES_REJECTED = 1
MAX_DEV_ARTICLES_REJECTED = 0


def bench() -> ModuleType:
    return load_bench("page_kinds", "page_kinds_bench")


def data_root() -> Path:
    dev_data_dir("extraction-dev", "ground-truth.json")
    return dev_data_dir("extraction-wcxb-dev", "index.json").parent


def test_non_articles_are_rejected_and_articles_kept_on_the_validation_part() -> None:
    module = bench()
    pages = [page for page in module.dev_pages(data_root()) if page.split == "validation"]
    tallies = module.measure(pages)
    wcxb = tallies[("extraction-wcxb-dev", "validation")]
    dev = tallies[("extraction-dev", "validation")]
    assert wcxb.pages["article"] > 200 and dev.pages["article"] > 100
    listing = wcxb.share(module.LISTING_TYPES)
    non_articles = wcxb.share(module.NON_ARTICLE_TYPES)
    wrong = "\n".join(wcxb.wrong + dev.wrong)
    assert listing >= LISTING_FLOOR, f"listing/collection pages rejected {listing:.3f} < {LISTING_FLOOR}"
    assert non_articles >= NON_ARTICLE_FLOOR, f"non-article pages rejected {non_articles:.3f} < {NON_ARTICLE_FLOOR}"
    assert wcxb.not_article["article"] <= MAX_WCXB_ARTICLES_REJECTED, "articles rejected as not_article:\n" + wrong
    assert dev.not_article["article"] <= MAX_DEV_ARTICLES_REJECTED, "articles rejected as not_article:\n" + wrong
