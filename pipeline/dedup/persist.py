"""Writing a batch's decisions back: fates, groups, signatures, bands, clusters, articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from newsdedup.pipeline.dedup.bands import bucket_days, paragraph_lookup_keys, stored_rows
from newsdedup.pipeline.dedup.clusters import Clusterer, Story
from newsdedup.pipeline.dedup.minhash import to_bytes
from newsdedup.pipeline.dedup.origin import REASONS
from newsdedup.pipeline.dedup.templates import Group, TemplateIndex, TemplateResult
from newsdedup.pipeline.dedup.work import Work
from newsdedup.storage import dedup as store

__all__ = ["write_batch"]


def write_batch(session: Session, works: Sequence[Work], *, now: datetime, scheme_id: int,
                index: TemplateIndex, clusterer: Clusterer) -> set[int]:
    """Store everything the batch decided, in bulk, in the caller's transaction.

    Returns the articles a reader sees change: the batch's own, and the members of
    stored clusters whose canonical changed (for ``newsdedup.storage.changes.stamp_changes``)."""
    store.write_paragraphs(session, [
        (work.id, paragraph.position, verdict.fate, verdict.duplicate_of, fingerprint)
        for work in works
        for paragraph, verdict, fingerprint in zip(
            work.paragraphs, _result(work).verdicts, _result(work).fingerprints, strict=True
        )
    ])
    new_groups, changed_groups = index.changed()
    store.insert_groups(session, [_stored_group(g) for g in new_groups], now)
    store.update_groups(session, [_stored_group(g) for g in changed_groups])
    store.add_group_bands(session, [
        (source, paragraph_lookup_keys(key, day)[0], fingerprint)
        for source, key, fingerprint, day in index.new_bands
    ])
    store.save_signatures(session, [_signature(work, scheme_id) for work in works], now)
    width = bucket_days(clusterer.config.date_window_days)
    store.add_bands(session, stored_rows(clusterer.new_bands(), width))
    return _write_clusters(session, works, now, clusterer)


def _result(work: Work) -> TemplateResult:
    assert work.result is not None
    return work.result


def _signature(work: Work, scheme_id: int) -> store.StoredSignature:
    document = work.document
    assert document is not None and work.result is not None
    return store.StoredSignature(
        article_id=work.id, scheme_id=scheme_id, revision=work.article.revision, day=work.day,
        words=document.words, banded=work.keys is not None, shingles=document.shingles,
        signature=to_bytes(document.signature),
        lead_shingles=document.lead_shingles, lead_signature=to_bytes(document.lead_signature),
        name_shingles=document.name_shingles, name_signature=to_bytes(document.name_signature),
        paragraph_groups=np.asarray(work.result.groups, dtype="<i8").tobytes(),
    )


def _reason(story: Story) -> str:
    if story.size == 1:
        return "only"
    return REASONS[story.reason] if story.reason is not None else "unknown"


def _write_clusters(session: Session, works: Sequence[Work], now: datetime,
                    clusterer: Clusterer) -> set[int]:
    stories = list(clusterer.stories.values())
    ids = _store_stories(session, stories, now)
    store.write_articles(session, [_outcome(work, clusterer, ids) for work in works])
    changed = {work.id for work in works} | _repoint(session, stories)
    store.set_matches(session, [
        (article_id, match.similarity, match.method) for article_id, match in clusterer.demoted.items()
    ])
    return changed


def _store_stories(session: Session, stories: Sequence[Story], now: datetime) -> dict[int, int]:
    """Create the new clusters and update the changed ones; story key -> cluster id."""
    new_stories = [s for s in stories if not s.stored]
    created = store.create_clusters(
        session, [(s.canonical, s.size, _reason(s)) for s in new_stories], now
    )
    ids = {story.key: cluster_id for story, cluster_id in zip(new_stories, created, strict=True)}
    ids.update({s.key: s.key for s in stories if s.stored})
    store.update_clusters(
        session, [(s.key, s.canonical, s.size, _reason(s)) for s in stories if s.stored and s.dirty],
        now,
    )
    return ids


def _outcome(work: Work, clusterer: Clusterer, ids: dict[int, int]) -> store.ArticleOutcome:
    """What the article row records: clean text, cluster, canonical or copy of what."""
    placement = clusterer.placements[work.id]
    story = clusterer.stories[placement.story]
    canonical = story.canonical == work.id
    match = None if canonical else placement.match
    assert work.document is not None
    return store.ArticleOutcome(
        id=work.id, text="\n\n".join(work.body), word_count=work.document.words,
        content_hash=work.document.content_hash, cluster_id=ids[placement.story],
        is_canonical=canonical, duplicate_of=None if canonical else story.canonical,
        similarity=match.similarity if match else None,
        match_method=match.method if match else None,
        credited_to=work.credited_to[:80] if work.credited_to else None,
    )


def _repoint(session: Session, stories: Sequence[Story]) -> set[int]:
    """Point the members of stored clusters with a re-elected canonical at it (every
    member's record shows it); the members changed."""
    changed: set[int] = set()
    for story in stories:
        if story.stored and story.canonical != story.stored_canonical:
            changed.update(store.repoint_members(session, story.key, story.canonical))
    return changed


def _stored_group(group: Group) -> store.StoredGroup:
    return store.StoredGroup(
        group.source_id, group.fingerprint, group.article_count, list(group.first_articles),
        group.is_template, to_bytes(group.signature) if group.signature is not None else None,
    )
