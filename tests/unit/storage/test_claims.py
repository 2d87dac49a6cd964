"""Claims on pending pages: disjoint between claimers, lapsing, released, ended by processing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from newsdedup.core.records import FetchedPage
from newsdedup.storage.claims import claim_pages, claimer_name, release_claims, release_dead_claims
from newsdedup.storage.db import Database
from newsdedup.storage.models import UrlStateRow
from newsdedup.storage.pages import (
    PageOutcome,
    mark_processed,
    page_values,
    pending_page_ids,
    save_pages,
)
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)


def _pages(db: Database, count: int) -> list[int]:
    with db.session() as session:
        source_id = ensure_sources(session, ["a"])["a"]
        rows = []
        for index in range(count):
            url = f"https://a.example/{index}"
            state = UrlStateRow(source_id=source_id, url=url, kind="article", state="fetched",
                                first_seen_at=NOW, last_seen_at=NOW)
            session.add(state)
            session.flush()
            page = FetchedPage(source="a", url=url, final_url=url, status=200,
                               headers={"content-type": "text/html"}, body=b"<p>x</p>",
                               fetched_at=NOW)
            rows.append(page_values(page, source_id=source_id, url_state_id=state.id, run_id=None))
        save_pages(session, rows)
    with db.reader() as session:
        return pending_page_ids(session)


def test_claimers_take_disjoint_batches_oldest_first(db: Database) -> None:
    ids = _pages(db, 10)
    with db.session() as session:
        first = claim_pages(session, None, claimer="a", limit=4, now=NOW, seconds=60)
    with db.session() as session:
        second = claim_pages(session, None, claimer="b", limit=4, now=NOW, seconds=60)
    with db.session() as session:
        third = claim_pages(session, None, claimer="c", limit=4, now=NOW, seconds=60)
    assert first == ids[:4] and second == ids[4:8] and third == ids[8:]


def test_a_lapsed_claim_is_taken_over_and_a_released_one_at_once(db: Database) -> None:
    ids = _pages(db, 3)
    with db.session() as session:
        assert claim_pages(session, None, claimer="dead", limit=2, now=NOW, seconds=60) == ids[:2]
    with db.session() as session:
        assert claim_pages(session, None, claimer="b", limit=5, now=NOW, seconds=60) == ids[2:]
        assert release_claims(session, "b") == 1
    later = NOW + timedelta(seconds=61)
    with db.session() as session:
        assert claim_pages(session, None, claimer="c", limit=5, now=later, seconds=60) == ids


def test_processing_a_page_ends_its_claim(db: Database) -> None:
    ids = _pages(db, 2)
    with db.session() as session:
        claim_pages(session, None, claimer="a", limit=2, now=NOW, seconds=60)
        mark_processed(session, [PageOutcome(ids[0], "rejected", "too_short")], NOW)
    with db.session() as session:
        assert release_claims(session, "a") == 1  # only the unfinished one


def test_claims_of_a_dead_process_of_this_host_are_taken_over_at_once(db: Database) -> None:
    ids = _pages(db, 3)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = f"{claimer_name().split(':')[0]}:{gone.stdout.strip()}:0123456789ab"
    with db.session() as session:
        claim_pages(session, None, claimer=dead, limit=1, now=NOW, seconds=600)
        claim_pages(session, None, claimer=claimer_name(), limit=1, now=NOW, seconds=600)
        claim_pages(session, None, claimer="elsewhere:1:0123456789ab", limit=1, now=NOW,
                    seconds=600)
    with db.session() as session:
        assert release_dead_claims(session, NOW) == 1  # ours lives; another host's is unknown
    with db.session() as session:
        assert claim_pages(session, None, claimer="c", limit=5, now=NOW, seconds=60) == ids[:1]


@pytest.mark.postgres
def test_concurrent_claims_on_postgres_skip_locked_rows(postgres_url: str) -> None:
    from newsdedup.storage.migrate import upgrade

    db = Database(postgres_url)
    try:
        upgrade(db)
        ids = _pages(db, 6)
        # Two transactions open at once: the second neither waits nor takes the first's rows.
        with db.session() as first:
            mine = claim_pages(first, None, claimer="a", limit=3, now=NOW, seconds=60)
            with db.session() as second:
                theirs = claim_pages(second, None, claimer="b", limit=3, now=NOW, seconds=60)
        assert mine == ids[:3]
        assert theirs == ids[3:]
    finally:
        db.dispose()
