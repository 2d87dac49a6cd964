"""One copy of each revision's text: the current revision's lives in its paragraphs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 22:10:00.000000

``article_revisions.extracted_text`` becomes nullable and is NULL for each article's
current revision: its extracted text is its ``paragraphs`` joined by a blank line, and is
written back on the revision row when a newer revision replaces the paragraphs
(``newsdedup.storage.revisions``). A current revision's text is cleared only where the
paragraphs give it back exactly; any other keeps its text. The downgrade writes the
texts back from the paragraphs. On Postgres the space comes back to the file system
after ``VACUUM FULL article_revisions`` (plain VACUUM makes it reusable).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_SEPARATOR = "\n\n"
_CHUNK = 500


def _current_revisions(bind: sa.Connection, *, stored: bool) -> Iterator[list[tuple[int, int, str | None]]]:
    """``(revision row id, article id, extracted_text)`` of the current revisions, whose
    text is set (``stored``) or NULL, in chunks by article id."""
    after = 0
    condition = "r.extracted_text IS NOT NULL" if stored else "r.extracted_text IS NULL"
    while True:
        rows = [tuple(row) for row in bind.execute(sa.text(
            "SELECT r.id, r.article_id, r.extracted_text FROM article_revisions r "
            "JOIN articles a ON a.id = r.article_id AND a.revision = r.revision "
            f"WHERE {condition} AND r.article_id > :after ORDER BY r.article_id LIMIT :chunk"
        ), {"after": after, "chunk": _CHUNK})]
        if not rows:
            return
        yield rows
        after = rows[-1][1]


def _paragraph_texts(bind: sa.Connection, article_ids: Sequence[int]) -> dict[int, str]:
    """Article id -> its paragraphs joined as ``Article.text`` joins them."""
    found: dict[int, list[str]] = {article_id: [] for article_id in article_ids}
    rows = bind.execute(
        sa.text("SELECT article_id, text FROM paragraphs WHERE article_id IN :ids "
                "ORDER BY article_id, position").bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": list(article_ids)},
    )
    for article_id, text in rows:
        found[article_id].append(text)
    return {article_id: _SEPARATOR.join(texts) for article_id, texts in found.items()}


def _set_texts(bind: sa.Connection, values: Sequence[tuple[int, str | None]]) -> None:
    if values:
        bind.execute(sa.text("UPDATE article_revisions SET extracted_text = :body WHERE id = :id"),
                     [{"id": row_id, "body": body} for row_id, body in values])


def upgrade() -> None:
    with op.batch_alter_table('article_revisions') as batch:
        batch.alter_column('extracted_text', existing_type=sa.Text(), nullable=True)
    bind = op.get_bind()
    for rows in _current_revisions(bind, stored=True):
        joined = _paragraph_texts(bind, [article_id for _id, article_id, _text in rows])
        _set_texts(bind, [(row_id, None) for row_id, article_id, body in rows
                          if joined[article_id] == body])


def downgrade() -> None:
    bind = op.get_bind()
    for rows in _current_revisions(bind, stored=False):
        joined = _paragraph_texts(bind, [article_id for _id, article_id, _text in rows])
        _set_texts(bind, [(row_id, joined[article_id]) for row_id, article_id, _body in rows])
    # A revision row that lost its text otherwise (none should) gets an empty one.
    op.execute("UPDATE article_revisions SET extracted_text = '' WHERE extracted_text IS NULL")
    with op.batch_alter_table('article_revisions') as batch:
        batch.alter_column('extracted_text', existing_type=sa.Text(), nullable=False)
