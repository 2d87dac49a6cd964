"""URL identity through the process phase: fetched pages -> extraction -> storage, on
SQLite and Postgres. A misplaced rel=canonical is refused and recorded; a different
story under a stored URL becomes a new article; an edit becomes a revision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

from extract_helpers import html_page
from sqlalchemy import select

from newsdedup.core.config import config_from_mapping
from newsdedup.core.records import FetchedPage
from newsdedup.core.urls import canonicalize_url
from newsdedup.pipeline.process import Processor
from newsdedup.storage.db import Database
from newsdedup.storage.frontier import FetchRecord, record_fetches
from newsdedup.storage.models import ArticleRow, IdentityConflictRow
from newsdedup.storage.sources import ensure_sources
from newsweb.content.textgen import generate_story

URL = canonicalize_url("https://www.herald.example/news/article.pl?sid=24/05/03/1234")
NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def story_page(seed: int, *, head: str = "", extra: str | None = None) -> bytes:
    story = generate_story(seed)
    paragraphs = [p.removeprefix("## ") for p in story.paragraphs] + ([extra] if extra else [])
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    # Dated, as a news article is (an undated page without article markup and with a
    # one-word slug reads as a landing page to the page-kind rules).
    dated = head + '<meta property="article:published_time" content="2026-05-04T08:00:00Z">'
    return html_page(f"<article><h1>{escape(story.title)}</h1>"
                     f"<div class='article-body'>{body}</div></article>", dated).encode()


def fetch_and_process(db: Database, body: bytes, when: datetime) -> None:
    config = config_from_mapping({
        "database": {"url": db.url.render_as_string(hide_password=False)},
        "sources": [{"name": "herald", "start_urls": ["https://www.herald.example/news"]}],
    }, environ={})
    page = FetchedPage(source="herald", url=URL, final_url=URL, status=200,
                       headers={"content-type": "text/html; charset=utf-8"}, body=body,
                       fetched_at=when)
    with db.session() as session:
        source_id = ensure_sources(session, ["herald"])["herald"]
        record_fetches(session, [FetchRecord(url=URL, kind="article", outcome="ok",
                                             fetched_at=when, status=200, final_url=URL,
                                             page=page)],
                       source_id=source_id, run_id=None, now=when)
    Processor(config, db).run()


def stored(db: Database) -> tuple[dict[str, ArticleRow], list[tuple[str, str | None, str]]]:
    with db.reader() as session:
        rows = {row.canonical_url: row for row in session.scalars(select(ArticleRow))}
        session.expunge_all()
        conflicts = [(c.url, c.claimed_url, c.reason) for c in
                     session.scalars(select(IdentityConflictRow).order_by(IdentityConflictRow.id))]
    return rows, conflicts


def test_root_canonical_is_refused_and_a_new_story_at_the_url_is_a_new_article(db: Database) -> None:
    root = '<link rel="canonical" href="https://www.herald.example/">'
    fetch_and_process(db, story_page(71, head=root), NOW)
    rows, conflicts = stored(db)
    assert list(rows) == [URL]  # not the site root
    assert conflicts == [(URL, "https://www.herald.example/", "canonical_root")]
    first_id = rows[URL].id

    # The same URL edited: a revision of the same row.
    fetch_and_process(db, story_page(71, head=root, extra="The council confirmed the figures."),
                      NOW + timedelta(hours=1))
    rows, _ = stored(db)
    assert list(rows) == [URL] and rows[URL].revision == 2 and rows[URL].id == first_id

    # Another story under the same URL: a new article; the first keeps its row and text.
    fetch_and_process(db, story_page(72, head=root), NOW + timedelta(hours=2))
    rows, conflicts = stored(db)
    assert rows[URL].id != first_id
    assert rows[URL].title == generate_story(72).title
    moved = rows[f"{URL}#article-{first_id}"]
    assert moved.title == generate_story(71).title and moved.revision == 2
    assert (URL, None, "different_story") in conflicts
    # The refused canonical is recorded for each page that claimed it.
    assert [c for c in conflicts if c[2] == "canonical_root"] == [
        (URL, "https://www.herald.example/", "canonical_root")] * 3
