"""Clusters: reading the stories a batch can join, creating and updating them, leaving them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from newsdedup.storage.dedup.batch import chunked
from newsdedup.storage.models import ArticleRow, ClusterRow, ParagraphRow
from newsdedup.storage.rows import update_rows

__all__ = [
    "CanonicalInfo",
    "StoryTextRow",
    "create_clusters",
    "leave_clusters",
    "load_canonical_info",
    "load_clean_texts",
    "load_clusters",
    "load_reasons",
    "repoint_members",
    "set_matches",
    "update_clusters",
]

_articles = cast(Table, ArticleRow.__table__)
_clusters = cast(Table, ClusterRow.__table__)

_UNCLUSTERED = {
    "cluster_id": None,
    "is_canonical": True,
    "duplicate_of": None,
    "similarity": None,
    "match_method": None,
}


@dataclass(frozen=True, slots=True)
class CanonicalInfo:
    """What orders an article among a cluster's canonical candidates."""

    source_id: int
    published_at: datetime | None
    first_seen_at: datetime
    credited_to: str | None = None


def load_clusters(session: Session, cluster_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Cluster id -> (canonical article id, size)."""
    found: dict[int, tuple[int, int]] = {}
    for chunk in chunked(sorted(set(cluster_ids))):
        rows = session.execute(
            select(ClusterRow.id, ClusterRow.canonical_article_id, ClusterRow.size)
            .where(ClusterRow.id.in_(chunk))
        )
        found.update({cid: (canonical, size) for cid, canonical, size in rows if canonical is not None})
    return found


def load_canonical_info(session: Session, article_ids: Iterable[int]) -> dict[int, CanonicalInfo]:
    found: dict[int, CanonicalInfo] = {}
    for chunk in chunked(sorted(set(article_ids))):
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.source_id, ArticleRow.published_at,
                   ArticleRow.first_seen_at, ArticleRow.credited_to)
            .where(ArticleRow.id.in_(chunk))
        )
        found.update({aid: CanonicalInfo(s, p, f, c) for aid, s, p, f, c in rows})
    return found


@dataclass(frozen=True, slots=True)
class StoryTextRow:
    """What the canonical election reads of a stored article's text."""

    text: str
    templated: int = 0
    title: str | None = None


def load_clean_texts(session: Session, article_ids: Iterable[int]) -> dict[int, StoryTextRow]:
    """Article id -> its clean text (the kept paragraphs, separated by blank lines), how
    many of its paragraphs are templates of its source, and its title."""
    found: dict[int, StoryTextRow] = {}
    for chunk in chunked(sorted(set(article_ids))):
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.text, ArticleRow.title).where(ArticleRow.id.in_(chunk))
        )
        found.update({aid: StoryTextRow(text or "", 0, title) for aid, text, title in rows})
        counts = session.execute(
            select(ParagraphRow.article_id, func.count())
            .where(ParagraphRow.article_id.in_(chunk), ParagraphRow.fate == "template")
            .group_by(ParagraphRow.article_id)
        )
        for aid, count in counts:
            if aid in found:
                found[aid] = StoryTextRow(found[aid].text, int(count), found[aid].title)
    return found


def load_reasons(session: Session, cluster_ids: Iterable[int]) -> dict[int, str | None]:
    """Cluster id -> ``canonical_reason``."""
    found: dict[int, str | None] = {}
    for chunk in chunked(sorted(set(cluster_ids))):
        rows = session.execute(
            select(ClusterRow.id, ClusterRow.canonical_reason).where(ClusterRow.id.in_(chunk))
        )
        found.update({cid: reason for cid, reason in rows})
    return found


def create_clusters(session: Session, rows: Sequence[tuple[int, int, str]],
                    now: datetime) -> list[int]:
    """Insert clusters ``(canonical article id, size, canonical reason)``; their ids, in
    the same order."""
    if not rows:
        return []
    result = session.execute(
        insert(_clusters).returning(_clusters.c.id, sort_by_parameter_order=True),
        [
            {"canonical_article_id": canonical, "size": size, "canonical_reason": reason,
             "created_at": now, "updated_at": now}
            for canonical, size, reason in rows
        ],
    )
    return [row[0] for row in result]


def update_clusters(session: Session, rows: Sequence[tuple[int, int, int, str]],
                    now: datetime) -> None:
    """Set ``(cluster id, canonical article id, size, canonical reason)``."""
    update_rows(session, _clusters, "id",
                [{"id": i, "canonical_article_id": c, "size": s, "canonical_reason": r}
                 for i, c, s, r in rows],
                updated_at=now)


def repoint_members(session: Session, cluster_id: int, canonical_id: int) -> list[int]:
    """Make ``canonical_id`` the canonical of every member of the cluster; their ids."""
    result = session.execute(
        update(_articles)
        .where(_articles.c.cluster_id == cluster_id)
        .values(
            is_canonical=case((_articles.c.id == canonical_id, True), else_=False),
            duplicate_of=case((_articles.c.id == canonical_id, None), else_=canonical_id),
        )
        .returning(_articles.c.id)
    )
    return [row[0] for row in result]


def set_matches(session: Session, rows: Sequence[tuple[int, float, str]]) -> None:
    """Set ``(article id, similarity, match_method)`` of copies (a demoted canonical)."""
    update_rows(session, _articles, "id",
                [{"id": a, "similarity": s, "match_method": m} for a, s, m in rows])


def leave_clusters(session: Session, articles: Sequence[tuple[int, int]]) -> list[int]:
    """Take each ``(article id, cluster id)`` out of its cluster, before it is clustered again.

    A copy leaves and the cluster shrinks (and goes when empty). A canonical leaving a
    cluster with other members dissolves it: its members were verified against that
    canonical, so they become pending and are clustered again. Returns those members.
    """
    requeued: list[int] = []
    leaving = dict(articles)
    clusters = load_clusters(session, leaving.values())
    session.execute(
        update(_articles).where(_articles.c.id.in_(list(leaving))).values(**_UNCLUSTERED)
    )
    for article_id, cluster_id in articles:
        if cluster_id not in clusters:
            continue
        canonical, size = clusters[cluster_id]
        remaining = [
            member
            for member in session.scalars(select(ArticleRow.id).where(ArticleRow.cluster_id == cluster_id))
        ]
        if canonical == article_id or not remaining:
            others = [m for m in remaining if m not in leaving]
            if remaining:
                session.execute(
                    update(_articles)
                    .where(_articles.c.id.in_(remaining))
                    .values(**_UNCLUSTERED, dedup_state="pending")
                )
            requeued.extend(others)
            session.execute(delete(_clusters).where(_clusters.c.id == cluster_id))
            clusters.pop(cluster_id)
        else:
            clusters[cluster_id] = (canonical, size - 1)
            session.execute(
                update(_clusters).where(_clusters.c.id == cluster_id).values(size=len(remaining))
            )
    return requeued
