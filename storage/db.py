"""The database handle: engines, transactions, and schema checks, one per run.

SQLite runs in WAL mode with a busy timeout; write transactions start with
``BEGIN IMMEDIATE`` so that two writers queue at the start instead of deadlocking
on a lock upgrade half-way. Readers use a second engine with deferred transactions,
so an export never waits for a crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from newsdedup.errors import StorageError

__all__ = ["Database", "safe_url"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def safe_url(url: str | URL) -> str:
    """``url`` with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: URL, *, immediate: bool, echo: bool) -> Engine:
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; we issue BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Engines and sessions for one database URL. Open it per run and close it after.

    ``session()`` is a write transaction, committed on success and rolled back on error;
    ``reader()`` a read-only one. Connection failures become :class:`StorageError`.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            database = self.url.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorageError(
                        f"cannot create the folder of SQLite database {database}: {exc}"
                    ) from exc
            self.engine = _sqlite_engine(self.url, immediate=True, echo=echo)
            self.read_engine = _sqlite_engine(self.url, immediate=False, echo=echo)
        elif self.dialect == "postgresql":
            if self.url.drivername == "postgresql":
                self.url = self.url.set(drivername="postgresql+psycopg")
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True)
            self.read_engine = self.engine
        else:
            raise StorageError(f"unsupported database {self.dialect!r} in {safe_url(url)}")
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.read_engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({safe_url(self.url)!r})"

    @property
    def display_url(self) -> str:
        return safe_url(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write transaction: commit when the block ends, roll back if it raises."""
        with self._guard(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read transaction (nothing is committed)."""
        with self._guard(), self._readers() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StorageError(
                f"database {self.display_url}: {_first_line(exc.orig or exc)}"
            ) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StorageError(
                    f"database {self.display_url}: connection lost: {_first_line(exc.orig or exc)}"
                ) from exc
            raise

    def check_connection(self) -> None:
        """Connect once; raise StorageError naming the database when that fails."""
        with self.reader() as session:
            session.connection()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
