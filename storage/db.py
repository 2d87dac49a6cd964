"""The database handle: engines, transactions, and schema checks, one per run.

SQLite runs in WAL mode with a busy timeout; write transactions start with
``BEGIN IMMEDIATE`` so that two writers queue at the start instead of deadlocking
on a lock upgrade half-way. Readers use a second engine with deferred transactions,
so an export never waits for a crawl.

Postgres connections give up after ``connect_timeout`` seconds (default
POSTGRES_CONNECT_TIMEOUT_S; the URL's own ``?connect_timeout=N`` wins) and use TCP
keepalives, so a server that accepts connections but never answers, or vanishes
mid-run, ends the command with one line instead of hanging it. No statement timeout
is set by default: a long bulk write is legitimate; add one with
``?options=-c%20statement_timeout%3D600s`` when a wedged server must not hold a run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from newsdedup.core.errors import StorageError

__all__ = ["MAX_INTEGER", "POSTGRES_CONNECT_TIMEOUT_S", "Database", "safe_url"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: The largest integer a column or a bound parameter holds (BIGINT on Postgres,
#: INTEGER on SQLite): an id, a limit past it names nothing more.
MAX_INTEGER = 2**63 - 1
#: Seconds a Postgres connection attempt may take (TCP, TLS, start-up, authentication).
POSTGRES_CONNECT_TIMEOUT_S = 10
#: libpq keepalive settings: a peer silent for 30 s is probed every 10 s, dropped after 3.
_POSTGRES_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                        "keepalives_count": 3}


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
            defaults: dict[str, Any] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S,
                                        **_POSTGRES_KEEPALIVES}
            connect_args = {k: v for k, v in defaults.items() if k not in self.url.query}
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True,
                                        connect_args=connect_args)
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
            detail = _first_line(exc.orig or exc)
            if "timeout expired" in detail and self.dialect == "postgresql":
                detail += (f" (no answer within connect_timeout, default "
                           f"{POSTGRES_CONNECT_TIMEOUT_S} s; set ?connect_timeout=N in the URL)")
            raise StorageError(f"database {self.display_url}: {detail}") from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StorageError(
                    f"database {self.display_url}: connection lost: {_first_line(exc.orig or exc)}"
                ) from exc
            if self.dialect == "sqlite" and type(exc) is DatabaseError:
                # sqlite3.DatabaseError itself, not a subclass such as IntegrityError: the
                # file is not a database, or a damaged one ("disk image is malformed").
                raise StorageError(
                    f"database {self.display_url}: {_first_line(exc.orig or exc)} "
                    "(not a sound SQLite database: restore it from a backup or point "
                    "database.url elsewhere)"
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
