"""The one item pipeline: persists fetch records in batches, one transaction per batch.

A batch is flushed when it holds ``NEWSDEDUP_BATCH_SIZE`` records or
``NEWSDEDUP_BATCH_BYTES`` of page bodies, every ``NEWSDEDUP_FLUSH_SECONDS`` seconds,
and when the spider closes. A kill therefore
loses at most the records of the batch being filled, never part of one: their URLs
are fetched again by the next run (the frontier and validators written before them
stay consistent).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.utils.asyncio import create_looping_call

from newsdedup.core.errors import StorageError
from newsdedup.core.records import utcnow
from newsdedup.storage.frontier import FetchRecord, record_fetches

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from newsdedup.crawler.spider import NewsSpider

__all__ = ["PersistPipeline"]

log = logging.getLogger(__name__)


class PersistPipeline:
    """Buffers :class:`~newsdedup.storage.frontier.FetchRecord` items and writes them in batches.

    Counts ``pages/stored``, ``pages/unchanged`` (a refetch with the same body),
    ``db/batches``, ``db/records`` and ``db/write_ms`` (time spent writing). A storage
    failure stops the crawl (``db/errors``); the caller turns it into a failed run.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch_size = max(1, crawler.settings.getint("NEWSDEDUP_BATCH_SIZE", 100))
        self.flush_seconds = crawler.settings.getfloat("NEWSDEDUP_FLUSH_SECONDS", 2.0)
        self.batch_bytes = max(1, crawler.settings.getint("NEWSDEDUP_BATCH_BYTES", 20_000_000))
        self.buffer: list[FetchRecord] = []
        self.buffered_bytes = 0
        self._timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> NewsSpider:
        spider: NewsSpider = self.crawler.spider  # type: ignore[assignment]
        return spider

    def open_spider(self) -> None:
        if self.flush_seconds > 0:
            self._timer = create_looping_call(self.flush)
            self._timer.start(self.flush_seconds, now=False)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchRecord):
            self.buffer.append(item)
            if item.page is not None:
                self.buffered_bytes += len(item.page.body)
            if len(self.buffer) >= self.batch_size or self.buffered_bytes >= self.batch_bytes:
                self.flush()
        return item

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()

    def flush(self) -> None:
        """Write the buffered records in one transaction (nothing when empty)."""
        if not self.buffer or self.spider.storage_error is not None:
            return
        records, self.buffer = self.buffer, []
        self.buffered_bytes = 0
        spider = self.spider
        stats = self.crawler.stats
        started = time.perf_counter()
        try:
            with spider.database.session() as session:
                result = record_fetches(
                    session, records, source_id=spider.job.source_id,
                    run_id=spider.job.run_id or None, now=utcnow(),
                )
        except StorageError as exc:
            self.spider.fail(exc)
            return
        except Exception as exc:  # a driver error we did not classify is fatal too
            log.debug("batch failed", exc_info=True)
            self.spider.fail(StorageError(f"saving crawl results of {spider.source.name}: {exc}"))
            return
        stats.inc_value("db/write_ms", round((time.perf_counter() - started) * 1000))
        stats.inc_value("db/batches")
        stats.inc_value("db/records", result.records)
        if result.pages_stored:
            stats.inc_value("pages/stored", result.pages_stored)
        if result.pages_unchanged:
            stats.inc_value("pages/unchanged", result.pages_unchanged)
        if result.deleted:
            stats.inc_value("articles/deleted", result.deleted)
        if result.restored:
            stats.inc_value("articles/restored", result.restored)
