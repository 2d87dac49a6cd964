"""The report from a real database (articles imported through the pipeline, on SQLite and
Postgres): stories with their members, caps with a note, the window, the source filter,
and text from the web escaped, never markup."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdedup.app.report import ReportLimits, build_report, render
from newsdedup.core.config import config_from_mapping
from newsdedup.core.records import utcnow
from newsdedup.pipeline.imports import import_paths
from newsdedup.storage.db import Database

SYLLABLES = ("ka", "lo", "mer", "tin", "sa", "vor", "de", "pul", "ri", "an", "go", "zen", "bra",
             "fi", "nu", "tes", "hol", "mi", "ra", "ust")
VOCABULARY = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:6]]


def body(seed: int, paragraphs: int = 6) -> list[str]:
    """Distinct prose-like paragraphs: no two seeds share more than chance words."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCABULARY) for _ in range(30)).capitalize() + "."
            for _ in range(paragraphs)]


def record(source: str, number: int, paragraphs: list[str], title: str, hours: int) -> dict[str, str]:
    published = datetime(2026, 5, 4, 8, tzinfo=UTC) + timedelta(hours=hours)
    return {"url": f"https://{source}.example/news/{number}", "title": title,
            "text": "\n\n".join(paragraphs), "published_at": published.isoformat(),
            "source": source}


@pytest.fixture
def imported(db: Database, tmp_path: Path) -> Database:
    story = body(1)
    edited = [*story[:4], story[4].replace(story[4].split()[3], "tunnel", 1), "A paragraph of the copy's own, "
              "added at the end by the second outlet about its own local angle on the budget."]
    other = body(2)
    records = [
        record("alpha", 1, story, "Council <script>alert(1)</script> approves budget", 0),
        record("beta", 2, edited, "Council approves budget", 3),
        record("gamma", 3, story[:5], "Budget approved", 5),
        record("alpha", 4, other, "Second story", 1),
        record("beta", 5, other, "Second story, copied", 2),
        record("gamma", 6, body(3), "A story of its own", 1),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    import_paths(config_from_mapping({"database": {"url": db.url.render_as_string(hide_password=False)}}), db, [path], source=None,
                 fmt="jsonl")
    return db


def config(db: Database):  # type: ignore[no-untyped-def]
    sources = [{"name": name, "start_urls": [f"https://{name}.example/"]}
               for name in ("alpha", "beta", "gamma")]
    return config_from_mapping({"database": {"url": db.url.render_as_string(hide_password=False)}, "sources": sources})


def test_stories_list_every_member_original_first_with_lags_and_diffs(imported: Database) -> None:
    report = build_report(config(imported), imported, since=None)
    assert report.stories_total == 2
    first, second = report.stories
    assert first.size == 3 and second.size == 2
    assert first.original.source == "alpha"
    assert "published first" in first.why
    copies = {copy.member.source: copy for copy in first.copies}
    assert set(copies) == {"beta", "gamma"}
    assert copies["beta"].lag == "+3 h 00 min"
    beta = copies["beta"].diff
    assert beta is not None and (beta.edited, beta.dropped, beta.added) == (1, 1, 1)
    edited = next(change for change in beta.changes if change.kind == "edited")
    assert len([w for w in edited.words if w.op == "-"]) == 1
    assert [w.text for w in edited.words if w.op == "+"] == ["tunnel"]
    gamma = copies["gamma"].diff
    assert gamma is not None and (gamma.dropped, gamma.added, gamma.edited) == (1, 0, 0)


def test_text_from_the_web_is_escaped(imported: Database) -> None:
    html = render(build_report(config(imported), imported, since=None))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_caps_say_what_was_left_out(imported: Database) -> None:
    limits = ReportLimits(stories=1, members=2, diffs=1)
    report = build_report(config(imported), imported, since=None, limits=limits)
    html = render(report)
    assert [story.size for story in report.stories] == [3]
    assert report.stories[0].left_out == 1
    assert "Showing the 1 largest of 2 stories" in html
    assert "1 more articles of this story are not listed" in html


def test_window_and_source_filter(imported: Database) -> None:
    later = build_report(config(imported), imported, since=utcnow() + timedelta(hours=1))
    assert later.stories == [] and later.articles == 0
    only_gamma = build_report(config(imported), imported, since=None, sources=["gamma"])
    # gamma carried one syndicated story: it is listed with all its outlets.
    assert [story.size for story in only_gamma.stories] == [3]
    assert [source.name for source in only_gamma.sources] == ["gamma"]
    assert only_gamma.articles == 2


def test_cleaning_counts_fates_with_examples(imported: Database) -> None:
    report = build_report(config(imported), imported, since=None)
    fates = {fate.fate: fate for fate in report.fates}
    assert fates["kept"].paragraphs > 0
    assert fates["kept"].example
    assert all(source.health == "new" for source in report.sources)  # imports are not crawls


def test_sources_show_revisits_and_deletions(imported: Database) -> None:
    from sqlalchemy import select

    from newsdedup.storage.lifecycle import mark_deleted
    from newsdedup.storage.models import ArticleRow
    from newsdedup.storage.runs import finish_run, start_run
    from newsdedup.storage.sources import ensure_sources

    now = utcnow()
    with imported.session() as session:
        alpha = ensure_sources(session, ["alpha"])["alpha"]
        gone = session.scalar(select(ArticleRow.id).where(ArticleRow.source_id == alpha)
                              .order_by(ArticleRow.id).limit(1))
        assert gone is not None
        assert mark_deleted(session, [gone], now) == [gone]
        run = start_run(session, source_id=alpha, trigger="schedule", now=now - timedelta(minutes=1))
        finish_run(session, run, status="success", now=now,
                   stats={"revisit/requested": 3, "article_fetch/not_modified": 2,
                          "articles/deleted": 1})
    report = build_report(config(imported), imported, since=None)
    views = {view.name: view for view in report.sources}
    alpha_view = views["alpha"]
    assert (alpha_view.revisits, alpha_view.not_modified, alpha_view.deleted,
            alpha_view.deleted_now) == (3, 2, 1, 1)
    assert views["beta"].deleted_now == 0 and views["beta"].revisits == 0
    html = render(report)
    assert 'data-source="alpha"' in html and 'data-deleted="1"' in html
    assert "3 revisits (2 unchanged)" in html
