"""The dedup stage: pending articles -> clean paragraphs -> syndication clusters, in batches.

Each batch is one transaction: it reads what the batch can touch (paragraph groups,
band buckets, canonicals; ``views.py``) with a few indexed queries, decides in memory
article after article, oldest first, then writes everything back in bulk
(``persist.py``). A crash or a kill rolls the batch back: its articles stay pending and
the next run does them.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime

import numpy as np
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from newsdedup.core.config import DedupConfig
from newsdedup.core.errors import NewsdedupError
from newsdedup.core.records import utcnow
from newsdedup.pipeline.dedup.bands import short_keys
from newsdedup.pipeline.dedup.clusters import Body, Clusterer
from newsdedup.pipeline.dedup.fullness import StoryText
from newsdedup.pipeline.dedup.minhash import band_keys
from newsdedup.pipeline.dedup.origin import credited_outlet, election_key
from newsdedup.pipeline.dedup.persist import write_batch
from newsdedup.pipeline.dedup.presketch import SketchCache, in_article_verdicts
from newsdedup.pipeline.dedup.scheme import check_signature_scheme, scheme_json
from newsdedup.pipeline.dedup.sketch import Sketcher
from newsdedup.pipeline.dedup.templates import TemplateIndex, paragraph_band_keys
from newsdedup.pipeline.dedup.views import (
    Released,
    drop_signatures,
    read_clusterer,
    read_template_index,
)
from newsdedup.pipeline.dedup.work import Work
from newsdedup.storage import dedup as store
from newsdedup.storage.changes import stamp_changes
from newsdedup.storage.db import Database
from newsdedup.storage.sources import source_ids as stored_source_ids

__all__ = ["DedupStage"]

log = logging.getLogger(__name__)

_EPOCH = date(1970, 1, 1).toordinal()
# Any constant shared by every newsdedup process: serialises dedup batches on Postgres.
_ADVISORY_LOCK_KEY = 0x64656475  # "dedu"


def _day(moment: datetime) -> int:
    return moment.date().toordinal() - _EPOCH


def _works(batch: Sequence[store.PendingArticle],
           paragraphs: Mapping[int, Sequence[store.StoredParagraph]],
           sources: Mapping[int, tuple[str, bool]]) -> list[Work]:
    """A Work per article, its paragraphs loaded and the outlet its body credits."""
    works = [
        Work(article, paragraphs[article.id], _day(article.published_at or article.first_seen_at))
        for article in batch
    ]
    for work in works:
        name = sources.get(work.source_id, ("", False))[0]
        work.credited_to = credited_outlet((p.text for p in work.paragraphs), (name,))
    return works


def _count_templates(index: TemplateIndex, works: Sequence[Work]) -> Counter[str]:
    """Each work's template result (``Work.result``), in batch order; the counters."""
    stats: Counter[str] = Counter()
    for work in works:
        work.result = index.count(work.id, work.source_id, work.sketches, work.verdicts,
                                  work.paragraph_keys, work.day)
        stats["dedup/templates_learned"] += work.result.learned
        stats["dedup/recurring_story"] += work.result.recurring
    return stats


def _apply_templates(index: TemplateIndex, works: Sequence[Work]) -> Counter[str]:
    """Each work's clean body (``Work.body``); the counters of paragraph fates."""
    stats: Counter[str] = Counter()
    for work in works:
        assert work.result is not None
        # Templates learned later in the batch clean its earlier articles here;
        # stored articles are cleaned again by a later batch (retroactive).
        index.apply(work.source_id, work.result)
        stats.update(f"dedup/{verdict.fate}" for verdict in work.result.verdicts)
        work.body = [
            paragraph.text
            for paragraph, verdict in zip(work.paragraphs, work.result.verdicts, strict=True)
            if verdict.fate == "kept"
        ]
    return stats


def _templated(work: Work) -> int:
    """How many of the work's paragraphs are templates of its source."""
    assert work.result is not None
    return sum(1 for verdict in work.result.verdicts if verdict.fate == "template")


def _place(clusterer: Clusterer, works: Sequence[Work], priority: Mapping[int, int],
           sources: Mapping[int, tuple[str, bool]]) -> Counter[str]:
    """Place every work's document in the clusters; the counters of outcomes."""
    stats: Counter[str] = Counter()
    for work in works:
        article = work.article
        order = election_key(
            credited=work.credited_to is not None,
            wire=sources.get(article.source_id, ("", False))[1],
            published_at=article.published_at, first_seen_at=article.first_seen_at,
            priority=priority.get(article.source_id, len(priority)), article_id=article.id,
            story=StoryText(work.body, templated=_templated(work), title=article.title),
        )
        assert work.document is not None
        _placement, outcome = clusterer.place(Body(work.id, work.day, order, work.document, work.keys))
        stats[f"dedup/{outcome}"] += 1
    return stats


class DedupStage:
    """Deduplicates pending articles: paragraph repeats and templates, then clusters.

    ``timings`` accumulates the seconds spent per step (``compute/...`` in Python,
    ``storage/...`` in the database) over the stage's life, for the benchmarks.
    ``sketches``: paragraph sketches made ahead with this ``config`` (by the extraction
    workers, ``presketch.py``), taken instead of computed where the texts match.
    """

    name = "dedup"

    def __init__(self, config: DedupConfig, db: Database, *,
                 sketches: SketchCache | None = None) -> None:
        self.config = config
        self.db = db
        self.sketcher = Sketcher(config)
        self.sketches = sketches
        self.timings: dict[str, float] = defaultdict(float)
        self._scheme = scheme_json(config)
        self._priority: dict[int, int] | None = None

    def run(self, source_ids: Sequence[int] | None = None) -> Counter[str]:
        """Deduplicate every pending article (of ``source_ids``, or all), oldest first.

        Returns counters: ``dedup/articles``, paragraph fates (``dedup/kept``,
        ``dedup/repeat``, ``dedup/truncated_repeat``, ``dedup/template``),
        ``dedup/templates_learned``, ``dedup/retroactive`` (stored articles cleaned again
        for a new template), ``dedup/recurring_story`` (paragraphs that reached the
        template bar within one recurring story and stayed content), ``dedup/cluster_new``, ``dedup/cluster_joined``,
        ``dedup/exact_copy``, ``dedup/too_short``, ``dedup/requeued`` (members of a
        cluster dissolved because its canonical changed), ``dedup/quarantined``
        (articles set aside after failing alone, see ``newsdedup.storage.dedup.quarantine``),
        ``dedup/retried`` (quarantined articles given another attempt), ``dedup/batches``
        and ``dedup/batch_ms`` (committed batches and the milliseconds they took). Raises
        ConfigError when stored signatures were made with other parameters, StorageError
        when the database fails; an article that fails for any other reason never stops
        the stage.
        """
        check_signature_scheme(self.config, self.db)
        stats: Counter[str] = Counter()
        with self.db.session() as session:
            crashed, retried = store.retry_quarantined(session, source_ids,
                                                       self.config.max_attempts, utcnow())
        if crashed:
            stats["dedup/quarantined"] += crashed
        if retried:
            stats["dedup/retried"] += retried
        # Members of other sources sent back by a dissolved cluster are finished here too,
        # not left pending until their own source is processed.
        requeued: set[int] = set()
        while True:
            batch = self._next_batch(source_ids, requeued)
            if not batch:
                break
            started = time.perf_counter()
            outcome = self._attempt(batch)
            if isinstance(outcome, Exception):
                self._failed(batch, outcome, stats)
                continue
            counts, sent_back = outcome
            # Counted only once the batch has committed.
            stats.update(counts)
            stats["dedup/batches"] += 1
            stats["dedup/batch_ms"] += round((time.perf_counter() - started) * 1000)
            requeued.update(sent_back)
            with self.db.session() as session:
                store.analyze_if_stale(session)
        return stats

    def _next_batch(self, source_ids: Sequence[int] | None,
                    requeued: set[int]) -> list[store.PendingArticle]:
        """The next batch, its attempt counted and committed: a batch with an article
        that failed or was cut short before is that article alone."""
        with self.db.session() as session:
            self._serialise(session)
            with self._timed("storage/read"):
                batch = store.pending_articles(session, source_ids, self.config.batch_size,
                                               also=requeued)
            suspects = [article for article in batch if article.attempts > 0]
            if suspects:
                batch = suspects[:1]
            store.begin_attempt(session, [article.id for article in batch])
        return batch

    def _attempt(self, batch: Sequence[store.PendingArticle]
                 ) -> tuple[Counter[str], list[int]] | Exception:
        """Deduplicate ``batch`` in one transaction; the exception if it failed (rolled
        back). Storage and configuration errors are not the articles' fault: they raise."""
        ids = [article.id for article in batch]
        try:
            with self.db.session() as session:
                self._serialise(session)
                # Another process may have done some of them since they were picked.
                still = store.still_pending(session, ids)
                batch = [article for article in batch if article.id in still]
                if not batch:
                    return Counter(), []
                outcome = self._batch(session, batch)
                store.clear_attempts(session, [article.id for article in batch])
                return outcome
        except Exception as exc:
            if isinstance(exc, NewsdedupError | OperationalError):
                self._undo_attempt(ids)  # the database or the config: not the articles' fault
                raise
            return exc  # one article's failure must not stop the stage
        except BaseException:
            self._undo_attempt(ids)  # stopped on purpose (a signal, the run's time limit)
            raise

    def _undo_attempt(self, ids: Sequence[int]) -> None:
        # Best effort: if the database is gone, the articles are only taken one by one
        # next time.
        with contextlib.suppress(Exception), self.db.session() as session:
            store.undo_attempt(session, ids)

    def _failed(self, batch: Sequence[store.PendingArticle], error: Exception,
                stats: Counter[str]) -> None:
        reason = f"{type(error).__name__}: {error}"
        if len(batch) > 1:
            # The next batches take its articles one at a time (their attempts count).
            log.warning("dedup of a batch of %d articles failed (%s); trying them one by one",
                        len(batch), " ".join(reason.split())[:200])
            return
        article = batch[0]
        log.error("article %d quarantined after dedup attempt %d: %s", article.id,
                  article.attempts + 1, " ".join(reason.split())[:200], exc_info=error)
        with self.db.session() as session:
            store.quarantine(session, article.id, reason, utcnow())
        stats["dedup/quarantined"] += 1

    def reset(self, source_ids: Sequence[int] | None = None) -> int:
        """Mark articles (of ``source_ids``, or all) pending and drop their derived data
        (signatures, band keys, paragraph fingerprints, clusters) so :meth:`run` rebuilds
        it. A cluster one of them led is dissolved, its other members pending too (as on
        an update). Returns the number of articles marked pending.
        """
        if source_ids is None:
            with self.db.session() as session:
                return store.clear_all(session)
        marked, after = 0, 0
        while True:
            with self.db.session() as session:
                self._serialise(session)
                rows = store.articles_of_sources(session, source_ids, after, 1000)
                if not rows:
                    store.clear_source_groups(session, source_ids)
                    break
                ids = [article_id for article_id, _ in rows]
                drop_signatures(session, ids)
                requeued = store.leave_clusters(session, [(a, c) for a, c in rows if c is not None])
                store.reset_articles(session, ids)
                marked += len(ids) + len(set(requeued) - set(ids))
                after = ids[-1]
        return marked

    def _batch(self, session: Session,
               batch: Sequence[store.PendingArticle]) -> tuple[Counter[str], list[int]]:
        """Deduplicate one batch; returns its counters and the articles it sent back."""
        now = utcnow()
        ids = [article.id for article in batch]
        with self._timed("storage/read"):
            scheme_id = store.ensure_scheme(session, self._scheme, now)
            released = drop_signatures(session, ids)
            requeued = store.leave_clusters(
                session, [(a.id, a.cluster_id) for a in batch if a.cluster_id is not None]
            )
            paragraphs = store.load_paragraphs(session, ids)
            priority = self._priorities(session)
            sources = self._source_names(session)
        stats: Counter[str] = Counter({"dedup/requeued": len(set(requeued) - set(ids))})
        works = _works(batch, paragraphs, sources)
        with self._timed("compute/paragraphs"):
            self._paragraph_repeats(works)
        index, retroactive, counts = self._templates(session, works, released)
        stats.update(counts)
        with self._timed("compute/documents"):
            self._documents(works)
        with self._timed("storage/read"):
            clusterer = read_clusterer(session, self.config, works, priority, sources)
        with self._timed("compute/clusters"):
            stats.update(_place(clusterer, works, priority, sources))
        with self._timed("storage/write"):
            changed = write_batch(session, works, now=now, scheme_id=scheme_id, index=index,
                                  clusterer=clusterer)
            # Earlier articles of a source that just learned a template are cleaned again.
            stats["dedup/retroactive"] += store.mark_pending(session, retroactive - set(ids))
            # Last: the change counter stays locked until the batch commits.
            stamp_changes(session, changed)
        stats["dedup/articles"] += len(batch)
        return stats, requeued

    def _templates(self, session: Session, works: Sequence[Work],
                   released: Sequence[Released]
                   ) -> tuple[TemplateIndex, set[int], Counter[str]]:
        """Template fates and clean bodies for ``works``: the template index (to write back),
        the stored articles to clean again, and the counters."""
        with self._timed("storage/read"):
            index = read_template_index(session, self.config, works, released)
        with self._timed("compute/templates"):
            for source_id, article_id, groups in released:
                index.release(article_id, source_id, groups)
            stats = _count_templates(index, works)
            results = [work.result for work in works if work.result is not None]
            late = [pair for result in results for pair in result.late]
            retroactive = {article for result in results for article in result.retroactive}
            stats.update(_apply_templates(index, works))
        if late:
            with self._timed("storage/read"):
                retroactive.update(store.articles_with_groups(session, late))
        return index, retroactive, stats

    def _paragraph_repeats(self, works: Sequence[Work]) -> None:
        """Every paragraph's sketch and in-article verdict (made ahead, or computed here
        for the whole batch at once), and the band keys of the signed ones."""
        missing = [work for work in works if not self._take_sketches(work)]
        flat = self.sketcher.paragraphs_of([p.text for work in missing for p in work.paragraphs])
        start = 0
        for work in missing:
            work.sketches = flat[start : start + len(work.paragraphs)]
            work.verdicts = in_article_verdicts(self.config, work.sketches, work.article.title)
            start += len(work.paragraphs)
        for work in works:
            work.paragraph_keys = [[] for _ in work.sketches]
        signed = [(work, j) for work in works for j, s in enumerate(work.sketches) if s.signature is not None]
        keys = paragraph_band_keys(
            [work.sketches[j].signature for work, j in signed],  # type: ignore[misc]
            [work.source_id for work, _ in signed],
        )
        for (work, j), found in zip(signed, keys, strict=True):
            work.paragraph_keys[j] = found

    def _take_sketches(self, work: Work) -> bool:
        """Fill ``work``'s sketches and verdicts from those made ahead, if there are."""
        if self.sketches is None:
            return False
        made = self.sketches.take(work.article.title, [p.text for p in work.paragraphs])
        if made is None:
            return False
        work.sketches = list(made.sketches)
        work.verdicts = list(made.verdicts)
        return True

    def _documents(self, works: Sequence[Work]) -> None:
        """Sketch every clean body of the batch at once, and band the long enough ones."""
        config = self.config
        for work, document in zip(works, self.sketcher.documents_of([w.body for w in works]), strict=True):
            work.document = document
        eligible = [
            work for work in works
            if work.document is not None and work.document.words >= config.min_words
            and work.document.shingles > 0
        ]
        if eligible:
            matrix = np.stack([work.document.signature for work in eligible])  # type: ignore[union-attr]
            hashed = short_keys(band_keys(matrix, config.bands, config.rows))
            for work, keys in zip(eligible, hashed, strict=True):
                work.keys = keys

    def _priorities(self, session: Session) -> dict[int, int]:
        """Source id -> rank in ``dedup.source_priority`` (read once per stage)."""
        if self._priority is None:
            names = self.config.source_priority
            ids = stored_source_ids(session, names) if names else {}
            self._priority = {ids[name]: rank for rank, name in enumerate(names) if name in ids}
        return self._priority

    def _source_names(self, session: Session) -> dict[int, tuple[str, bool]]:
        """Source id -> (name, whether it is one of ``dedup.wire_sources``); read per batch
        (one small query), as sources appear while a long-lived stage runs."""
        wires = set(self.config.wire_sources)
        return {source_id: (name, name in wires) for name, source_id in stored_source_ids(session).items()}

    def _serialise(self, session: Session) -> None:
        # SQLite write transactions are already exclusive (BEGIN IMMEDIATE); on Postgres two
        # processes deduplicating at once would race on the same clusters.
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})

    @contextmanager
    def _timed(self, what: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[what] += time.perf_counter() - start
