"""``newsdedup report``: one self-contained HTML page of stories, sources and cleaning.

:func:`build_report` reads the database (a fixed number of grouped queries, plus the
health look-ups ``newsdedup status`` makes) into a :class:`Report`; :func:`render`
turns it into HTML with the Jinja2 templates shipped in ``newsdedup/report/templates``.
The page needs no server, network or JavaScript: charts are inline SVG, styles inline.
Large windows are capped (stories, copies shown per story, runs read and charted), and
paragraph fates and templates are counted over each source's newest articles, with a
note saying so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from newsdedup.app.daemon.report import source_statuses
from newsdedup.app.report.charts import Bar, TimelinePoint, run_bars, timeline
from newsdedup.app.report.diff import CopyDiff, diff_paragraphs, split_paragraphs
from newsdedup.core.config import Config
from newsdedup.core.records import utcnow
from newsdedup.storage import report as queries
from newsdedup.storage.db import Database
from newsdedup.storage.pages import load_pages

__all__ = ["Report", "ReportLimits", "build_report", "render"]


@dataclass(frozen=True, slots=True)
class ReportLimits:
    """How much one report shows at most."""

    stories: int = 30
    members: int = 40
    diffs: int = 12
    runs_charted: int = 40
    templates: int = 8
    sample_per_source: int = 20
    chrome_pages: int = 40


@dataclass(frozen=True, slots=True)
class CopyView:
    member: queries.StoryMember
    moment: datetime
    lag: str
    diff: CopyDiff | None


@dataclass(frozen=True, slots=True)
class StoryView:
    cluster_id: int
    size: int
    title: str
    original: queries.StoryMember
    why: str
    copies: tuple[CopyView, ...]
    outlets: int
    chart: Markup
    left_out: int


@dataclass(frozen=True, slots=True)
class SourceView:
    name: str
    health: str
    health_reason: str | None
    articles: int
    runs: int
    successes: int
    failures: int
    pages: int
    new: int
    updated: int
    chart: Markup
    charted: int
    rejections: list[tuple[str, int]]
    templates: list[queries.TemplateParagraph]
    last_error: str | None
    #: Over the charted runs: revisits asked, answered 304, articles found gone or back;
    #: and the articles flagged deleted now.
    revisits: int = 0
    not_modified: int = 0
    deleted: int = 0
    restored: int = 0
    deleted_now: int = 0


@dataclass(frozen=True, slots=True)
class ChromeKind:
    kind: str
    lines: int
    example: str
    url: str


@dataclass(slots=True)
class Report:
    """Everything the page shows; times are UTC."""

    generated_at: datetime
    since: datetime | None
    sources_filter: tuple[str, ...]
    limits: ReportLimits
    articles: int = 0
    stories_total: int = 0
    stories: list[StoryView] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    fates: list[queries.FateExample] = field(default_factory=list)
    chrome: list[ChromeKind] = field(default_factory=list)
    chrome_pages: int = 0


def _lag(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return "same time" if seconds == 0 else f"{_span(-seconds)} earlier"
    return f"+{_span(seconds)}"


def _span(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


def _moment(member: queries.StoryMember) -> datetime:
    return member.published_at or member.first_seen_at


def _why(original: queries.StoryMember, copies: Sequence[queries.StoryMember]) -> str:
    """Why the dedup stage chose this article as the story's original (its rule: the
    earliest published, then the first stored, then the source's priority)."""
    dated = [m.published_at for m in copies if m.published_at is not None]
    if original.published_at is not None:
        if not dated:
            return "the only copy with a publication time"
        if all(original.published_at < moment for moment in dated):
            return f"published first ({_span(int((min(dated) - original.published_at).total_seconds()))} before the next copy)"
        if any(original.published_at == moment for moment in dated):
            return "published at the same time as another copy; stored first or its source ranks higher"
    if not dated:
        return "no copy gives a publication time: stored first"
    return "earliest by the dedup stage's order when it was chosen"


def _story(row: queries.StoryRow, limits: ReportLimits) -> StoryView | None:
    canonical = [m for m in row.members if m.is_canonical]
    if not canonical:
        return None
    original = canonical[0]
    others = [m for m in row.members if m.article_id != original.article_id]
    base = split_paragraphs(original.text)
    copies = []
    for index, member in enumerate(others):
        diff = diff_paragraphs(base, split_paragraphs(member.text)) if index < limits.diffs else None
        copies.append(CopyView(member, _moment(member), _lag(_moment(member) - _moment(original)),
                               diff))
    points = [TimelinePoint(m.source, _moment(m), m is original,
                            f"{m.source}: {_moment(m):%Y-%m-%d %H:%M} UTC")
              for m in [original, *others]]
    return StoryView(
        cluster_id=row.cluster_id, size=row.size,
        title=original.title or original.canonical_url,
        original=original, why=_why(original, others), copies=tuple(copies),
        outlets=len({m.source for m in row.members}),
        chart=Markup(timeline(points)),  # the SVG is built from escaped parts
        left_out=max(row.size - len(row.members), 0),
    )


def _runs_chart(points: Sequence[queries.RunPoint], limit: int) -> tuple[Markup, int]:
    shown = list(points)[-limit:]
    bars = [Bar(p.pages_fetched, p.articles_new, p.status != "success",
                f"{p.started_at:%m-%d %H:%M} {p.status}: {p.pages_fetched} pages, "
                f"{p.articles_new} new")
            for p in shown]
    return Markup(run_bars(bars)), len(shown)  # the SVG is built from escaped parts


def _sources(config: Config, db: Database, report: Report, names: Sequence[str],
             articles: dict[str, int], runs: Sequence[queries.RunPoint],
             totals: dict[str, queries.RunTotals], rejected: dict[str, dict[str, int]],
             templates: dict[str, list[queries.TemplateParagraph]],
             deleted: dict[str, int]) -> list[SourceView]:
    statuses = {status.name: status for status in source_statuses(config, db, report.generated_at)}
    by_source: dict[str, list[queries.RunPoint]] = {}
    for point in runs:
        by_source.setdefault(point.source, []).append(point)
    views = []
    for name in names:
        status = statuses.get(name)
        mine = by_source.get(name, [])
        chart, charted = _runs_chart(mine, report.limits.runs_charted)
        failure = status.history.last_failure if status is not None else None
        total = totals.get(name, queries.RunTotals())
        views.append(SourceView(
            name=name,
            health=status.health.state if status is not None else "not configured",
            health_reason=status.health.reason if status is not None else None,
            articles=articles.get(name, 0),
            runs=total.runs, successes=total.successes, failures=total.failures,
            pages=total.pages, new=total.new, updated=total.updated,
            chart=chart, charted=charted,
            rejections=sorted(rejected.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0])),
            templates=templates.get(name, []),
            last_error=failure.error if failure is not None else None,
            revisits=sum(p.revisits for p in mine), not_modified=sum(p.not_modified for p in mine),
            deleted=sum(p.deleted for p in mine), restored=sum(p.restored for p in mine),
            deleted_now=deleted.get(name, 0),
        ))
    return views


def _chrome(config: Config, db: Database, report: Report) -> None:
    """Chrome lines are dropped at extraction and not stored: extract again the newest
    pages round the sources (``limits.chrome_pages`` in all: extraction costs ~10 ms a
    page) and count what is dropped, by kind, with the first line of each."""
    from newsdedup.pipeline.extract import Extractor

    extractor = Extractor(config.extract, {s.name: s for s in config.sources})
    sources = report.sources_filter or None
    # One article per source, newest first: the sample spreads over the sources.
    sample = queries.sample_articles(report.since, sources, per_source=1)
    with db.reader() as session:
        ids = queries.sample_pages(session, sample, limit=report.limits.chrome_pages)
    counts: Counter[str] = Counter()
    for start in range(0, len(ids), 20):
        with db.reader() as session:
            pages = list(load_pages(session, ids[start:start + 20]))
        for page in pages:
            extractor.extract(page)
    prefix = f"{extractor.name}/dropped/"
    for key, value in extractor.stats.items():
        if key.startswith(prefix):
            counts[key[len(prefix):]] += value
    report.chrome_pages = len(ids)
    report.chrome = [
        ChromeKind(kind, lines, *extractor.dropped_examples.get(kind, ("", "")))
        for kind, lines in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def build_report(config: Config, db: Database, *, since: datetime | None,
                 sources: Sequence[str] = (), limits: ReportLimits | None = None,
                 now: datetime | None = None) -> Report:
    """What the report shows for articles first seen (runs started, pages processed)
    since ``since`` (everything when None), of ``sources`` (all when empty)."""
    report = Report(generated_at=now or utcnow(), since=since, sources_filter=tuple(sources),
                    limits=limits or ReportLimits())
    wanted = list(sources) or None
    sample = queries.sample_articles(since, wanted, per_source=report.limits.sample_per_source)
    with db.reader() as session:
        articles = queries.window_articles(session, since, wanted)
        rows, report.stories_total = queries.stories(
            session, since, wanted, limit=report.limits.stories,
            max_members=report.limits.members)
        runs = queries.run_points(session, since, wanted, per_source=report.limits.runs_charted)
        totals = queries.run_totals(session, since, wanted)
        templates = queries.templates(session, sample, per_source=report.limits.templates)
        deleted = queries.deleted_articles(session, wanted)
        report.fates = queries.fate_counts(session, sample)
    rejected: dict[str, dict[str, int]] = {}
    for point in runs:
        bucket = rejected.setdefault(point.source, {})
        for reason, count in point.rejections.items():
            bucket[reason] = bucket.get(reason, 0) + count
    report.articles = sum(articles.values())
    report.stories = [view for row in rows if (view := _story(row, report.limits)) is not None]
    names = list(sources) or [s.name for s in config.sources]
    names += sorted(set(articles) - set(names)) if not sources else []
    report.sources = _sources(config, db, report, names, articles, runs, totals, rejected,
                              templates, deleted)
    _chrome(config, db, report)
    return report


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("newsdedup.app.report", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["when"] = lambda moment: (moment.strftime("%Y-%m-%d %H:%M") if moment else "-")
    env.filters["percent"] = lambda value: f"{value * 100:.0f}%" if value is not None else "-"
    return env


def render(report: Report) -> str:
    """The report as one HTML document."""
    return _environment().get_template("report.html.j2").render(report=report)
