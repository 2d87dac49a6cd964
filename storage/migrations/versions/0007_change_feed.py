"""The change feed, the canonical's reason, and SQLite times that compare as ISO 8601.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-04 19:30:00.000000

``articles.change_id`` / ``changed_at``: each change a downstream reader can see gives the
article a new, larger ``change_id`` (``newsdedup.storage.changes``); ``change_counter`` holds the
last one handed out. Finished articles get ``change_id`` = their id (ids grow, so the
order is kept) and ``changed_at`` = ``updated_at``. ``clusters.canonical_reason``: why the
canonical was elected (NULL for clusters elected before this revision);
``articles.credited_to``: the outlet an article credits as the original.

SQLite: times were stored as ``YYYY-MM-DD HH:MM:SS.ffffff``, which a text comparison with
an ISO 8601 string (``T`` between date and time) gets wrong within a day; every
``DATETIME`` column is rewritten as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``
(``newsdedup.storage.models.base.UTCDateTime``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import newsdedup.storage.models.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The export view carries exactly the export record's fields (docs/schema.md).
ARTICLE_EXPORT = """
CREATE VIEW article_export AS
SELECT a.id, s.name AS source, a.url, a.canonical_url, a.title, a.authors,
       a.published_at, a.language, a.text, a.cluster_id, a.is_canonical,
       a.duplicate_of, a.first_seen_at, a.updated_at, a.truncated{extra}
FROM articles a
JOIN sources s ON s.id = a.source_id
WHERE a.dedup_state = 'done'
"""


def _sqlite_times(to_iso: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if not isinstance(column["type"], sa.DateTime):
                continue
            name = column["name"]
            if to_iso:
                value = f"replace(\"{name}\", ' ', 'T') || '+00:00'"
                where = f"\"{name}\" LIKE '____-__-__ %'"
            else:
                value = f"replace(substr(\"{name}\", 1, length(\"{name}\") - 6), 'T', ' ')"
                where = f"\"{name}\" LIKE '%+00:00'"
            op.execute(f'UPDATE "{table}" SET "{name}" = {value} WHERE {where}')


def upgrade() -> None:
    # Plain ADD COLUMN (no defaults to fill): SQLite's batch mode would rebuild the table,
    # which the views over it do not survive.
    op.add_column('articles', sa.Column('change_id', sa.BigInteger(), nullable=True))
    op.add_column('articles', sa.Column('changed_at', newsdedup.storage.models.base.UTCDateTime(),
                                        nullable=True))
    op.create_index('ix_articles_change_id', 'articles', ['change_id'])
    op.add_column('articles', sa.Column('credited_to', sa.String(length=80), nullable=True))
    op.add_column('clusters', sa.Column('canonical_reason', sa.String(length=16), nullable=True))
    op.create_table(
        'change_counter',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_change_id', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_counter')),
    )
    op.execute("UPDATE articles SET change_id = id, changed_at = updated_at "
               "WHERE dedup_state = 'done'")
    op.execute("INSERT INTO change_counter (id, last_change_id) "
               "SELECT 1, COALESCE(MAX(change_id), 0) FROM articles")
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.encoding_repaired, a.deleted_at, a.change_id, a.changed_at"))
    _sqlite_times(to_iso=True)


def downgrade() -> None:
    _sqlite_times(to_iso=False)
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.encoding_repaired, a.deleted_at"))
    op.drop_table('change_counter')
    op.drop_column('clusters', 'canonical_reason')
    op.drop_column('articles', 'credited_to')
    op.drop_index('ix_articles_change_id', table_name='articles')
    op.drop_column('articles', 'changed_at')
    op.drop_column('articles', 'change_id')
