"""Quarantined dedup failures and truncated bodies on articles.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:00:00.000000

``dedup_attempts``, ``dedup_error``, ``dedup_failed_at``: an article the dedup stage
fails on is set aside (``dedup_state = 'failed'``) with its reason, and tried again by
later runs a bounded number of times. ``truncated``: the body was cut at the paragraph or
size limit when extracted or imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import newsdedup.storage.models.base

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# The export view carries exactly the export record's fields (docs/schema.md).
ARTICLE_EXPORT = """
CREATE VIEW article_export AS
SELECT a.id, s.name AS source, a.url, a.canonical_url, a.title, a.authors,
       a.published_at, a.language, a.text, a.cluster_id, a.is_canonical,
       a.duplicate_of, a.first_seen_at, a.updated_at{extra}
FROM articles a
JOIN sources s ON s.id = a.source_id
WHERE a.dedup_state = 'done'
"""


def upgrade() -> None:
    # Plain ADD COLUMN (constant defaults): SQLite's batch mode would rebuild the table,
    # which the views over it do not survive.
    op.add_column('articles', sa.Column('dedup_attempts', sa.Integer(),
                                        server_default=sa.text('0'), nullable=False))
    op.add_column('articles', sa.Column('dedup_error', sa.Text(), nullable=True))
    op.add_column('articles', sa.Column('dedup_failed_at', newsdedup.storage.models.base.UTCDateTime(),
                                        nullable=True))
    op.add_column('articles', sa.Column('truncated', sa.Boolean(), server_default=sa.false(),
                                        nullable=False))
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.truncated"))


def downgrade() -> None:
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=""))
    for column in ('truncated', 'dedup_failed_at', 'dedup_error', 'dedup_attempts'):
        op.drop_column('articles', column)
