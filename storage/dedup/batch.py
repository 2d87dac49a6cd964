"""The articles a dedup batch reads (pending ones, their paragraphs) and what it writes back."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from newsdedup.storage.dedup.bulk import is_postgres, key_set, select_rows, update_rows
from newsdedup.storage.models import ArticleRow, ParagraphRow

__all__ = [
    "ArticleOutcome",
    "PendingArticle",
    "StoredParagraph",
    "articles_with_groups",
    "chunked",
    "counted_paragraphs",
    "exact_copies",
    "load_paragraphs",
    "mark_pending",
    "pending_articles",
    "write_articles",
    "write_paragraphs",
]

T = TypeVar("T")

#: Values per IN list: far below SQLite's and Postgres's parameter limits.
IN_CHUNK = 2000

_articles = cast(Table, ArticleRow.__table__)
_paragraphs = cast(Table, ParagraphRow.__table__)


def chunked(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``."""
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article waiting for the dedup stages, with what they need to know about it."""

    id: int
    source_id: int
    title: str | None
    published_at: datetime | None
    first_seen_at: datetime
    revision: int
    cluster_id: int | None
    #: Dedup attempts already counted for it (a batch that failed or was cut short).
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class StoredParagraph:
    position: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class ArticleOutcome:
    """What the dedup stages decided for one article (its row is updated to this)."""

    id: int
    text: str
    word_count: int
    content_hash: str
    cluster_id: int
    is_canonical: bool
    duplicate_of: int | None
    similarity: float | None
    match_method: str | None
    credited_to: str | None = None


def pending_articles(session: Session, source_ids: Sequence[int] | None, limit: int, *,
                     also: Collection[int] = ()) -> list[PendingArticle]:
    """Up to ``limit`` pending articles (of ``source_ids``, or all; plus those with ids in
    ``also`` whatever their source), oldest first."""
    query = (
        select(
            ArticleRow.id, ArticleRow.source_id, ArticleRow.title, ArticleRow.published_at,
            ArticleRow.first_seen_at, ArticleRow.revision, ArticleRow.cluster_id,
            ArticleRow.dedup_attempts,
        )
        .where(ArticleRow.dedup_state == "pending")
        .order_by(ArticleRow.first_seen_at, ArticleRow.id)
        .limit(limit)
    )
    if source_ids is not None:
        wanted: ColumnElement[bool] = ArticleRow.source_id.in_(list(source_ids))
        if also:
            wanted = or_(wanted, ArticleRow.id.in_(sorted(also)))
        query = query.where(wanted)
    return [PendingArticle(*row) for row in session.execute(query)]


def load_paragraphs(session: Session, article_ids: Sequence[int]) -> dict[int, list[StoredParagraph]]:
    """The stored paragraphs of each article, in reading order."""
    found: dict[int, list[StoredParagraph]] = {article_id: [] for article_id in article_ids}
    if not article_ids:
        return found
    condition, params = key_set(session, "article_id", "ids", article_ids)
    rows = select_rows(
        session,
        f"SELECT article_id, position, kind, text FROM {_paragraphs.name} WHERE {condition} "
        "ORDER BY article_id, position",
        params,
    )
    for article_id, position, kind, text in rows:
        found[article_id].append(StoredParagraph(position, kind, text))
    return found


def counted_paragraphs(session: Session,
                       article_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    """``(text, group fingerprint)`` of the paragraphs each stored article was counted
    under for templates (fate kept or template), in reading order; an article without
    such paragraphs is absent."""
    found: dict[int, list[tuple[str, int]]] = {}
    if not article_ids:
        return found
    condition, params = key_set(session, "article_id", "ids", article_ids)
    rows = select_rows(
        session,
        f"SELECT article_id, text, fingerprint FROM {_paragraphs.name} WHERE {condition} "
        "AND fate IN ('kept', 'template') AND fingerprint IS NOT NULL "
        "ORDER BY article_id, position",
        params,
    )
    for article_id, text, fingerprint in rows:
        found.setdefault(article_id, []).append((text, fingerprint))
    return found


def articles_with_groups(session: Session, groups: Iterable[tuple[int, int]]) -> set[int]:
    """The stored articles with a paragraph counted under one of these ``(source_id,
    group fingerprint)`` groups."""
    wanted = set(groups)
    if not wanted:
        return set()
    condition, params = key_set(session, "p.fingerprint", "fingerprints", {f for _s, f in wanted})
    rows = select_rows(
        session,
        f"SELECT DISTINCT p.article_id, a.source_id, p.fingerprint FROM {_paragraphs.name} p "
        f"JOIN {_articles.name} a ON a.id = p.article_id WHERE {condition}",
        params,
    )
    return {article_id for article_id, source_id, f in rows if (source_id, f) in wanted}


def write_paragraphs(session: Session,
                     rows: Sequence[tuple[int, int, str, int | None, int]]) -> None:
    """Set ``(article_id, position, fate, duplicate_of, fingerprint)`` of paragraphs."""
    update_rows(
        session, _paragraphs, ["article_id", "position"], ["fate", "duplicate_of", "fingerprint"],
        rows, ["BIGINT", "INTEGER", "TEXT", "INTEGER", "BIGINT"],
    )


def write_articles(session: Session, outcomes: Sequence[ArticleOutcome]) -> None:
    """Store each outcome on its article and mark it ``done``.

    On Postgres the clean text is written only where it differs from the stored one
    (most articles lose nothing, or lose what they lost last time): sending and
    re-TOASTing the bodies is most of the cost of the update there, and reading them
    back to compare is a fraction of it. SQLite rewrites the whole row either way."""
    if not outcomes:
        return
    changed, same = list(outcomes), []
    if is_postgres(session):
        condition, params = key_set(session, "id", "ids", [o.id for o in outcomes])
        stored = dict(select_rows(session, f"SELECT id, text FROM {_articles.name} WHERE {condition}", params))
        changed = [o for o in outcomes if stored.get(o.id) != o.text]
        same = [o for o in outcomes if stored.get(o.id) == o.text]
    columns = ["word_count", "content_hash", "cluster_id", "is_canonical", "duplicate_of",
               "similarity", "match_method", "credited_to", "dedup_state"]
    types = ["INTEGER", "TEXT", "BIGINT", "BOOLEAN", "BIGINT", "DOUBLE PRECISION", "TEXT", "TEXT",
             "TEXT"]

    def values(o: ArticleOutcome) -> tuple[object, ...]:
        return (o.word_count, o.content_hash, o.cluster_id, o.is_canonical, o.duplicate_of,
                o.similarity, o.match_method, o.credited_to, "done")

    update_rows(session, _articles, ["id"], ["text", *columns],
                [(o.id, o.text, *values(o)) for o in changed], ["BIGINT", "TEXT", *types])
    update_rows(session, _articles, ["id"], columns,
                [(o.id, *values(o)) for o in same], ["BIGINT", *types])


def mark_pending(session: Session, article_ids: Iterable[int]) -> int:
    """Send finished articles back to the dedup stages (their inputs changed)."""
    changed = 0
    for chunk in chunked(sorted(set(article_ids))):
        result = session.execute(
            update(_articles)
            .where(_articles.c.id.in_(chunk))
            .where(_articles.c.dedup_state == "done")
            .values(dedup_state="pending")
        )
        changed += result.rowcount  # type: ignore[attr-defined]
    return changed


def exact_copies(session: Session, hashes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Content hash -> (article id, cluster id) of the oldest finished article with that
    clean body (one per hash, however many copies share it)."""
    oldest: dict[str, int] = {}
    for chunk in chunked(sorted(set(hashes))):
        # Only the hash in SQL, the rest sorted out here: a planner without statistics
        # would otherwise pick the dedup_state index and visit every finished article.
        condition, params = key_set(session, "content_hash", "hashes", chunk, "TEXT")
        rows = select_rows(
            session,
            f"SELECT content_hash, id, dedup_state, cluster_id FROM {_articles.name} WHERE {condition}",
            params,
        )
        for content_hash, article_id, state, cluster_id in rows:
            if state == "done" and cluster_id is not None and article_id < oldest.get(content_hash, article_id + 1):
                oldest[content_hash] = article_id
    clusters: dict[int, int] = {}
    for ids in chunked(sorted(oldest.values())):
        found = session.execute(select(ArticleRow.id, ArticleRow.cluster_id).where(ArticleRow.id.in_(ids)))
        for article_id, cluster_id in found:
            if cluster_id is not None:
                clusters[article_id] = cluster_id
    return {h: (a, clusters[a]) for h, a in oldest.items() if a in clusters}
