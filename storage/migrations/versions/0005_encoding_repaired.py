"""Articles whose page text was repaired from double-encoded UTF-8.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:30:00.000000

``encoding_repaired``: the visible text of the page was UTF-8 encoded twice (mojibake
such as "Ã©" for "é") and the extractor repaired it; the export record and the
``article_export`` view carry it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
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


def upgrade() -> None:
    # Plain ADD COLUMN (constant default): SQLite's batch mode would rebuild the table,
    # which the views over it do not survive.
    op.add_column('articles', sa.Column('encoding_repaired', sa.Boolean(),
                                        server_default=sa.false(), nullable=False))
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.encoding_repaired"))


def downgrade() -> None:
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=""))
    op.drop_column('articles', 'encoding_repaired')
