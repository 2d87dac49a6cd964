"""Freshness and URL identity: deleted articles, revisit steps, aliases, identity conflicts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:30:00.000000

``articles.deleted_at``: a revisit found the page gone (404/410); the row stays and is
exported. ``url_state.revisits``: steps of ``crawl.revisit_after`` behind a URL.
``article_aliases``: other URLs of an article (a 301 to it, a former identity).
``identity_conflicts``: identities refused so that two stories never share a row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import newsdedup.storage.models.base

revision = '0006'
down_revision = '0005'
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
    # Plain ADD COLUMN (constant defaults): SQLite's batch mode would rebuild the table,
    # which the views over it do not survive.
    op.add_column('articles', sa.Column('deleted_at', newsdedup.storage.models.base.UTCDateTime(),
                                        nullable=True))
    op.add_column('url_state', sa.Column('revisits', sa.Integer(), server_default=sa.text('0'),
                                         nullable=False))
    op.create_table(
        'article_aliases',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('article_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('created_at', newsdedup.storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'],
                                name=op.f('fk_article_aliases_article_id_articles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_article_aliases')),
        sa.UniqueConstraint('url', name=op.f('uq_article_aliases_url')),
    )
    op.create_index(op.f('ix_article_aliases_article_id'), 'article_aliases', ['article_id'])
    op.create_table(
        'identity_conflicts',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('claimed_url', sa.Text(), nullable=True),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('article_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('other_article_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('created_at', newsdedup.storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'],
                                name=op.f('fk_identity_conflicts_article_id_articles'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['other_article_id'], ['articles.id'],
                                name=op.f('fk_identity_conflicts_other_article_id_articles'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_conflicts')),
    )
    op.create_index(op.f('ix_identity_conflicts_url'), 'identity_conflicts', ['url'])
    op.create_index(op.f('ix_identity_conflicts_created_at'), 'identity_conflicts',
                    ['created_at'])
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.encoding_repaired, a.deleted_at"))


def downgrade() -> None:
    op.execute("DROP VIEW article_export")
    op.execute(ARTICLE_EXPORT.format(extra=", a.encoding_repaired"))
    op.drop_table('identity_conflicts')
    op.drop_table('article_aliases')
    op.drop_column('url_state', 'revisits')
    op.drop_column('articles', 'deleted_at')
