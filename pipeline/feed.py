"""Feeding the process phase: claimed batches of pending pages, extracted in order.

:class:`PageFeed` claims the oldest pending pages batch by batch (``newsdedup.storage.claims``);
:class:`Extraction` turns each batch into its results, in the run's own process or in
an :class:`~newsdedup.pipeline.pool.ExtractionPool`, one batch ahead of the one being stored.
With a pool, pages after the first batch are read with their bodies as stored
(compressed: the workers decompress them), and the articles' paragraph sketches the
workers make are kept in ``Extraction.sketches`` for the dedup stage.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future

from newsdedup.core.config import Config
from newsdedup.core.records import ExtractResult, FetchedPage, utcnow
from newsdedup.pipeline.dedup.presketch import SketchCache
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.pool import Extracted, ExtractionPool
from newsdedup.storage.claims import claim_pages, claimer_name, release_claims, release_dead_claims
from newsdedup.storage.db import Database
from newsdedup.storage.pages import load_pages

__all__ = ["Extraction", "PageFeed"]

log = logging.getLogger(__name__)

#: Fewer pending pages than this are extracted in the run's own process: starting
#: workers costs more than it saves.
POOL_MIN_PAGES = 20

Batch = tuple[list[FetchedPage], list[ExtractResult | Exception]]


class PageFeed:
    """The pending pages of ``source_ids`` (or all) in claimed batches, oldest first.

    Iterating claims one batch at a time; :meth:`release` gives back the claims on pages
    the run did not finish (call it when the run ends, however it ends). Batches read
    while ``compressed`` is set hold the bodies as stored.
    """

    def __init__(self, db: Database, source_ids: Sequence[int] | None, *, batch_size: int,
                 claim_seconds: int) -> None:
        self.db = db
        self.source_ids = source_ids
        self.batch_size = batch_size
        self.claim_seconds = claim_seconds
        self.claimer = claimer_name()
        self.compressed = False

    def __iter__(self) -> Iterator[list[FetchedPage]]:
        with self.db.session() as session:
            freed = release_dead_claims(session, utcnow())
        if freed:
            log.info("took over %d pages claimed by a dead process of this host", freed)
        while True:
            with self.db.session() as session:
                ids = claim_pages(session, self.source_ids, claimer=self.claimer,
                                  limit=self.batch_size, now=utcnow(), seconds=self.claim_seconds)
            if not ids:
                return
            with self.db.reader() as session:
                pages = list(load_pages(session, ids, compressed=self.compressed))
            if pages:
                yield pages

    def release(self) -> None:
        # Best effort: if the database is gone, the claims lapse by themselves.
        with contextlib.suppress(Exception), self.db.session() as session:
            released = release_claims(session, self.claimer)
            if released:
                log.info("released the claims on %d unfinished pages", released)


class Extraction:
    """Extracts batches of pages with ``workers`` processes (1: in this process).

    ``counts``: ``process/worker_lost`` (pages whose worker died and were given to
    another), ``process/workers_started``. ``pool`` is the running pool, if any;
    ``sketches`` holds the paragraph sketches its workers made.
    """

    def __init__(self, config: Config, extractor: Extractor, workers: int) -> None:
        self.config = config
        self.extractor = extractor
        self.workers = workers
        self.counts: Counter[str] = Counter()
        self.pool: ExtractionPool | None = None
        self.peak_kib: dict[int, int] = {}
        self.cpu_s: dict[int, float] = {}
        self.sketches = SketchCache()

    def batches(self, feed: PageFeed) -> Iterator[Batch]:
        """``(pages, results)`` for each batch of ``feed``, in order."""
        batches = iter(feed)
        first = next(batches, None)
        if first is None:
            return
        if self.workers == 1 or len(first) < min(POOL_MIN_PAGES, feed.batch_size):
            yield first, [self._extract(page) for page in first]
            for pages in batches:
                yield pages, [self._extract(page) for page in pages]
            return
        self.pool = ExtractionPool(self.config.extract, {s.name: s for s in self.config.sources},
                                   workers=self.workers, dedup=self.config.dedup)
        with self.pool:
            # One batch ahead: the workers extract it while this process stores the last.
            window: deque[tuple[list[FetchedPage], list[Future[Extracted]]]] = deque()
            for pages in _chain(first, batches):
                compressed, feed.compressed = feed.compressed, True
                window.append((pages, [self.pool.submit(page, compressed=compressed) for page in pages]))
                if len(window) > 1:
                    yield self._resolve(*window.popleft())
            while window:
                yield self._resolve(*window.popleft())

    def close(self) -> None:
        """Stop the workers, if any, and keep their counters."""
        if self.pool is not None:
            self.pool.close()
            self.counts["process/worker_lost"] += self.pool.stats.counts["pool/worker_lost"]
            self.counts["process/workers_started"] += self.pool.stats.counts["pool/workers_started"]
            self.peak_kib.update(self.pool.stats.peak_kib)
            self.cpu_s.update(self.pool.stats.cpu_s)
            self.pool = None
        self.counts = +self.counts

    def _resolve(self, pages: list[FetchedPage], futures: list[Future[Extracted]]) -> Batch:
        results = []
        for future in futures:
            extracted = future.result()
            if extracted.sketch is not None:
                self.sketches.add(extracted.sketch)
            results.append(extracted.result)
        return pages, results

    def _extract(self, page: FetchedPage) -> ExtractResult | Exception:
        try:
            return self.extractor.extract(page)
        except Exception as exc:  # a bug on one page must not stop the run
            log.exception("extraction failed for %s", page.url)
            return exc


def _chain(first: list[FetchedPage], rest: Iterator[list[FetchedPage]]) -> Iterator[list[FetchedPage]]:
    yield first
    yield from rest


