"""The dedup stage: pending articles -> clean paragraphs -> syndication clusters, in batches.

Each batch is one transaction: it reads what the batch can touch (paragraph groups,
band buckets, canonicals) with a few indexed queries, decides in memory article after
article (oldest first), then writes everything back in bulk. A crash or a kill rolls the
batch back: its articles stay pending and the next run does them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from newsdedup.config import DedupConfig
from newsdedup.records import utcnow
from pipeline.dedup.clusters import Body, Clusterer, Story
from pipeline.dedup.minhash import Signature, band_keys, from_bytes, to_bytes
from pipeline.dedup.normalise import key
from pipeline.dedup.paragraphs import Verdict, article_repeats
from pipeline.dedup.scheme import check_signature_scheme, scheme_json
from pipeline.dedup.sketch import DocumentSketch, ParagraphSketch, Sketcher
from pipeline.dedup.templates import Group, TemplateIndex, TemplateResult, paragraph_band_keys
from pipeline.dedup.verify import canonical_order
from storage import dedup as store
from storage.db import Database
from storage.sources import source_ids as stored_source_ids

__all__ = ["DedupStage"]

log = logging.getLogger(__name__)

_EPOCH = date(1970, 1, 1).toordinal()
# Any constant shared by every newsdedup process: serialises dedup batches on Postgres.
_ADVISORY_LOCK_KEY = 0x64656475  # "dedu"


@dataclass(frozen=True, slots=True)
class _StoredSketch:
    """A stored signature row in the shape verification reads."""

    shingles: int
    signature: Signature
    lead_shingles: int
    lead_signature: Signature
    name_shingles: int
    name_signature: Signature


def _day(moment: datetime) -> int:
    return moment.date().toordinal() - _EPOCH


class DedupStage:
    """Deduplicates pending articles: paragraph repeats and templates, then clusters.

    ``timings`` accumulates seconds spent computing (``compute``) and in the database
    (``storage``) over the stage's life, for the benchmark.
    """

    name = "dedup"

    def __init__(self, config: DedupConfig, db: Database) -> None:
        self.config = config
        self.db = db
        self.sketcher = Sketcher(config)
        self.timings: dict[str, float] = defaultdict(float)
        self._scheme = scheme_json(config)
        self._priority: dict[int, int] | None = None

    # -- public --

    def run(self, source_ids: Sequence[int] | None = None) -> Counter[str]:
        """Deduplicate every pending article (of ``source_ids``, or all), oldest first.

        Returns counters: ``dedup/articles``, paragraph fates (``dedup/repeat``,
        ``dedup/truncated_repeat``, ``dedup/template``), ``dedup/templates_learned``,
        ``dedup/retroactive`` (articles cleaned again for a new template),
        ``dedup/cluster_new``, ``dedup/cluster_joined``, ``dedup/exact_copy``,
        ``dedup/too_short``, ``dedup/requeued`` (members of a cluster whose canonical
        changed revision). Raises ConfigError when stored signatures need a rebuild.
        """
        check_signature_scheme(self.config, self.db)
        stats: Counter[str] = Counter()
        while True:
            with self.db.session() as session:
                self._serialise(session)
                with self._timed("storage/read"):
                    batch = store.pending_articles(session, source_ids, self.config.batch_size)
                if not batch:
                    break
                counts = self._batch(session, batch)
            # Counted only once the batch has committed.
            stats.update(counts)
        return stats

    def reset(self, source_ids: Sequence[int] | None = None) -> int:
        """Mark articles (of ``source_ids``, or all) pending and drop their derived data
        (signatures, band keys, paragraph fingerprints, clusters) so :meth:`run` rebuilds
        it. Clusters they shared with other sources are left or dissolved as on an
        update. Returns the number of articles marked pending.
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
                self._drop_signatures(session, ids)
                requeued = store.leave_clusters(session, [(a, c) for a, c in rows if c is not None])
                store.reset_articles(session, ids)
                marked += len(ids) + len(set(requeued) - set(ids))
                after = ids[-1]
        return marked

    # -- one batch --

    def _batch(self, session: Session, batch: Sequence[store.PendingArticle]) -> Counter[str]:
        config = self.config
        stats: Counter[str] = Counter()
        now = utcnow()
        ids = [article.id for article in batch]
        with self._timed("storage/read"):
            scheme_id = store.ensure_scheme(session, self._scheme, now)
            released = self._drop_signatures(session, ids)
            requeued = store.leave_clusters(
                session, [(a.id, a.cluster_id) for a in batch if a.cluster_id is not None]
            )
            stats["dedup/requeued"] += len(set(requeued) - set(ids))
            stored_paragraphs = store.load_paragraphs(session, ids)
            priority = self._priorities(session)

        with self._timed("compute/paragraphs"):
            texts = [p.text for a in batch for p in stored_paragraphs[a.id]]
            flat = self.sketcher.paragraphs_of(texts)
            sketches: list[list[ParagraphSketch]] = []
            start = 0
            for article in batch:
                count = len(stored_paragraphs[article.id])
                sketches.append(flat[start : start + count])
                start += count
            with_signature = [
                (i, j) for i, paragraphs in enumerate(sketches)
                for j, p in enumerate(paragraphs) if p.signature is not None
            ]
            all_keys = paragraph_band_keys(
                [sketches[i][j].signature for i, j in with_signature],  # type: ignore[misc]
                [batch[i].source_id for i, _ in with_signature],
            )
            paragraph_keys: list[list[list[int]]] = [[[] for _ in p] for p in sketches]
            for (i, j), keys in zip(with_signature, all_keys, strict=True):
                paragraph_keys[i][j] = keys
            verdicts = [
                article_repeats(
                    sketches[i], key(article.title) if article.title else None,
                    near_threshold=config.paragraph_threshold,
                    truncated_min_words=config.truncated_min_words,
                    band_keys=paragraph_keys[i],
                )
                for i, article in enumerate(batch)
            ]

        with self._timed("storage/read"):
            index = self._template_index(session, batch, sketches, verdicts, paragraph_keys, released)

        with self._timed("compute/templates"):
            for source_id, article_id, groups in released:
                index.release(article_id, source_id, groups)
            results: list[TemplateResult] = []
            retroactive: set[int] = set()
            in_batch = set(ids)
            for i, article in enumerate(batch):
                result = index.count(article.id, article.source_id, sketches[i], verdicts[i],
                                     paragraph_keys[i])
                results.append(result)
                retroactive.update(a for a in result.retroactive if a not in in_batch)
                stats["dedup/templates_learned"] += result.learned
            for i, article in enumerate(batch):
                # Templates learned later in the batch clean its earlier articles here;
                # stored articles are cleaned again by a later batch (retroactive).
                index.apply(article.source_id, results[i])
                for verdict in results[i].verdicts:
                    stats[f"dedup/{verdict.fate}"] += 1
            bodies = [
                [p.text for p, v in zip(stored_paragraphs[a.id], results[i].verdicts, strict=True)
                 if v.fate == "kept"]
                for i, a in enumerate(batch)
            ]

        with self._timed("compute/documents"):
            documents = self.sketcher.documents_of(bodies)
            days = [_day(a.published_at or a.first_seen_at) for a in batch]
            eligible = [
                i for i, d in enumerate(documents) if d.words >= config.min_words and d.shingles > 0
            ]
            keys_of: dict[int, list[int]] = {}
            if eligible:
                matrix = np.stack([documents[i].signature for i in eligible])
                for i, keys in zip(eligible, band_keys(matrix, config.bands, config.rows).tolist(),
                                   strict=True):
                    keys_of[i] = keys

        with self._timed("storage/read"):
            clusterer = self._clusterer(session, documents, days, keys_of)

        with self._timed("compute/clusters"):
            for i, article in enumerate(batch):
                order = canonical_order(article.published_at, article.first_seen_at,
                                        priority.get(article.source_id, len(priority)), article.id)
                _placement, outcome = clusterer.place(
                    Body(article.id, days[i], order, documents[i], keys_of.get(i))
                )
                stats[f"dedup/{outcome}"] += 1

        with self._timed("storage/write"):
            self._write(session, batch, now, scheme_id, stored_paragraphs, results, bodies,
                        documents, days, keys_of, index, clusterer)
            # Earlier articles of a source that just learned a template are cleaned again.
            stats["dedup/retroactive"] += store.mark_pending(session, retroactive)
        stats["dedup/articles"] += len(batch)
        return stats

    def _template_index(self, session: Session, batch: Sequence[store.PendingArticle],
                        sketches: list[list[ParagraphSketch]], verdicts: list[list[Verdict]],
                        paragraph_keys: list[list[list[int]]],
                        released: list[tuple[int, int, list[int]]]) -> TemplateIndex:
        """The groups and bands the batch can reach, read in three queries."""
        exact = {(s, g) for s, _a, groups in released for g in groups}
        for i, article in enumerate(batch):
            for j, paragraph in enumerate(sketches[i]):
                if verdicts[i][j].fate == "kept":
                    exact.add((article.source_id, paragraph.fingerprint))
        stored = {(g.source_id, g.fingerprint): g for g in store.load_groups(session, exact)}
        wanted_bands = {
            (article.source_id, k)
            for i, article in enumerate(batch)
            for j, paragraph in enumerate(sketches[i])
            if (article.source_id, paragraph.fingerprint) not in stored
            for k in paragraph_keys[i][j]
        }
        bands = store.group_band_members(session, wanted_bands)
        near = {(s, f) for s, _k, f in bands} - set(stored)
        stored.update({(g.source_id, g.fingerprint): g for g in store.load_groups(session, near)})
        groups = [
            Group(g.source_id, g.fingerprint, g.article_count, list(g.first_articles), g.is_template,
                  from_bytes(g.signature) if g.signature is not None else None)
            for g in stored.values()
        ]
        return TemplateIndex(min_articles=self.config.template_min_articles,
                             threshold=self.config.paragraph_threshold, groups=groups, bands=bands)

    def _clusterer(self, session: Session, documents: Sequence[DocumentSketch], days: Sequence[int],
                   keys_of: dict[int, list[int]]) -> Clusterer:
        """The stories, buckets and canonicals the batch can reach, read in a few queries."""
        config = self.config
        clusterer = Clusterer(config)
        if not keys_of:
            return clusterer
        window = config.date_window_days
        reach = [days[i] for i in keys_of]
        span = (min(reach) - window, max(reach) + window) if window else None
        members = store.band_members(session, {k for keys in keys_of.values() for k in keys}, span)
        exact = store.exact_copies(session, {documents[i].content_hash for i in keys_of})
        clusters = store.load_clusters(
            session, {m.cluster_id for m in members} | {c for _a, c in exact.values()}
        )
        canonicals = {canonical for canonical, _size in clusters.values()}
        signatures = store.load_signatures(session, canonicals)
        info = store.load_canonical_info(session, canonicals)
        priority = self._priorities(session)
        for cluster_id, (canonical, size) in clusters.items():
            row, about = signatures.get(canonical), info.get(canonical)
            if row is None or about is None:
                log.warning("cluster %d: canonical %d has no signature; not joinable", cluster_id, canonical)
                continue
            clusterer.stories[cluster_id] = Story(cluster_id, canonical, size, canonical)
            clusterer.members[canonical] = cluster_id
            sketch = _StoredSketch(
                row.shingles, from_bytes(row.signature), row.lead_shingles,
                from_bytes(row.lead_signature), row.name_shingles, from_bytes(row.name_signature),
            )
            order = canonical_order(about.published_at, about.first_seen_at,
                                    priority.get(about.source_id, len(priority)), canonical)
            clusterer.sketches[canonical] = (sketch, row.day, order)
        for member in members:
            if member.cluster_id in clusterer.stories:
                clusterer.members[member.article_id] = member.cluster_id
        clusterer.add_buckets((m.band_key, m.day, m.article_id) for m in members)
        for content_hash, (article_id, cluster_id) in exact.items():
            if cluster_id in clusterer.stories:
                clusterer.members[article_id] = cluster_id
                clusterer.exact[content_hash] = article_id
        return clusterer

    def _write(self, session: Session, batch: Sequence[store.PendingArticle], now: datetime,
               scheme_id: int, stored_paragraphs: dict[int, list[store.StoredParagraph]],
               results: Sequence[TemplateResult], bodies: Sequence[Sequence[str]],
               documents: Sequence[DocumentSketch], days: Sequence[int],
               keys_of: dict[int, list[int]], index: TemplateIndex, clusterer: Clusterer) -> None:
        store.write_paragraphs(session, [
            (article.id, paragraph.position, verdict.fate, verdict.duplicate_of, fingerprint)
            for i, article in enumerate(batch)
            for paragraph, verdict, fingerprint in zip(
                stored_paragraphs[article.id], results[i].verdicts, results[i].fingerprints, strict=True
            )
        ])
        new_groups, changed_groups = index.changed()
        store.insert_groups(session, [_stored_group(g) for g in new_groups], now)
        store.update_groups(session, [_stored_group(g) for g in changed_groups])
        store.add_group_bands(session, index.new_bands)
        store.save_signatures(session, [
            store.StoredSignature(
                article_id=article.id, scheme_id=scheme_id, revision=article.revision, day=days[i],
                words=documents[i].words, banded=i in keys_of, shingles=documents[i].shingles,
                signature=to_bytes(documents[i].signature),
                lead_shingles=documents[i].lead_shingles,
                lead_signature=to_bytes(documents[i].lead_signature),
                name_shingles=documents[i].name_shingles,
                name_signature=to_bytes(documents[i].name_signature),
                paragraph_groups=np.asarray(results[i].groups, dtype="<i8").tobytes(),
            )
            for i, article in enumerate(batch)
        ], now)
        store.add_bands(session, list(clusterer.new_bands()))

        new_stories = [s for s in clusterer.stories.values() if not s.stored]
        created = store.create_clusters(session, [(s.canonical, s.size) for s in new_stories], now)
        ids = {story.key: cluster_id for story, cluster_id in zip(new_stories, created, strict=True)}
        ids.update({s.key: s.key for s in clusterer.stories.values() if s.stored})
        store.update_clusters(session, [
            (s.key, s.canonical, s.size) for s in clusterer.stories.values() if s.stored and s.dirty
        ], now)
        outcomes = []
        for i, article in enumerate(batch):
            placement = clusterer.placements[article.id]
            story = clusterer.stories[placement.story]
            canonical = story.canonical == article.id
            body = "\n\n".join(bodies[i])
            outcomes.append(store.ArticleOutcome(
                id=article.id, text=body, word_count=documents[i].words,
                content_hash=documents[i].content_hash, cluster_id=ids[placement.story],
                is_canonical=canonical, duplicate_of=None if canonical else story.canonical,
                similarity=None if canonical or placement.match is None else placement.match.similarity,
                match_method=None if canonical or placement.match is None else placement.match.method,
            ))
        store.write_articles(session, outcomes)
        for story in clusterer.stories.values():
            if story.stored and story.canonical != story.stored_canonical:
                store.repoint_members(session, story.key, story.canonical)
        store.set_matches(session, [
            (article_id, match.similarity, match.method) for article_id, match in clusterer.demoted.items()
        ])

    # -- helpers --

    def _drop_signatures(self, session: Session,
                         article_ids: Sequence[int]) -> list[tuple[int, int, list[int]]]:
        """Remove the stored signatures and band keys of articles about to be redone;
        returns ``(source_id, article_id, paragraph groups)`` whose counts to take back."""
        previous = store.load_signatures(session, article_ids)
        if not previous:
            return []
        schemes = store.load_schemes(session)
        stale: list[tuple[int, int, int]] = []
        for row in previous.values():
            if row.banded:
                # Keys as they were made, even if the config has changed since.
                params = schemes[row.scheme_id]
                keys = band_keys(from_bytes(row.signature)[None, :], params["bands"], params["rows"])
                stale.extend((int(k), row.day, row.article_id) for k in keys[0])
        store.delete_bands(session, stale)
        store.delete_signatures(session, list(previous))
        sources = {
            article_id: info.source_id
            for article_id, info in store.load_canonical_info(session, list(previous)).items()
        }
        return [
            (sources[row.article_id], row.article_id,
             np.frombuffer(row.paragraph_groups, dtype="<i8").tolist())
            for row in previous.values() if row.article_id in sources
        ]

    def _priorities(self, session: Session) -> dict[int, int]:
        """Source id -> rank in ``dedup.source_priority`` (read once per stage)."""
        if self._priority is None:
            names = self.config.source_priority
            ids = stored_source_ids(session, names) if names else {}
            self._priority = {ids[name]: rank for rank, name in enumerate(names) if name in ids}
        return self._priority

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


def _stored_group(group: Group) -> store.StoredGroup:
    return store.StoredGroup(
        group.source_id, group.fingerprint, group.article_count, list(group.first_articles),
        group.is_template, to_bytes(group.signature) if group.signature is not None else None,
    )
