"""What a batch can reach, read from storage up front: groups, buckets, stories.

A batch reads with a handful of indexed queries and then decides in memory, so the
cost per article does not depend on the size of the corpus.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import key as paragraph_key
from newsdedup.pipeline.dedup.bands import (
    bucket_days,
    lookup_keys,
    paragraph_lookup_keys,
    short_key,
    short_keys,
    stored_key,
)
from newsdedup.pipeline.dedup.clusters import Clusterer, Story
from newsdedup.pipeline.dedup.fullness import StoryText
from newsdedup.pipeline.dedup.minhash import band_keys, from_bytes
from newsdedup.pipeline.dedup.origin import REASONS, Candidate, election_key
from newsdedup.pipeline.dedup.sketch import BodySignatures
from newsdedup.pipeline.dedup.templates import Counted, Group, TemplateIndex
from newsdedup.pipeline.dedup.work import Work
from newsdedup.storage import dedup as store

__all__ = ["Released", "drop_signatures", "read_clusterer", "read_template_index"]

log = logging.getLogger(__name__)

Released = tuple[int, int, list[int]]  # (source id, article id, paragraph groups)


def drop_signatures(session: Session, article_ids: Sequence[int]) -> list[Released]:
    """Remove the stored signatures and band keys of articles about to be redone; the
    paragraph groups each was counted under, so the counts can be taken back."""
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
            width = params["band_bucket_days"]
            stale.extend(
                (stored_key(k, row.day, width), row.day, row.article_id) for k in short_keys(keys)[0]
            )
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


def read_template_index(session: Session, config: DedupConfig, works: Sequence[Work],
                        released: Sequence[Released]) -> TemplateIndex:
    """The paragraph groups and bands the batch can reach (three queries)."""
    exact = {(source, group) for source, _article, groups in released for group in groups}
    for work in works:
        exact.update(
            (work.source_id, sketch.fingerprint)
            for sketch, verdict in zip(work.sketches, work.verdicts, strict=True)
            if verdict.fate == "kept"
        )
    stored = {(g.source_id, g.fingerprint): g for g in store.load_groups(session, exact)}
    wanted_bands = {
        (work.source_id, stored_key)
        for work in works
        for sketch, keys in zip(work.sketches, work.paragraph_keys, strict=True)
        if (work.source_id, sketch.fingerprint) not in stored
        for key in keys
        for stored_key in paragraph_lookup_keys(key, work.day)
    }
    bands = [
        (source, short_key(key), fingerprint)
        for source, key, fingerprint in store.group_band_members(session, wanted_bands)
    ]
    near = {(source, fingerprint) for source, _key, fingerprint in bands} - set(stored)
    stored.update({(g.source_id, g.fingerprint): g for g in store.load_groups(session, near)})
    groups = [
        Group(g.source_id, g.fingerprint, g.article_count, list(g.first_articles), g.is_template,
              from_bytes(g.signature) if g.signature is not None else None)
        for g in stored.values()
    ]
    return TemplateIndex(min_articles=config.template_min_articles,
                         threshold=config.paragraph_threshold,
                         series_threshold=config.series_threshold,
                         shingle_size=config.paragraph_shingle_size, groups=groups, bands=bands,
                         load_counted=lambda ids: _counted_paragraphs(session, ids))


def _counted_paragraphs(session: Session, article_ids: Sequence[int]) -> dict[int, Counted]:
    """The counted paragraphs of stored articles, as the template index compares them."""
    return {
        article_id: [(paragraph_key(text), fingerprint) for text, fingerprint in rows]
        for article_id, rows in store.counted_paragraphs(session, article_ids).items()
    }


def read_clusterer(session: Session, config: DedupConfig, works: Sequence[Work],
                   priority: dict[int, int], sources: dict[int, tuple[str, bool]]) -> Clusterer:
    """The stories, band buckets and canonicals the batch can reach (a few queries)."""
    clusterer = Clusterer(config)
    banded = [work for work in works if work.keys is not None]
    if not banded:
        return clusterer
    members = _band_members(session, config, banded)
    exact = store.exact_copies(
        session, {work.document.content_hash for work in banded if work.document is not None}
    )
    clusters = store.load_clusters(
        session, {m.cluster_id for m in members} | {cluster for _a, cluster in exact.values()}
    )
    _add_stories(session, clusterer, clusters, priority, sources)
    _add_members(clusterer, members, exact)
    return clusterer


def _add_members(clusterer: Clusterer, members: Sequence[store.BandMember],
                 exact: dict[str, tuple[int, int]]) -> None:
    """Give ``clusterer`` the band buckets and the stored members and exact copies of
    the stories it holds."""
    for member in members:
        if member.cluster_id in clusterer.stories:
            clusterer.members[member.article_id] = member.cluster_id
    clusterer.add_buckets((short_key(m.band_key), m.day, m.article_id) for m in members)
    for content_hash, (article_id, cluster_id) in exact.items():
        if cluster_id in clusterer.stories:
            clusterer.members[article_id] = cluster_id
            clusterer.exact[content_hash] = article_id


def _band_members(session: Session, config: DedupConfig,
                  banded: Sequence[Work]) -> list[store.BandMember]:
    """The stored articles sharing a band bucket with ``banded`` within the date window."""
    window = config.date_window_days
    days = [work.day for work in banded]
    span = (min(days) - window, max(days) + window) if window else None
    width = bucket_days(window)
    wanted = {
        stored for work in banded
        for stored in lookup_keys(work.keys or (), work.day, window, width)
    }
    return store.band_members(session, wanted, span)


def _add_stories(session: Session, clusterer: Clusterer, clusters: dict[int, tuple[int, int]],
                 priority: dict[int, int], sources: dict[int, tuple[str, bool]]) -> None:
    """Give ``clusterer`` the stored ``clusters`` (id -> (canonical, size)) whose canonical
    can be compared: the story, and the canonical's sketch, day and election key."""
    canonicals = {canonical for canonical, _size in clusters.values()}
    signatures = store.load_signatures(session, canonicals)
    info = store.load_canonical_info(session, canonicals)
    reasons = store.load_reasons(session, clusters)
    texts = store.load_clean_texts(session, canonicals)
    for cluster_id, (canonical, size) in clusters.items():
        row, about = signatures.get(canonical), info.get(canonical)
        if row is None or about is None:
            log.warning("cluster %d: canonical %d has no signature; not joinable", cluster_id, canonical)
            continue
        reason = reasons.get(cluster_id)
        clusterer.stories[cluster_id] = Story(
            cluster_id, canonical, size, canonical,
            reason=REASONS.index(reason) if reason in REASONS else None,
        )
        clusterer.members[canonical] = cluster_id
        clusterer.sketches[canonical] = (_body_signatures(row), row.day,
                                         _canonical_order(about, canonical, priority, sources,
                                                          texts.get(canonical)))


def _body_signatures(row: store.StoredSignature) -> BodySignatures:
    return BodySignatures(
        row.shingles, from_bytes(row.signature), row.lead_shingles,
        from_bytes(row.lead_signature), row.name_shingles, from_bytes(row.name_signature),
    )


def _canonical_order(about: store.CanonicalInfo, canonical: int, priority: dict[int, int],
                     sources: dict[int, tuple[str, bool]],
                     text: store.StoryTextRow | None) -> Candidate:
    """The election key of a stored canonical (``pipeline.dedup.origin.election_key``)."""
    return election_key(
        credited=about.credited_to is not None,
        wire=sources.get(about.source_id, ("", False))[1],
        published_at=about.published_at, first_seen_at=about.first_seen_at,
        priority=priority.get(about.source_id, len(priority)), article_id=canonical,
        story=StoryText.of_text(text.text, text.templated, text.title) if text else None,
    )
