"""update_rows: each entry updates the row its key names, in order, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from sqlalchemy import Table, select

from newsdedup.storage.db import Database
from newsdedup.storage.models import SourceRow
from newsdedup.storage.rows import update_rows
from newsdedup.storage.sources import ensure_sources

LATER = datetime(2031, 1, 2, 3, 4, tzinfo=UTC)
_sources = cast(Table, SourceRow.__table__)


def stored(db: Database) -> dict[int, tuple[str, datetime]]:
    with db.reader() as session:
        return {row.id: (row.name, row.created_at) for row in session.scalars(select(SourceRow))}


def test_each_entry_updates_the_row_its_key_names(db: Database) -> None:
    with db.session() as session:
        ids = ensure_sources(session, ["alpha", "beta", "gamma"])
    before = stored(db)
    with db.session() as session:
        update_rows(session, _sources, "id",
                    [{"id": ids["alpha"], "name": "alpha2"}, {"id": ids["gamma"], "name": "gamma2"}],
                    created_at=LATER)
    after = stored(db)
    assert after[ids["alpha"]] == ("alpha2", LATER)
    assert after[ids["gamma"]] == ("gamma2", LATER)
    assert after[ids["beta"]] == before[ids["beta"]]


def test_entries_run_in_order_and_any_column_can_be_the_key(db: Database) -> None:
    with db.session() as session:
        ids = ensure_sources(session, ["alpha"])
        update_rows(session, _sources, "name", [{"name": "alpha", "created_at": LATER}])
        # The same row twice: the last entry wins.
        update_rows(session, _sources, "id",
                    [{"id": ids["alpha"], "name": "first"}, {"id": ids["alpha"], "name": "last"}])
    assert stored(db) == {ids["alpha"]: ("last", LATER)}


def test_nothing_to_update_and_uneven_entries(db: Database) -> None:
    with db.session() as session:
        ensure_sources(session, ["alpha"])
        update_rows(session, _sources, "id", [])
        with pytest.raises(ValueError, match="same columns"):
            update_rows(session, _sources, "id", [{"id": 1, "name": "a"}, {"id": 1}])
        with pytest.raises(ValueError, match="'id' among them"):
            update_rows(session, _sources, "id", [{"name": "a"}])
    assert [name for name, _ in stored(db).values()] == ["alpha"]
