"""What one crawl is asked to do: a source, its database id and the run it belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from newsdedup.core.config import SourceConfig

__all__ = ["CrawlJob"]


@dataclass(frozen=True, slots=True)
class CrawlJob:
    """One source to crawl. ``source_id`` and ``run_id`` are rows the caller created
    (``sources`` and ``crawl_runs``); every url_state row and page written carries them."""

    source: SourceConfig
    source_id: int
    run_id: int
