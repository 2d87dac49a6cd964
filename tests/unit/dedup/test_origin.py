"""The original leads its cluster: credit lines, wire sources, time; and the reason kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dedup_helpers import NOW, articles, run, same_cluster, store
from dedup_stories import TRAM
from sqlalchemy import DateTime, inspect, select, text

from newsdedup.pipeline.dedup.origin import credited_outlet
from newsdedup.storage.db import Database
from newsdedup.storage.export import iter_export
from newsdedup.storage.migrate import upgrade
from newsdedup.storage.models import ArticleRow, ClusterRow


@pytest.mark.parametrize(("paragraph", "own", "expected"), [
    pytest.param("This article originally appeared on Harbour Post and is republished with "
                 "permission.", "city-desk", "Harbour Post", id="originally_appeared"),
    pytest.param("Editor's note: This story was first published by Valley Wire under a "
                 "content-sharing agreement.", "city-desk", "Valley Wire", id="first_published_by"),
    pytest.param("LONDON (Reuters) - Shares in the tram maker rose on Tuesday.", "city-desk",
                 "Reuters", id="wire_dateline"),
    pytest.param("Source: Valley Wire", "city-desk", "Valley Wire", id="source_line"),
    pytest.param("(VALLEYWIRE) - Shares in the tram maker rose.", "valley-wire", None,
                 id="own_dateline"),
    pytest.param("This article was originally published by City Desk.", "city-desk", None,
                 id="credits_itself"),
    pytest.param("Editor's note: This article was first published on March 3, 2025 and has "
                 "been updated.", "city-desk", None, id="first_published_date"),
    pytest.param("The mayor said the line first appeared in plans by the Harbour Authority, " * 4,
                 "city-desk", None, id="long_paragraph_is_reporting"),
    pytest.param("The council approved the line on Tuesday.", "city-desk", None, id="no_credit"),
])
def test_credit_lines(paragraph: str, own: str, expected: str | None) -> None:
    assert credited_outlet([paragraph], [own]) == expected


def _reason(db: Database, article_id: int) -> str | None:
    with db.reader() as session:
        return session.scalar(
            select(ClusterRow.canonical_reason)
            .join(ArticleRow, ArticleRow.cluster_id == ClusterRow.id)
            .where(ArticleRow.id == article_id)
        )


def test_a_copy_that_credits_another_outlet_does_not_lead_even_when_earlier(db: Database) -> None:
    copy = store(db, "city-desk", "https://city.example/tram",
                 (*TRAM, "This article originally appeared on Valley Wire."),
                 published=NOW - timedelta(hours=3))
    run(db)
    original = store(db, "valley-wire", "https://valley.example/tram", TRAM, published=NOW,
                     seen=NOW + timedelta(hours=1))
    run(db)
    found = articles(db)
    assert same_cluster(found, copy, original)
    assert found[original].is_canonical and found[copy].duplicate_of == original
    assert _reason(db, original) == "attribution"
    with db.reader() as session:
        assert session.get(ArticleRow, copy).credited_to == "Valley Wire"  # type: ignore[union-attr]
        assert session.get(ArticleRow, original).credited_to is None  # type: ignore[union-attr]


def test_a_wire_source_leads_a_copy_published_earlier(db: Database) -> None:
    wire = store(db, "valley-wire", "https://valley.example/tram", TRAM, published=NOW)
    copy = store(db, "city-desk", "https://city.example/tram", TRAM,
                 published=NOW - timedelta(hours=2))
    run(db, wire_sources=("valley-wire",))
    found = articles(db)
    assert found[wire].is_canonical and found[copy].duplicate_of == wire
    assert _reason(db, wire) == "wire"


def test_a_single_article_is_its_own_reason_and_time_decides_otherwise(db: Database) -> None:
    first = store(db, "valley-wire", "https://valley.example/tram", TRAM, published=NOW)
    run(db)
    assert _reason(db, first) == "only"
    later = store(db, "city-desk", "https://city.example/tram", TRAM,
                  published=NOW + timedelta(hours=2))
    run(db)
    assert articles(db)[later].duplicate_of == first
    assert _reason(db, first) == "published"


def test_re_electing_the_canonical_is_a_visible_change_of_every_member(db: Database) -> None:
    copy = store(db, "city-desk", "https://city.example/tram", TRAM,
                 published=NOW + timedelta(hours=2))
    other = store(db, "harbour-post", "https://harbour.example/tram", TRAM,
                  published=NOW + timedelta(hours=3))
    run(db)
    with db.reader() as session:
        before = {r["id"]: r for r in iter_export(session, after_change=0)}
    assert before[copy]["is_canonical"] and before[other]["duplicate_of"] == copy
    seen = max(r["change_id"] for r in before.values())
    original = store(db, "valley-wire", "https://valley.example/tram", TRAM, published=NOW,
                     seen=NOW + timedelta(hours=5))
    run(db)
    with db.reader() as session:
        after = list(iter_export(session, after_change=seen))
    # Every member shows the new canonical, so every member is in the feed again.
    assert {r["id"] for r in after} == {copy, other, original}
    assert all(r["change_id"] > seen for r in after)
    assert {r["id"]: r["duplicate_of"] for r in after} == {copy: original, other: original,
                                                           original: None}
    assert _reason(db, original) == "published"


def test_every_time_sqlite_stores_is_iso_8601(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    upgrade(db)
    store(db, "valley-wire", "https://valley.example/tram", TRAM, published=NOW)
    store(db, "city-desk", "https://city.example/tram", TRAM, published=NOW + timedelta(hours=1))
    run(db)
    iso = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
    with db.reader() as session:
        inspector = inspect(session.connection())
        checked = 0
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if isinstance(column["type"], DateTime):
                    for (value,) in session.execute(text(
                            f'SELECT "{column["name"]}" FROM "{table}" WHERE "{column["name"]}" IS NOT NULL')):
                        assert iso.fullmatch(value), (table, column["name"], value)
                        checked += 1
    db.dispose()
    assert checked >= 10


def test_an_undated_original_leads_a_dated_copy_that_cut_and_framed_it(db: Database) -> None:
    """The copy comes first, dated; the original later and undated: the story it tells
    in full decides, stored or not (the copy is a stored canonical when it arrives)."""
    copy = store(db, "city-desk", "https://city.example/tram",
                 ("Editor's note: this story has been updated.", *TRAM[:5],
                  "Read the full story at our partners' website."),
                 title="ANALYSIS: Council approves northern tram line", published=NOW)
    run(db)
    original = store(db, "valley-wire", "https://valley.example/tram", TRAM,
                     title="Council approves northern tram line", seen=NOW + timedelta(hours=1))
    run(db)
    found = articles(db)
    assert same_cluster(found, copy, original)
    assert found[original].is_canonical and found[copy].duplicate_of == original
    assert _reason(db, original) == "fullest"


def test_an_undated_original_leads_a_framed_copy_of_the_whole_story(db: Database) -> None:
    copy = store(db, "city-desk", "https://city.example/tram",
                 ("Editor's note: this story has been updated with the council's response.",
                  *TRAM, "Advertisement"),
                 title="Council approves northern tram line | City Desk", published=NOW)
    original = store(db, "valley-wire", "https://valley.example/tram", TRAM,
                     title="Council approves northern tram line", seen=NOW + timedelta(hours=1))
    run(db)
    found = articles(db)
    assert found[original].is_canonical and found[copy].duplicate_of == original
    assert _reason(db, original) == "framing"
