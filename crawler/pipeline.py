"""The one item pipeline: persists fetch records in batches, one transaction per batch.

A batch is flushed when it holds ``NEWSDEDUP_BATCH_SIZE`` records or
``NEWSDEDUP_BATCH_BYTES`` of page bodies, every ``NEWSDEDUP_FLUSH_SECONDS`` seconds,
and when the spider closes. Batches are written on a thread of the reactor's pool, so
that downloads and callbacks go on while the database works, one at a time and in the
order they were flushed. A kill therefore loses at most the records of the batch being
written and of the one being filled, never part of one: their URLs are fetched again by
the next run (the frontier and validators written before them stay consistent).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, succeed
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from newsdedup.core.errors import StorageError
from newsdedup.core.records import utcnow
from newsdedup.storage.frontier import BatchResult, FetchRecord, record_fetches

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from newsdedup.crawler.spider import NewsSpider

__all__ = ["PersistPipeline"]

log = logging.getLogger(__name__)


class PersistPipeline:
    """Buffers :class:`~newsdedup.storage.frontier.FetchRecord` items and writes them in batches.

    Counts ``pages/stored``, ``pages/unchanged`` (a refetch with the same body),
    ``db/batches``, ``db/records`` and ``db/write_ms`` (time spent writing, on the
    writing thread). A storage failure stops the crawl (``db/errors``); the caller turns
    it into a failed run. The item that fills a batch waits until the batch before it is
    written: one batch in the database at a time, one filling.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch_size = max(1, crawler.settings.getint("NEWSDEDUP_BATCH_SIZE", 100))
        self.flush_seconds = crawler.settings.getfloat("NEWSDEDUP_FLUSH_SECONDS", 2.0)
        self.batch_bytes = max(1, crawler.settings.getint("NEWSDEDUP_BATCH_BYTES", 20_000_000))
        self.buffer: list[FetchRecord] = []
        self.buffered_bytes = 0
        self._timer: Any = None
        # The queue of writes: one Deferred whose callbacks write the batches one by one,
        # in the order flushed (a write returns the Deferred of its thread, which pauses
        # the chain until it is done), with the waiters of written() between them. Twisted
        # runs one Deferred's callbacks in a loop: however many items wait for a slow
        # batch, they are woken without recursion. (A DeferredLock woke each waiter from
        # inside the previous one's release; a few hundred waiters exceeded Python's
        # recursion limit, the RecursionError left the lock held for ever and the crawl
        # hung, deaf to SIGTERM: docs/reliability.md.)
        self._writes: Deferred[None] = succeed(None)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> NewsSpider:
        spider: NewsSpider = self.crawler.spider  # type: ignore[assignment]
        return spider

    def open_spider(self) -> None:
        if self.flush_seconds > 0:
            self._timer = create_looping_call(self._flush_on_timer)
            self._timer.start(self.flush_seconds, now=False)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchRecord):
            self.buffer.append(item)
            if item.page is not None:
                self.buffered_bytes += len(item.page.body)
            if self._full():
                # Wait for the batch being written; records that come meanwhile join
                # this one, which is then written unless another item took it.
                await maybe_deferred_to_future(self.written())
                if self._full():
                    await maybe_deferred_to_future(self.flush())
        return item

    async def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        await maybe_deferred_to_future(self.written())

    def _full(self) -> bool:
        return len(self.buffer) >= self.batch_size or self.buffered_bytes >= self.batch_bytes

    def _flush_on_timer(self) -> None:
        self.flush()

    def written(self) -> Deferred[None]:
        """Fires once every batch flushed so far is written (or refused)."""
        done: Deferred[None] = Deferred()

        def wake(result: Any) -> Any:
            done.callback(None)
            return result

        self._writes.addBoth(wake)
        return done

    def flush(self) -> Deferred[None]:
        """Queue the buffered records for writing behind the batches flushed before, in
        batches of at most ``NEWSDEDUP_BATCH_SIZE`` records (or ``NEWSDEDUP_BATCH_BYTES``
        of bodies, the record that reaches it included), one transaction each; fires once
        they are written (or refused)."""
        if not self.buffer or self.spider.storage_error is not None:
            return succeed(None)
        records, self.buffer = self.buffer, []
        self.buffered_bytes = 0
        batch: list[FetchRecord] = []
        size = 0
        for record in records:
            batch.append(record)
            size += len(record.page.body) if record.page is not None else 0
            if len(batch) >= self.batch_size or size >= self.batch_bytes:
                self._queue(batch)
                batch, size = [], 0
        if batch:
            self._queue(batch)
        return self.written()

    def _queue(self, records: list[FetchRecord]) -> None:
        """Write ``records`` once the batches queued before are written."""
        self._writes.addBoth(lambda _: self._write(records))

    def _write(self, records: list[FetchRecord]) -> Deferred[None]:
        """On the reactor's thread, once the batches before are written: write ``records``
        in one transaction on a thread of the pool, then count them here."""
        if self.spider.storage_error is not None:
            return succeed(None)  # the crawl is stopping: what follows a failure is not written
        written: Deferred[tuple[BatchResult, int]] = deferToThread(self._write_in_thread, records)
        return written.addCallbacks(self._count, self._fail).addErrback(self._unexpected)

    def _write_in_thread(self, records: list[FetchRecord]) -> tuple[BatchResult, int]:
        spider = self.spider
        started = time.perf_counter()
        with spider.database.session() as session:
            result = record_fetches(
                session, records, source_id=spider.job.source_id,
                run_id=spider.job.run_id or None, now=utcnow(),
            )
        return result, round((time.perf_counter() - started) * 1000)

    def _fail(self, failure: Failure) -> None:
        exc = failure.value
        if isinstance(exc, StorageError):
            self.spider.fail(exc)
            return
        # A driver error we did not classify is fatal too. Its first line says why; the
        # statement and parameters SQLAlchemy adds go to the debug log, not the run's error.
        log.debug("batch failed: %s", failure.getTraceback())
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        detail = lines[0] if lines else type(exc).__name__
        self.spider.fail(StorageError(f"saving crawl results of {self.spider.source.name}: {detail}"))

    def _unexpected(self, failure: Failure) -> None:
        # A bug of ours in the bookkeeping after a batch: said, and the queue goes on.
        log.error("after writing a batch of %s: %s", self.spider.source.name,
                  failure.getTraceback())

    def _count(self, written: tuple[BatchResult, int]) -> None:
        result, elapsed_ms = written
        stats = self.crawler.stats
        stats.inc_value("db/write_ms", elapsed_ms)
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
