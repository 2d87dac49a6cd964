"""Bulk reads and writes for the dedup tables, below the ORM.

A dedup batch reads and writes tens of thousands of small rows (band keys, paragraph
fates). Through SQLAlchemy's statement layer each row costs more than the work it
stands for, so these helpers talk to the driver: rows go in as tuples (SQLite
``executemany``, Postgres ``COPY``), updates as one statement over arrays (Postgres) or
``executemany`` (SQLite), and a set of keys is one parameter (a JSON array read with
``json_each`` on SQLite, a typed array with ``= ANY`` on Postgres) instead of thousands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from newsdedup.storage.models.base import sqlite_time
from newsdedup.storage.upsert import insert_ignore

__all__ = [
    "analyze_if_stale",
    "delete_rows",
    "insert_dicts",
    "insert_returning",
    "insert_rows",
    "is_postgres",
    "json_value",
    "key_set",
    "pg_array",
    "select_rows",
    "timestamp",
    "update_rows",
]


_NAMED = re.compile(r"(?<!:):([a-z_]+)")


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def timestamp(session: Session, moment: datetime) -> Any:
    """``moment`` (aware UTC) as a driver value of a ``UTCDateTime`` column: SQLite keeps
    the ISO 8601 text ``UTCDateTime`` writes, Postgres the aware datetime."""
    if is_postgres(session):
        return moment
    return sqlite_time(moment)


def json_value(value: Any) -> str:
    """A value of a ``Json`` column, as the driver takes it (JSON text on both)."""
    return json.dumps(value, separators=(",", ":"))


def key_set(session: Session, column: str, name: str, values: Iterable[int] | Iterable[str],
            sql_type: str = "BIGINT") -> tuple[str, dict[str, Any]]:
    """A condition "``column`` is one of ``values``" and its parameter."""
    listed = list(values)
    if is_postgres(session):
        return f"{column} = ANY(CAST(:{name} AS {sql_type}[]))", {name: pg_array(listed, sql_type)}
    return f"{column} IN (SELECT value FROM json_each(:{name}))", {name: json.dumps(listed)}


_COPY_BLOCK_ROWS = 10_000
_INTEGER_TYPES = frozenset({"BIGINT", "INTEGER", "SMALLINT"})


def pg_array(values: list[Any], sql_type: str) -> Any:
    """``values`` as the parameter of a ``CAST(... AS sql_type[])``: integers as one array
    literal (``{1,2,NULL}``), which the server parses 3-4x faster than psycopg adapts a
    list of 50,000 Python ints element by element; other types as the list."""
    if sql_type not in _INTEGER_TYPES:
        return values
    if None in values:
        return "{" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "}"
    return "{" + ",".join(map(str, map(int, values))) + "}"


@contextmanager
def _driver(session: Session, sql: str) -> Iterator[Any]:
    """A cursor of the session's own connection (so inside its transaction); driver
    errors come out as SQLAlchemy's (OperationalError, IntegrityError...), as they do
    from ``session.execute``."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        yield cursor
    except connection.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, connection.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


def select_rows(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run a SELECT written with ``:name`` parameters, on the driver; rows as tuples.

    These are look-ups of a set of keys through an index (band keys, fingerprints,
    article ids). Postgres's planner prices a large ``= ANY`` set (a batch asks for
    ~100,000 band keys) above a sequential scan once the table is big, and so a look-up
    would cost as much as the whole table: 0.85 s against 0.22 s by the index on 12.8
    million band rows, growing with the corpus. Sequential scans are therefore off for
    the statement (``SET LOCAL``, put back after it, inside the caller's transaction)."""
    postgres = is_postgres(session)
    if postgres:
        sql = _NAMED.sub(r"%(\1)s", sql)
    with _driver(session, sql) as cursor:
        if postgres:
            cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            if postgres:
                cursor.execute("SET LOCAL enable_seqscan = on")


#: Tables the dedup stage grows or rewrites batch after batch.
_DEDUP_TABLES = ("articles", "paragraphs", "article_signatures", "lsh_bands", "paragraph_bands",
                 "paragraph_fingerprints", "clusters")


def analyze_if_stale(session: Session) -> list[str]:
    """Postgres: ANALYZE the dedup tables whose rows changed by more than autovacuum's
    default analyze threshold (50 rows + 10%) since they were last analyzed; the names
    analyzed. With autovacuum on, it has usually done so already and this is one query;
    with it off (or behind after a large import), the planner would otherwise plan the
    batch's queries for tables it believes empty. SQLite: nothing."""
    if not is_postgres(session):
        return []
    stale = [
        row[0] for row in session.execute(text(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(:tables) "
            "AND n_mod_since_analyze > 50 + 0.1 * n_live_tup"
        ), {"tables": list(_DEDUP_TABLES)})
    ]
    for table in stale:
        session.execute(text(f"ANALYZE {table}"))
    return stale


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], *, integers: bool = False) -> None:
    """Insert ``rows`` (tuples in ``columns`` order). Conflicts are errors. ``integers``:
    every value is a non-null int (band keys), so Postgres gets the rows as COPY text in
    blocks rather than adapted value by value."""
    if not rows:
        return
    names = ", ".join(columns)
    if is_postgres(session):
        sql = f"COPY {table.name} ({names}) FROM STDIN"
        with _driver(session, sql) as cursor, cursor.copy(sql) as copy:
            if integers:
                for start in range(0, len(rows), _COPY_BLOCK_ROWS):
                    block = rows[start:start + _COPY_BLOCK_ROWS]
                    copy.write("".join("\t".join(map(str, map(int, row))) + "\n" for row in block))
            else:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    _executemany(session, f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)


def _driver_values(session: Session, table: Table, names: Sequence[str],
                   rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """``rows`` as driver tuples in ``names`` order, each value through its column type's
    bind processing (aware datetimes, JSON), as SQLAlchemy would send it."""
    dialect = session.get_bind().dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    if not any(processors):
        return [tuple(row[name] for name in names) for row in rows]
    return [
        tuple(
            process(row[name]) if process is not None else row[name]
            for name, process in zip(names, processors, strict=True)
        )
        for row in rows
    ]


def insert_dicts(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys). Postgres: one COPY; SQLite: an
    executemany through SQLAlchemy (its per-row cost is small there)."""
    if not rows:
        return
    if not is_postgres(session):
        session.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    insert_rows(session, table, names, _driver_values(session, table, names, rows))


def insert_returning(session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
                     conflict: Sequence[str], returning: Sequence[str]) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (dicts with the same keys), skipping those that conflict on
    ``conflict``; the ``returning`` columns of the rows inserted. Postgres: one
    prepared single-row INSERT pipelined over all rows (a multi-row VALUES statement of
    tens of thousands of parameters costs psycopg more to parse than the server to run);
    SQLite: SQLAlchemy's multi-row insert."""
    if not rows:
        return []
    if not is_postgres(session):
        statement = insert_ignore(session, table, keys=list(conflict)).returning(
            *(table.c[name] for name in returning)
        )
        return [tuple(row) for row in session.execute(statement, list(rows))]
    names = list(rows[0])
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('%s' for _ in names)}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {', '.join(returning)}"
    )
    out: list[tuple[Any, ...]] = []
    with _driver(session, sql) as cursor:
        cursor.executemany(sql, _driver_values(session, table, names, rows), returning=True)
        while True:
            out.extend(cursor.fetchall())
            if not cursor.nextset():
                break
    return out


def update_rows(session: Session, table: Table, keys: Sequence[str], columns: Sequence[str],
                rows: Sequence[Sequence[Any]], types: Sequence[str]) -> None:
    """Update rows found by ``keys``: each row is the key values, then the new values of
    ``columns``; ``types`` are the SQL types of keys and columns, in that order (Postgres
    needs them to read arrays)."""
    if not rows:
        return
    every = [*keys, *columns]
    if is_postgres(session):
        arrays = ", ".join(f"CAST(%s AS {t}[])" for t in types)
        assignments = ", ".join(f"{c} = v.{c}" for c in columns)
        matches = " AND ".join(f"t.{k} = v.{k}" for k in keys)
        sql = (
            f"UPDATE {table.name} AS t SET {assignments} "
            f"FROM unnest({arrays}) AS v({', '.join(every)}) WHERE {matches}"
        )
        with _driver(session, sql) as cursor:
            cursor.execute(sql, _column_arrays(rows, types))
        return
    assignments = ", ".join(f"{c} = ?" for c in columns)
    matches = " AND ".join(f"{k} = ?" for k in keys)
    width = len(keys)
    _executemany(
        session,
        f"UPDATE {table.name} SET {assignments} WHERE {matches}",
        [(*row[width:], *row[:width]) for row in rows],
    )


def _column_arrays(rows: Sequence[Sequence[Any]], types: Sequence[str]) -> list[Any]:
    """``rows`` turned into one array parameter per column, for ``unnest`` on Postgres."""
    return [pg_array(list(column), t) for column, t in zip(zip(*rows, strict=True), types, strict=True)]


def delete_rows(session: Session, table: Table, keys: Sequence[str],
                rows: Sequence[Sequence[Any]], types: Sequence[str]) -> None:
    """Delete the rows whose ``keys`` columns hold each of ``rows`` (absent ones are fine);
    ``types`` are the keys' SQL types."""
    if not rows:
        return
    if is_postgres(session):
        arrays = ", ".join(f"CAST(%s AS {t}[])" for t in types)
        matches = " AND ".join(f"t.{k} = v.{k}" for k in keys)
        sql = f"DELETE FROM {table.name} AS t USING unnest({arrays}) AS v({', '.join(keys)}) WHERE {matches}"
        with _driver(session, sql) as cursor:
            cursor.execute(sql, _column_arrays(rows, types))
        return
    matches = " AND ".join(f"{k} = ?" for k in keys)
    _executemany(session, f"DELETE FROM {table.name} WHERE {matches}", rows)


def _executemany(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``executemany`` on the driver's cursor: SQLAlchemy's per-row parameter handling
    would cost more than SQLite's insert."""
    with _driver(session, sql) as cursor:
        cursor.executemany(sql, rows)
