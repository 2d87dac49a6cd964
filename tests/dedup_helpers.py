"""Storing articles and reading back what the dedup stage made of them, for the tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from newsdedup.core.config import DedupConfig
from newsdedup.core.records import Article
from newsdedup.pipeline.dedup import DedupStage
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow, ClusterRow, ParagraphRow
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)


def store(db: Database, source: str, url: str, paragraphs: tuple[str, ...], *,
          title: str | None = None, published: datetime | None = None,
          seen: datetime | None = None) -> int:
    """Save one article (as the process phase does); its id."""
    with db.session() as session:
        source_id = ensure_sources(session, [source])[source]
        article = Article(source=source, url=url, canonical_url=url, title=title,
                          paragraphs=paragraphs, published_at=published)
        return save_article(session, article, source_id=source_id, origin="crawl",
                            now=seen or NOW).article_id


def store_in_order(db: Database, items: list[tuple[str, str, tuple[str, ...]]]) -> list[int]:
    """Save ``(source, url, paragraphs)`` one minute apart, so first seen follows the list."""
    return [
        store(db, source, url, body, seen=NOW + timedelta(minutes=index))
        for index, (source, url, body) in enumerate(items)
    ]


def run(db: Database, **overrides: Any) -> Counter[str]:
    return DedupStage(DedupConfig(**overrides), db).run()


@dataclass(frozen=True)
class Stored:
    id: int
    text: str
    dedup_state: str
    cluster_id: int | None
    is_canonical: bool
    duplicate_of: int | None
    similarity: float | None
    match_method: str | None


def articles(db: Database) -> dict[int, Stored]:
    with db.reader() as session:
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.text, ArticleRow.dedup_state, ArticleRow.cluster_id,
                   ArticleRow.is_canonical, ArticleRow.duplicate_of, ArticleRow.similarity,
                   ArticleRow.match_method)
        )
        return {row[0]: Stored(*row) for row in rows}


def fates(db: Database, article_id: int) -> list[str]:
    with db.reader() as session:
        return list(session.scalars(
            select(ParagraphRow.fate).where(ParagraphRow.article_id == article_id)
            .order_by(ParagraphRow.position)
        ))


def cluster_sizes(db: Database) -> dict[int, int]:
    with db.reader() as session:
        return {cid: size for cid, size in session.execute(select(ClusterRow.id, ClusterRow.size))}


def cluster_size(db: Database, article: Stored) -> int:
    """The size stored for the cluster ``article`` is in (it must be in one)."""
    assert article.cluster_id is not None, "the article is in no cluster"
    return cluster_sizes(db)[article.cluster_id]


def same_cluster(found: dict[int, Stored], *ids: int) -> bool:
    return len({found[i].cluster_id for i in ids}) == 1 and found[ids[0]].cluster_id is not None
