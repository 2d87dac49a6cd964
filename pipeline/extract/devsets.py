"""The extraction dev sets as pages with gold text, split by domain into tuning and validation.

Both the benchmark (``bench/extraction.py``) and the quality gate read the sets through
this module, so that they agree on which pages are tuned on and which are only measured.
The split is a fixed hash of the page's domain: every page of one site lands in the same
part, and the part of a site never changes between runs or machines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from newsdedup.core.records import FetchedPage

__all__ = ["DEV_SETS", "DevPage", "Part", "load_dev_set", "part_of_domain"]

Part = Literal["tuning", "validation"]
#: The sets, by directory name under the dev data root.
DEV_SETS = ("extraction-dev", "extraction-wcxb-dev")


@dataclass(frozen=True, slots=True)
class DevPage:
    """One dev page: raw bytes, gold body and title, page type ("article" or another)."""

    page_id: str
    url: str
    domain: str
    page_type: str
    gold: str
    title: str
    body: bytes

    @property
    def part(self) -> Part:
        return part_of_domain(self.domain)

    def fetched(self) -> FetchedPage:
        """The page as the crawler would hand it to the extractor."""
        return FetchedPage(
            source="dev",
            url=self.url,
            final_url=self.url,
            status=200,
            headers={"content-type": "text/html"},
            body=self.body,
            fetched_at=datetime.now(UTC),
        )


def part_of_domain(domain: str) -> Part:
    """``tuning`` or ``validation`` for a domain (``www.`` and case ignored): half each."""
    key = domain.lower().removeprefix("www.").encode("utf-8")
    return "tuning" if hashlib.sha256(key).digest()[0] % 2 == 0 else "validation"


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def load_dev_set(directory: Path, parts: tuple[Part, ...] = ("tuning", "validation")) -> Iterator[DevPage]:
    """The pages of one dev set (either layout), sorted by id, only those in ``parts``.

    Raises FileNotFoundError naming the directory when it holds neither layout.
    """
    if (directory / "ground-truth.json").is_file():
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id in sorted(truth):
            gold = truth[page_id]
            domain = _domain(gold["url"])
            if part_of_domain(domain) in parts:
                yield DevPage(
                    page_id, gold["url"], domain, "article", gold["articleBody"], gold["title"],
                    _html(directory, page_id),
                )
    elif (directory / "index.json").is_file():
        index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
        for page_id in sorted(index):
            entry = index[page_id]
            if part_of_domain(entry["domain"]) not in parts:
                continue
            gold = json.loads((directory / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
            yield DevPage(
                page_id, entry["url"], entry["domain"].lower().removeprefix("www."), entry["page_type"],
                gold.get("main_content") or "", gold.get("title") or "", _html(directory, page_id),
            )
    else:
        raise FileNotFoundError(f"{directory}: no ground-truth.json or index.json (not an extraction dev set)")


def _html(directory: Path, page_id: str) -> bytes:
    return gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
