"""Schema migrations (Alembic): upgrade to head, or check and refuse a mismatch.

Upgrades run inside one write transaction that first takes a lock (Postgres: an
advisory lock; SQLite: ``BEGIN IMMEDIATE``), so two processes starting on a fresh
database do not both try to create the tables.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from newsdedup.core.errors import SchemaError
from newsdedup.storage.db import Database

__all__ = ["current_revision", "ensure_schema", "head_revision", "upgrade"]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_LOCK_KEY = 0x6E657773  # "news": any constant shared by every newsdedup process


def _alembic_config(connection: Connection | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def current_revision(db: Database) -> str | None:
    """The database's revision, or None for an empty database."""
    with db.reader() as session:
        return _current(session.connection())


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(_alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())


def upgrade(db: Database) -> bool:
    """Bring the schema to head. Returns whether anything was applied."""
    with db.session() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        current = _current(connection)
        head = head_revision()
        if current == head:
            return False
        if current is not None and not _known(current):
            raise SchemaError(
                f"database {db.display_url} has schema revision {current}, newer than this "
                f"newsdedup knows (head {head}): upgrade newsdedup"
            )
        log.info("upgrading database %s from %s to %s", db.display_url, current or "empty", head)
        command.upgrade(_alembic_config(connection), "head")
        return True


def ensure_schema(db: Database, *, auto_upgrade: bool = True) -> None:
    """Make sure the schema is at head: upgrade it, or raise SchemaError saying what to run."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if current is not None and not _known(current):
        raise SchemaError(
            f"database {db.display_url} has schema revision {current}, newer than this "
            f"newsdedup knows (head {head}): upgrade newsdedup"
        )
    if not auto_upgrade:
        raise SchemaError(
            f"database {db.display_url} is at schema revision {current or 'none'}, "
            f"this newsdedup needs {head}: run `newsdedup db upgrade`"
        )
    upgrade(db)
