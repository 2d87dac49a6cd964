"""Read-only queries behind ``newsdedup report``: stories, runs, templates, cleaning.

Every function reads all sources at once (grouped in SQL), never one query per source
or per story, and caps what it returns, so a report over a large window costs a few
queries whatever the number of sources, stories and articles. None scans ``articles``
or ``pages`` (their rows carry bodies): windows go through indexes (articles by
source and publication time, clusters by their last change, runs by source and
start), and paragraph fates are counted over a sample of each source's newest articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from newsdedup.storage.health import CRAWL_TRIGGERS, FAILURE_STATUSES
from newsdedup.storage.models import (
    ArticleRow,
    ClusterRow,
    CrawlRunRow,
    PageRow,
    ParagraphGroupRow,
    ParagraphRow,
    SourceRow,
)

__all__ = [
    "FateExample",
    "RunPoint",
    "RunTotals",
    "StoryMember",
    "StoryRow",
    "TemplateParagraph",
    "fate_counts",
    "run_points",
    "run_totals",
    "sample_articles",
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
    """Source name -> articles published since ``since`` (all when None; undated
    articles only then), counted on the index of articles by source and date."""
    query = (select(SourceRow.name, func.count(ArticleRow.id))
             .join(SourceRow, SourceRow.id == ArticleRow.source_id)
             .group_by(SourceRow.name))
    if since is not None:
        query = query.where(ArticleRow.published_at >= since)
    query = _source_filter(query, sources)
    return {name: int(count) for name, count in session.execute(query)}


def stories(session: Session, since: datetime | None, sources: Sequence[str] | None = None, *,
            limit: int = 30, max_members: int = 40) -> tuple[list[StoryRow], int]:
    """The largest syndication clusters (two or more articles) that changed (gained an
    article, or a new original) since ``since``, carried by one of ``sources`` when
    given, largest first, at most ``limit``; each with its canonical article first, then
    the copies by publication time, at most ``max_members``. Also returns how many such
    clusters there are in all."""
    wanted = select(ClusterRow.id, ClusterRow.size).where(ClusterRow.size >= 2)
    if since is not None:
        wanted = wanted.where(ClusterRow.updated_at >= since)
    if sources:
        carried = (select(ArticleRow.id)
                   .join(SourceRow, SourceRow.id == ArticleRow.source_id)
                   .where(ArticleRow.cluster_id == ClusterRow.id,
                          SourceRow.name.in_(list(sources))))
        wanted = wanted.where(carried.exists())
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


def sample_articles(since: datetime | None, sources: Sequence[str] | None = None, *,
                    per_source: int = 20) -> Select[tuple[int]]:
    """A subquery of the ids of each source's ``per_source`` newest articles published
    since ``since`` (the sample fates and templates are counted over)."""
    rank = func.row_number().over(partition_by=ArticleRow.source_id,
                                  order_by=(ArticleRow.published_at.desc(), ArticleRow.id.desc()))
    inner = (select(ArticleRow.id.label("id"), rank.label("rank"))
             .join(SourceRow, SourceRow.id == ArticleRow.source_id))
    if since is not None:
        inner = inner.where(ArticleRow.published_at >= since)
    ranked = _source_filter(inner, sources).subquery()
    return select(ranked.c.id).where(ranked.c.rank <= per_source)


@dataclass(frozen=True, slots=True)
class RunPoint:
    """One finished crawl run of a source, with its rejections by reason (from its stats)."""

    source: str
    started_at: datetime
    status: str
    pages_fetched: int
    articles_new: int
    articles_updated: int
    rejected: int
    errors: int
    rejections: dict[str, int]
    #: Revisits of stored articles the run asked for, those answered 304, and the
    #: articles it found gone (404 or 410) or back (from its stats).
    revisits: int = 0
    not_modified: int = 0
    deleted: int = 0
    restored: int = 0


def _freshness(stats: dict[str, Any] | None) -> tuple[int, int, int, int]:
    stats = stats or {}
    return (int(stats.get("revisit/requested", 0)), int(stats.get("article_fetch/not_modified", 0)),
            int(stats.get("articles/deleted", 0)), int(stats.get("articles/restored", 0)))


def deleted_articles(session: Session, sources: Sequence[str] | None = None) -> dict[str, int]:
    """Source -> its articles flagged deleted now (their page answered 404 or 410)."""
    query = (select(SourceRow.name, func.count())
             .join(ArticleRow, ArticleRow.source_id == SourceRow.id)
             .where(ArticleRow.deleted_at.is_not(None))
             .group_by(SourceRow.name))
    return {name: int(count) for name, count in session.execute(_source_filter(query, sources))}


def _rejections(stats: dict[str, Any] | None) -> dict[str, int]:
    found = {}
    for key, value in (stats or {}).items():
        if key.startswith("extract/") and key != "extract/article" and value:
            found[key.removeprefix("extract/")] = int(value)
    if stats and stats.get("process/failed"):
        found["failed"] = int(stats["process/failed"])
    return found


def run_points(session: Session, since: datetime | None, sources: Sequence[str] | None = None,
               *, per_source: int = 200) -> list[RunPoint]:
    """The finished crawl runs of each source started since ``since`` (its newest
    ``per_source``), oldest first."""
    rank = func.row_number().over(partition_by=CrawlRunRow.source_id,
                                  order_by=(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc()))
    inner = (
        select(CrawlRunRow.id.label("id"), rank.label("rank"))
        .join(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .where(CrawlRunRow.trigger.in_(CRAWL_TRIGGERS), CrawlRunRow.status != "running")
    )
    if since is not None:
        inner = inner.where(CrawlRunRow.started_at >= since)
    ranked = _source_filter(inner, sources).subquery()
    query = (
        select(SourceRow.name, CrawlRunRow.started_at, CrawlRunRow.status,
               CrawlRunRow.pages_fetched, CrawlRunRow.articles_new, CrawlRunRow.articles_updated,
               CrawlRunRow.rejected, CrawlRunRow.errors, CrawlRunRow.stats)
        .join(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .join(ranked, ranked.c.id == CrawlRunRow.id)
        .where(ranked.c.rank <= per_source)
        .order_by(CrawlRunRow.started_at, CrawlRunRow.id)
    )
    rows = session.execute(query.execution_options(yield_per=1000))
    return [RunPoint(row.name, row.started_at, row.status, row.pages_fetched, row.articles_new,
                     row.articles_updated, row.rejected, row.errors, _rejections(row.stats),
                     *_freshness(row.stats))
            for row in rows]


@dataclass(frozen=True, slots=True)
class RunTotals:
    """A source's finished crawl runs in the window, summed."""

    runs: int = 0
    successes: int = 0
    failures: int = 0
    pages: int = 0
    new: int = 0
    updated: int = 0


def run_totals(session: Session, since: datetime | None,
               sources: Sequence[str] | None = None) -> dict[str, RunTotals]:
    """Source -> its finished crawl runs started since ``since``, counted and summed."""
    query = (
        select(SourceRow.name, CrawlRunRow.status, func.count(),
               func.sum(CrawlRunRow.pages_fetched), func.sum(CrawlRunRow.articles_new),
               func.sum(CrawlRunRow.articles_updated))
        .join(SourceRow, SourceRow.id == CrawlRunRow.source_id)
        .where(CrawlRunRow.trigger.in_(CRAWL_TRIGGERS), CrawlRunRow.status != "running")
        .group_by(SourceRow.name, CrawlRunRow.status)
    )
    if since is not None:
        query = query.where(CrawlRunRow.started_at >= since)
    query = _source_filter(query, sources)
    totals: dict[str, RunTotals] = {}
    for name, status, runs, pages, new, updated in session.execute(query):
        now = totals.get(name, RunTotals())
        totals[name] = RunTotals(
            now.runs + runs, now.successes + (runs if status == "success" else 0),
            now.failures + (runs if status in FAILURE_STATUSES else 0),
            now.pages + int(pages or 0), now.new + int(new or 0), now.updated + int(updated or 0))
    return totals


@dataclass(frozen=True, slots=True)
class TemplateParagraph:
    """A paragraph a source prints on many pages, removed from each: how many of the
    sampled articles it was removed from, on how many of the source's articles it was
    seen in all, and its text."""

    source: str
    sampled: int
    articles: int
    text: str


def templates(session: Session, sample: Select[tuple[int]], *,
              per_source: int = 8) -> dict[str, list[TemplateParagraph]]:
    """Source -> the template paragraphs removed from its ``sample`` articles, most
    frequent first (at most ``per_source``)."""
    query = (
        select(SourceRow.name, SourceRow.id, ParagraphRow.fingerprint, func.count(),
               func.min(ParagraphRow.text))
        .join(ArticleRow, ArticleRow.id == ParagraphRow.article_id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ParagraphRow.fate == "template", ParagraphRow.article_id.in_(sample.scalar_subquery()))
        .group_by(SourceRow.name, SourceRow.id, ParagraphRow.fingerprint)
    )
    found = list(session.execute(query))
    fingerprints = {fingerprint for _, _, fingerprint, _, _ in found if fingerprint is not None}
    totals = {
        (row.fingerprint, row.source_id): row.article_count for row in session.execute(
            select(ParagraphGroupRow.fingerprint, ParagraphGroupRow.source_id,
                   ParagraphGroupRow.article_count)
            .where(ParagraphGroupRow.fingerprint.in_(list(fingerprints))))
    } if fingerprints else {}
    result: dict[str, list[TemplateParagraph]] = {}
    for name, source_id, fingerprint, count, text in found:
        total = int(totals.get((fingerprint, source_id), count))
        result.setdefault(name, []).append(TemplateParagraph(name, int(count), total, text or ""))
    return {name: sorted(items, key=lambda t: (-t.sampled, -t.articles, t.text))[:per_source]
            for name, items in result.items()}


@dataclass(frozen=True, slots=True)
class FateExample:
    """How many paragraphs met one fate, and one of them with the article it came from."""

    fate: str
    paragraphs: int
    example: str
    example_url: str
    repeats: str | None = None


def fate_counts(session: Session, sample: Select[tuple[int]]) -> list[FateExample]:
    """Paragraphs of the ``sample`` articles by fate (kept, repeat, truncated_repeat,
    template), each with one example (the first such paragraph) and, for a repeat, the
    paragraph it repeats."""
    query = (
        select(ParagraphRow.fate, func.count(), func.min(ParagraphRow.id))
        .where(ParagraphRow.article_id.in_(sample.scalar_subquery()))
        .group_by(ParagraphRow.fate)
    )
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


def sample_pages(session: Session, sample: Select[tuple[int]], *, limit: int = 40) -> list[int]:
    """Ids of at most ``limit`` stored pages the ``sample`` articles came from, newest
    first (chrome lines are not stored: the report extracts these again). Read on the
    index of pages by article: no page body is touched."""
    return list(session.scalars(
        select(PageRow.id).where(PageRow.article_id.in_(sample.scalar_subquery()))
        .order_by(PageRow.id.desc()).limit(limit)))
