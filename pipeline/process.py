"""The process phase: pending pages -> extracted articles -> dedup stages, crash-safe.

Pages are taken in batches; each batch is one transaction that saves its articles,
records its rejections and marks its pages processed, so a kill loses at most the
batch in flight, which stays pending for the next run. A page whose extraction
raises is marked ``failed`` with the reason and counted, never fatal.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from newsdedup.core.config import Config
from newsdedup.core.records import Article, ExtractResult, FetchedPage, Rejection, utcnow
from newsdedup.core.urls import canonicalize_url
from newsdedup.pipeline.dedup.presketch import SketchCache
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.feed import Extraction, PageFeed
from newsdedup.pipeline.identity import SameStoryCheck
from newsdedup.pipeline.pool import failure_reason
from newsdedup.storage.articles import follow_move, save_articles
from newsdedup.storage.db import Database
from newsdedup.storage.lifecycle import record_conflict
from newsdedup.storage.models import ArticleRow, UrlStateRow
from newsdedup.storage.pages import PageOutcome, count_pending, mark_processed
from newsdedup.storage.rows import update_rows
from newsdedup.storage.sources import ensure_sources

__all__ = ["ProcessReport", "Processor"]

log = logging.getLogger(__name__)


@dataclass
class ProcessReport:
    """Counters per source name: ``extract/<outcome>``, ``articles/new|updated|unchanged``,
    ``process/failed`` and the dedup stage's ``dedup/...`` keys."""

    by_source: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, source: str, key: str, amount: int = 1) -> None:
        self.by_source.setdefault(source, Counter())[key] += amount

    def total(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.by_source.values():
            total.update(counts)
        return total


class Processor:
    """Turns pending pages into articles, then runs the dedup stage on what changed."""

    name = "process"

    def __init__(self, config: Config, db: Database, *, batch_size: int = 50) -> None:
        self.config = config
        self.db = db
        self.batch_size = batch_size
        self.extractor = Extractor(config.extract, {s.name: s for s in config.sources})
        self.extraction: Extraction | None = None  # the current run's (tests watch its pool)
        self.same_story = SameStoryCheck()

    def run(self, source_ids: Sequence[int] | None = None, *,
            progress: Callable[[int, int], None] | None = None) -> ProcessReport:
        """Process every pending page (of ``source_ids``, or all), then deduplicate.

        ``progress(done, total)`` is called after each batch (total: pages pending at
        the start, and any that arrived since). Pages are claimed batch by batch
        (``newsdedup.storage.claims``), so processes sharing the database never take the same
        page; with ``process.workers`` > 1 they are extracted in worker processes
        (``newsdedup.pipeline.pool``) and stored here, in the same order as with one.
        """
        report = ProcessReport()
        done = 0
        total = 0
        if progress is not None:
            with self.db.reader() as session:
                total = count_pending(session, source_ids)
        feed = PageFeed(self.db, source_ids, batch_size=self.batch_size,
                        claim_seconds=self.config.process.claim_seconds)
        extraction = Extraction(self.config, self.extractor, self.config.process.workers)
        self.extraction = extraction
        try:
            for pages, results in extraction.batches(feed):
                self._store_batch(list(zip(pages, results, strict=True)), report)
                done += len(results)
                if progress is not None:
                    progress(done, max(total, done))
        finally:
            extraction.close()
            feed.release()
        for key, value in extraction.counts.items():
            report.count("*", key, value)
        self._deduplicate(source_ids, report, extraction.sketches)
        return report

    def _store_batch(self, results: Sequence[tuple[FetchedPage, ExtractResult | Exception]],
                     report: ProcessReport) -> None:
        try:
            with self.db.session() as session:
                self._store(session, results, report)
        except (IntegrityError, DataError):
            log.warning("a batch of %d pages failed to store; retrying page by page",
                        len(results), exc_info=True)
            self._store_one_by_one(results, report)

    def _store(self, session: Session, results: Sequence[tuple[FetchedPage, ExtractResult | Exception]],
               report: ProcessReport) -> None:
        now = utcnow()
        pending: list[tuple[str, str]] = []
        source_ids = ensure_sources(session, {page.source for page, _ in results})
        articles = [(page, result) for page, result in results if isinstance(result, Article)]
        for page, article in articles:
            # Only a page that now names another URL than its own can have moved.
            if article.canonical_url == page.url:
                continue
            if follow_move(session, page.url, article, self.same_story, now,
                           redirected=self._redirected(page)):
                pending.append((page.source, "articles/moved"))
        saved = iter(save_articles(
            session, [(article, source_ids[page.source]) for page, article in articles],
            origin="crawl", now=now, same_story=self.same_story,
        ))
        outcomes = []
        noted: list[tuple[FetchedPage, Article, int]] = []
        for page, result in results:
            assert page.page_id is not None
            if isinstance(result, Exception):
                outcomes.append(PageOutcome(page.page_id, "failed", failure_reason(result)))
                pending.append((page.source, "process/failed"))
            elif isinstance(result, Rejection):
                outcomes.append(PageOutcome(page.page_id, "rejected", result.reason))
                pending.append((page.source, f"extract/{result.reason}"))
            else:
                article_saved = next(saved)
                outcomes.append(PageOutcome(page.page_id, "article", None, article_saved.article_id))
                pending.append((page.source, "extract/article"))
                pending.append((page.source, f"articles/{article_saved.status}"))
                noted.append((page, result, article_saved.article_id))
        self._note_canonicals(session, noted, now)
        mark_processed(session, outcomes, now)
        # Count only once the transaction is sure to commit (the caller may retry pages).
        for source, key in pending:
            report.count(source, key)

    def _store_one_by_one(self, results: Sequence[tuple[FetchedPage, ExtractResult | Exception]],
                          report: ProcessReport) -> None:
        for page, result in results:
            try:
                with self.db.session() as session:
                    self._store(session, [(page, result)], report)
            except (IntegrityError, DataError) as exc:
                log.error("page %s cannot be stored: %s", page.url, exc.orig or exc)
                assert page.page_id is not None
                with self.db.session() as session:
                    mark_processed(
                        session,
                        [PageOutcome(page.page_id, "failed", f"storage: {type(exc).__name__}")],
                        utcnow(),
                    )
                report.count(page.source, "process/failed")

    @staticmethod
    def _redirected(page: FetchedPage) -> bool:
        try:
            return canonicalize_url(page.final_url) != page.url
        except ValueError:
            return False

    @staticmethod
    def _note_canonicals(session: Session, noted: Sequence[tuple[FetchedPage, Article, int]],
                         now: datetime) -> None:
        """Give each page's URL state the identity its article was stored under (a
        refused canonical fell back to the page's own URL): a later 404 or 301 of the
        page finds the article by it. Records the canonicals that were refused."""
        if not noted:
            return
        ids = sorted({article_id for _, _, article_id in noted})
        query = select(ArticleRow.id, ArticleRow.canonical_url).where(ArticleRow.id.in_(ids))
        stored = {article_id: url for article_id, url in session.execute(query)}
        update_rows(
            session, cast(Table, UrlStateRow.__table__), "url",
            [{"url": page.url, "canonical_url": stored.get(article_id) or article.canonical_url}
             for page, article, article_id in noted],
        )
        for _, article, article_id in noted:
            if article.canonical_note:
                reason, _, claimed = article.canonical_note.partition(": ")
                record_conflict(session, url=article.canonical_url, claimed_url=claimed or None,
                                reason=reason, now=now, article_id=article_id)

    def _deduplicate(self, source_ids: Sequence[int] | None, report: ProcessReport,
                     sketches: SketchCache) -> None:
        from newsdedup.pipeline.dedup import DedupStage

        stats = DedupStage(self.config.dedup, self.db, sketches=sketches).run(source_ids)
        for key, value in stats.items():
            report.count("*", key, value)
