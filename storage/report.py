"""Read-only queries behind ``newsdedup report``: stories, runs, rejections, templates, cleaning.

Every function reads all sources at once (grouped in SQL), never one query per source
or per story, and caps what it returns, so a report over a large window costs a few
queries whatever the number of sources, stories and articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from storage.models import ArticleRow, ClusterRow, CrawlRunRow, PageRow, ParagraphRow, SourceRow

__all__ = [
    "FateExample",
    "RunPoint",
    "StoryMember",
    "StoryRow",
    "TemplateParagraph",
    "fate_counts",
    "rejections",
    "run_points",
    "sample_pages",
    "stories",
    "templates",
    "window_articles",
]

_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, with its clean body (``text``: paragraphs joined by a
    blank line)."""

    article_id: int
    source: str
    url: str
    canonical_url: str
    title: str | None
    published_at: datetime | None
    first_seen_at: datetime
    is_canonical: bool
    similarity: float | None
    match_method: str | None
    text: str


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A syndication cluster: its stored size and the members read (at most the cap)."""

    cluster_id: int
    size: int
    members: tuple[StoryMember, ...]


def _source_filter(query: _Query, sources: Sequence[str] | None) -> _Query:
    if sources:
        return query.where(SourceRow.name.in_(list(sources)))
    return query


def window_articles(session: Session, since: datetime | None,
                    sources: Sequence[str] | None = None) -> dict[str, int]:
    """Source name -> articles first seen since ``since`` (all when None)."""
    query = (select(SourceRow.name, func.count(ArticleRow.id))
             .join(SourceRow, SourceRow.id == ArticleRow.source_id)
             .group_by(SourceRow.name))
    if since is not None:
        query = query.where(ArticleRow.first_seen_at >= since)
    query = _source_filter(query, sources)
    return {name: int(count) for name, count in session.execute(query)}


def stories(session: Session, since: datetime | None, sources: Sequence[str] | None = None, *,
            limit: int = 30, max_members: int = 40) -> tuple[list[StoryRow], int]:
    """The largest syndication clusters (two or more articles) having an article first
    seen since ``since`` (of ``sources``, when given), largest first, at most ``limit``;
    each with its canonical article first, then the copies by publication time, at most
    ``max_members``. Also returns how many such clusters there are in all."""
    touched = (select(ArticleRow.cluster_id)
               .join(SourceRow, SourceRow.id == ArticleRow.source_id)
               .where(ArticleRow.cluster_id.is_not(None)))
    if since is not None:
        touched = touched.where(ArticleRow.first_seen_at >= since)
    touched = _source_filter(touched, sources)
    wanted = select(ClusterRow.id, ClusterRow.size).where(
        ClusterRow.size >= 2, ClusterRow.id.in_(touched.scalar_subquery()))
    total = int(session.scalar(select(func.count()).select_from(wanted.subquery())) or 0)
    top = list(session.execute(wanted.order_by(ClusterRow.size.desc(), ClusterRow.id).limit(limit)))
    if not top:
        return [], total
    members: dict[int, list[StoryMember]] = {cluster_id: [] for cluster_id, _ in top}
    query = (
        select(ArticleRow.id, ArticleRow.cluster_id, SourceRow.name, ArticleRow.url,
               ArticleRow.canonical_url, ArticleRow.title, ArticleRow.published_at,
               ArticleRow.first_seen_at, ArticleRow.is_canonical, ArticleRow.similarity,
               ArticleRow.match_method, ArticleRow.text)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ArticleRow.cluster_id.in_(list(members)), ArticleRow.dedup_state == "done")
        .order_by(ArticleRow.cluster_id, ArticleRow.is_canonical.desc(),
                  ArticleRow.published_at, ArticleRow.first_seen_at, ArticleRow.id)
    )
    for row in session.execute(query):
        bucket = members[row.cluster_id]
        if len(bucket) < max_members:
            bucket.append(StoryMember(
                row.id, row.name, row.url, row.canonical_url, row.title, row.published_at,
                row.first_seen_at, bool(row.is_canonical), row.similarity, row.match_method,
                row.text or ""))
    return [StoryRow(cluster_id, int(size), tuple(members[cluster_id]))
            for cluster_id, size in top if members[cluster_id]], total


@dataclass(frozen=True, slots=True)
class RunPoint:
    """One finished crawl run of a source."""

    source: str
    started_at: datetime
    status: str
    pages_fetched: int
    articles_new: int
    articles_updated: int
    rejected: int
    errors: int


def run_points(session: Session, since: datetime | None, sources: Sequence[str] | None = None,
               *, limit: int = 5000) -> list[RunPoint]:
    """Finished crawl runs started since ``since``, oldest first (the newest ``limit``)."""
    query = (
        select(SourceRow.name, CrawlRunRow.started_at, CrawlRunRow.status,
               CrawlRunRow.pages_fetched, CrawlRunRow.articles_new, CrawlRunRow.articles_updated,
               CrawlRunRow.rejected, CrawlRunRow.errors)
        .join(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .where(CrawlRunRow.trigger.in_(("schedule", "cron", "manual")),
               CrawlRunRow.status != "running")
        .order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(CrawlRunRow.started_at >= since)
    query = _source_filter(query, sources)
    points = [RunPoint(*row) for row in session.execute(query)]
    points.reverse()
    return points


def rejections(session: Session, since: datetime | None,
               sources: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
    """Source -> rejection reason -> pages processed since ``since`` that did not become
    articles (``failed`` pages under their outcome's name)."""
    reason = func.coalesce(PageRow.reason, PageRow.outcome)
    query = (
        select(SourceRow.name, PageRow.outcome, reason, func.count())
        .join(SourceRow, SourceRow.id == PageRow.source_id)
        .where(PageRow.outcome.in_(("rejected", "failed")))
        .group_by(SourceRow.name, PageRow.outcome, reason)
    )
    if since is not None:
        query = query.where(PageRow.processed_at >= since)
    query = _source_filter(query, sources)
    result: dict[str, dict[str, int]] = {}
    for name, outcome, why, count in session.execute(query):
        # A failed page's reason is an exception text: one bucket per outcome is enough.
        key = "failed" if outcome == "failed" else str(why)
        bucket = result.setdefault(name, {})
        bucket[key] = bucket.get(key, 0) + int(count)
    return result


@dataclass(frozen=True, slots=True)
class TemplateParagraph:
    """A paragraph a source prints on many pages, removed from each: how many articles of
    the window it was removed from, and its text."""

    source: str
    articles: int
    text: str


def templates(session: Session, since: datetime | None, sources: Sequence[str] | None = None,
              *, per_source: int = 8) -> dict[str, list[TemplateParagraph]]:
    """Source -> its template paragraphs removed from articles first seen since
    ``since``, most frequent first (at most ``per_source``)."""
    query = (
        select(SourceRow.name, ParagraphRow.fingerprint, func.count(), func.min(ParagraphRow.text))
        .join(ArticleRow, ArticleRow.id == ParagraphRow.article_id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ParagraphRow.fate == "template")
        .group_by(SourceRow.name, ParagraphRow.fingerprint)
    )
    if since is not None:
        query = query.where(ArticleRow.first_seen_at >= since)
    query = _source_filter(query, sources)
    result: dict[str, list[TemplateParagraph]] = {}
    for name, _fingerprint, count, text in session.execute(query):
        result.setdefault(name, []).append(TemplateParagraph(name, int(count), text or ""))
    return {name: sorted(found, key=lambda t: (-t.articles, t.text))[:per_source]
            for name, found in result.items()}


@dataclass(frozen=True, slots=True)
class FateExample:
    """How many paragraphs met one fate, and one of them with the article it came from."""

    fate: str
    paragraphs: int
    example: str
    example_url: str
    repeats: str | None = None


def fate_counts(session: Session, since: datetime | None,
                sources: Sequence[str] | None = None) -> list[FateExample]:
    """Paragraphs of articles first seen since ``since`` by fate (kept, repeat,
    truncated_repeat, template), each with one example (the first such paragraph) and,
    for a repeat, the paragraph it repeats."""
    query = (
        select(ParagraphRow.fate, func.count(), func.min(ParagraphRow.id))
        .join(ArticleRow, ArticleRow.id == ParagraphRow.article_id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .group_by(ParagraphRow.fate)
    )
    if since is not None:
        query = query.where(ArticleRow.first_seen_at >= since)
    query = _source_filter(query, sources)
    counts = {fate: (int(count), first) for fate, count, first in session.execute(query)}
    if not counts:
        return []
    examples = {
        row.id: row for row in session.execute(
            select(ParagraphRow.id, ParagraphRow.article_id, ParagraphRow.text,
                   ParagraphRow.duplicate_of, ArticleRow.url)
            .join(ArticleRow, ArticleRow.id == ParagraphRow.article_id)
            .where(ParagraphRow.id.in_([first for _, first in counts.values()])))
    }
    originals = {
        (row.article_id, row.position): row.text for row in session.execute(
            select(ParagraphRow.article_id, ParagraphRow.position, ParagraphRow.text).where(
                ParagraphRow.article_id.in_([e.article_id for e in examples.values()
                                             if e.duplicate_of is not None])))
    }
    result = []
    for fate, (count, first) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0])):
        example = examples[first]
        repeats = None
        if example.duplicate_of is not None:
            repeats = originals.get((example.article_id, example.duplicate_of))
        result.append(FateExample(fate, count, example.text, example.url, repeats))
    return result


def sample_pages(session: Session, since: datetime | None, sources: Sequence[str] | None = None,
                 *, limit: int = 40) -> list[int]:
    """Ids of at most ``limit`` pages that became articles since ``since``, the newest of
    each source first, taken round the sources (chrome lines are not stored: the report
    extracts these again)."""
    rank = func.row_number().over(partition_by=PageRow.source_id, order_by=PageRow.id.desc())
    inner = (select(PageRow.id.label("id"), rank.label("rank"))
             .join(SourceRow, SourceRow.id == PageRow.source_id)
             .where(PageRow.outcome == "article"))
    if since is not None:
        inner = inner.where(PageRow.processed_at >= since)
    ranked = _source_filter(inner, sources).subquery()
    return list(session.scalars(
        select(ranked.c.id).order_by(ranked.c.rank, ranked.c.id.desc()).limit(limit)))
