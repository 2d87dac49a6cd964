"""Dialect-aware ``INSERT ... ON CONFLICT`` for SQLite and Postgres."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

__all__ = ["insert_ignore", "upsert"]


def _insert(session: Session, table: Table) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {name}")


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``; where ``keys`` conflict with a stored row, overwrite ``update`` columns."""
    if not rows:
        return
    statement = _insert(session, table)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={column: statement.excluded[column] for column in update},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement, list(rows))


def insert_ignore(session: Session, table: Table, *, keys: Sequence[str]) -> Insert:
    """An INSERT statement that skips rows conflicting on ``keys`` (add values/returning)."""
    statement = _insert(session, table)
    result: Insert = statement.on_conflict_do_nothing(index_elements=list(keys))
    return result
