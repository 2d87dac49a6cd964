"""The driver-level bulk helpers of the dedup tables write and delete exactly the rows
they are given, on both backends, whatever the integers' size or sign."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select, text

from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
from newsdedup.storage.dedup.batch import write_paragraphs
from newsdedup.storage.dedup.bulk import analyze_if_stale, key_set, pg_array, select_rows
from newsdedup.storage.dedup.signatures import add_bands, delete_bands
from newsdedup.storage.models import LshBandRow, ParagraphRow
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)
EXTREMES = [-(2**63), -1, 0, 1, 2**63 - 1]


def stored_bands(db: Database) -> set[tuple[int, int, int]]:
    with db.reader() as session:
        return {
            (row.band_key, row.day, row.article_id)
            for row in session.scalars(select(LshBandRow))
        }


def test_band_rows_go_in_and_out_exactly(db: Database) -> None:
    rows = [(key, day, article) for key in EXTREMES for day in (0, 20_000) for article in (1, 7)]
    with db.session() as session:
        add_bands(session, rows)
    assert stored_bands(db) == set(rows)
    gone = rows[::3]
    absent = [(12345, 1, 1), (2**63 - 1, 5, 99)]
    with db.session() as session:
        delete_bands(session, [*gone, *absent])
    assert stored_bands(db) == set(rows) - set(gone)


def test_many_band_rows_in_blocks(db: Database) -> None:
    # More rows than one COPY block holds.
    rows = [(key * 7919 - 2**40, key % 90, key % 13 + 1) for key in range(25_003)]
    with db.session() as session:
        add_bands(session, rows)
    assert stored_bands(db) == set(rows)


def test_paragraph_updates_keep_nulls_and_wide_fingerprints(db: Database) -> None:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        saved = save_article(
            session,
            Article(source="a", url="https://a.example/s", canonical_url="https://a.example/s",
                    title="T", paragraphs=("One.", "Two.", "Three.")),
            source_id=source_id, origin="crawl", now=NOW,
        )
    updates = [
        (saved.article_id, 0, "kept", None, 2**63 - 1),
        (saved.article_id, 1, "repeat", 0, -(2**63)),
        (saved.article_id, 2, "template", None, 5),
    ]
    with db.session() as session:
        write_paragraphs(session, updates)
    with db.reader() as session:
        got = [
            (row.article_id, row.position, row.fate, row.duplicate_of, row.fingerprint)
            for row in session.scalars(select(ParagraphRow).order_by(ParagraphRow.position))
        ]
    assert got == updates


def test_integer_arrays_are_array_literals() -> None:
    assert pg_array([3, -2, 2**63 - 1], "BIGINT") == "{3,-2,9223372036854775807}"
    assert pg_array([None, 4], "INTEGER") == "{NULL,4}"
    assert pg_array([], "BIGINT") == "{}"
    assert pg_array(["a,b", None], "TEXT") == ["a,b", None]


def test_key_lookups_leave_the_planner_as_they_found_it(db: Database) -> None:
    with db.session() as session:
        add_bands(session, [(5, 1, 1), (6, 1, 2)])
    with db.session() as session:
        condition, params = key_set(session, "band_key", "keys", [5, 6, 7])
        rows = select_rows(session, f"SELECT band_key, article_id FROM lsh_bands WHERE {condition}", params)
        assert sorted(rows) == [(5, 1), (6, 2)]
        if db.dialect == "postgresql":
            assert session.execute(text("SHOW enable_seqscan")).scalar() == "on"


def test_stale_statistics_are_refreshed_once(db: Database) -> None:
    with db.session() as session:
        add_bands(session, [(key, 1, 1) for key in range(500)])
    if db.dialect != "postgresql":
        with db.session() as session:
            assert analyze_if_stale(session) == []
        return
    # The server counts changes a moment after the commit: wait for it, with a deadline.
    deadline = time.monotonic() + 20
    with db.session() as session:
        if int(session.execute(text("SHOW server_version_num")).scalar() or 0) >= 150000:
            session.execute(text("SELECT pg_stat_force_next_flush()"))
    while True:
        with db.reader() as session:
            changed = session.execute(text(
                "SELECT n_mod_since_analyze FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema() AND relname = 'lsh_bands'"
            )).scalar()
        if changed and changed >= 500:
            break
        assert time.monotonic() < deadline, f"lsh_bands changes not counted by the server: {changed}"
        time.sleep(0.1)
    with db.session() as session:
        assert "lsh_bands" in analyze_if_stale(session)
    with db.session() as session:
        assert "lsh_bands" not in analyze_if_stale(session)
