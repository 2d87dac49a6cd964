"""Dedup: signature schemes, article signatures, LSH bands, paragraph fingerprints and bands.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dedup_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_schemes')),
    sa.UniqueConstraint('params', name=op.f('uq_dedup_schemes_params'))
    )
    op.create_table('lsh_bands',
    sa.Column('band_key', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('article_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('band_key', 'day', 'article_id', name=op.f('pk_lsh_bands')),
    sqlite_with_rowid=False
    )
    op.create_table('paragraph_bands',
    sa.Column('band_key', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('fingerprint', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('band_key', 'fingerprint', name=op.f('pk_paragraph_bands')),
    sqlite_with_rowid=False
    )
    op.create_table('paragraph_fingerprints',
    sa.Column('fingerprint', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('article_count', sa.Integer(), nullable=False),
    sa.Column('first_articles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('is_template', sa.Boolean(), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_paragraph_fingerprints_source_id_sources')),
    sa.PrimaryKeyConstraint('fingerprint', 'source_id', name=op.f('pk_paragraph_fingerprints'))
    )
    op.create_table('article_signatures',
    sa.Column('article_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('banded', sa.Boolean(), nullable=False),
    sa.Column('shingles', sa.Integer(), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('lead_shingles', sa.Integer(), nullable=False),
    sa.Column('lead_signature', sa.LargeBinary(), nullable=False),
    sa.Column('name_shingles', sa.Integer(), nullable=False),
    sa.Column('name_signature', sa.LargeBinary(), nullable=False),
    sa.Column('paragraph_groups', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_signatures_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['dedup_schemes.id'], name=op.f('fk_article_signatures_scheme_id_dedup_schemes')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_signatures'))
    )
    op.create_index(op.f('ix_article_signatures_scheme_id'), 'article_signatures', ['scheme_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_article_signatures_scheme_id'), table_name='article_signatures')
    op.drop_table('article_signatures')
    op.drop_table('paragraph_fingerprints')
    op.drop_table('paragraph_bands')
    op.drop_table('lsh_bands')
    op.drop_table('dedup_schemes')
