"""The migrations build exactly the schema the models declare, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from newsdedup.storage.db import Database
from newsdedup.storage.migrate import current_revision, ensure_schema, head_revision, upgrade
from newsdedup.storage.models import Base


def test_migrations_produce_the_models_schema(db: Database) -> None:
    with db.reader() as session:
        context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent(db: Database) -> None:
    assert current_revision(db) == head_revision()
    assert upgrade(db) is False
    ensure_schema(db, auto_upgrade=False)


def test_empty_database_is_refused_without_auto_upgrade(database_url: str) -> None:
    import pytest

    from newsdedup.core.errors import SchemaError

    database = Database(database_url)
    try:
        with pytest.raises(SchemaError, match="newsdedup db upgrade"):
            ensure_schema(database, auto_upgrade=False)
        ensure_schema(database)
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()
