"""Page claims: a process processing pending pages claims them first.

Revision ID: 0008
Revises: 0004 (0007 once the feed branch is merged)
Create Date: 2026-12-04 19:30:00.000000

``claimed_by`` names the process (host, pid, run) that took a batch of pending pages,
``claimed_until`` when its claim lapses: several processes (daemons on several hosts)
share the pending pages of one database without extracting one twice, and the pages of
a process killed mid-batch go to another once its claim lapses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import newsdedup.storage.models.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('pages', sa.Column('claimed_by', sa.String(length=120), nullable=True))
    op.add_column('pages', sa.Column('claimed_until', newsdedup.storage.models.base.UTCDateTime(),
                                     nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pages') as batch:
        batch.drop_column('claimed_until')
        batch.drop_column('claimed_by')
