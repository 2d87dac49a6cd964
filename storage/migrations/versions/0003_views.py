"""Views for downstream readers: article_export, stories, story_outlets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:00:00.000000

Plain SQL common to SQLite and Postgres; their columns are documented in docs/schema.md
and are a stable interface (extend only). Only articles the dedup stages finished are
shown, as in ``newsdedup export``.
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ARTICLE_EXPORT = """
CREATE VIEW article_export AS
SELECT a.id, s.name AS source, a.url, a.canonical_url, a.title, a.authors,
       a.published_at, a.language, a.text, a.cluster_id, a.is_canonical,
       a.duplicate_of, a.first_seen_at, a.updated_at
FROM articles a
JOIN sources s ON s.id = a.source_id
WHERE a.dedup_state = 'done'
"""

STORY_OUTLETS = """
CREATE VIEW story_outlets AS
SELECT a.cluster_id, a.id AS article_id, s.name AS source, a.url, a.title,
       a.published_at, a.first_seen_at, a.is_canonical, a.duplicate_of,
       a.similarity, a.match_method
FROM articles a
JOIN sources s ON s.id = a.source_id
WHERE a.dedup_state = 'done' AND a.cluster_id IS NOT NULL
"""

STORIES = """
CREATE VIEW stories AS
SELECT c.id AS cluster_id, c.canonical_article_id, canon.title, canon.url AS canonical_url,
       canon.published_at, cs.name AS canonical_source,
       COUNT(m.id) AS articles, COUNT(DISTINCT m.source_id) AS outlets,
       MIN(m.first_seen_at) AS first_seen_at, MAX(m.updated_at) AS updated_at
FROM clusters c
JOIN articles canon ON canon.id = c.canonical_article_id
JOIN sources cs ON cs.id = canon.source_id
JOIN articles m ON m.cluster_id = c.id AND m.dedup_state = 'done'
GROUP BY c.id, c.canonical_article_id, canon.title, canon.url, canon.published_at, cs.name
"""


def upgrade() -> None:
    op.execute(ARTICLE_EXPORT)
    op.execute(STORY_OUTLETS)
    op.execute(STORIES)


def downgrade() -> None:
    op.execute("DROP VIEW stories")
    op.execute("DROP VIEW story_outlets")
    op.execute("DROP VIEW article_export")
