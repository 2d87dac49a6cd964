"""Fast prefill for ``dedup_scale.py --bulk``: real import of one 90-day block, then
copies of its rows shifted back in time, on Postgres.

The first ``BLOCK`` generated articles (90 days at 300 a day) are imported through
``import_paths`` like any other. Every further whole block is written by SQL from a
snapshot of that first block's rows, as the rows the pipeline wrote for it moved
``90 * r`` days back: new ids (articles, clusters, paragraphs, revisions, change ids),
URLs numbered as the generator numbers block ``r``, dates and ``day`` columns shifted,
and every look-up key of the copy made distinct from the original's, consistently
within the copy (a per-block salt XORed into paragraph fingerprints and into the hash
bits of the document and paragraph band keys, content and extracted hashes rehashed
with the block number). Band keys keep their stored layout: the time bucket in the high
bits is worked out again from the shifted day (documents: 32-day buckets, from the
row's day; paragraph groups: 90-day buckets, one bucket per block). What stays the
block's: the text and titles (nothing looks them up), the MinHash signatures, and
``article_signatures.paragraph_groups`` (read only when an article is updated). A
boilerplate paragraph an outlet repeats over years (its footer) is one group per block
here where the import keeps one group per outlet: 300 more rows per block.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.orm import Session

from newsdedup.pipeline.dedup.bands import BUCKET_DAYS, HASH_BITS, PARAGRAPH_BUCKET_DAYS
from newsdedup.storage.db import Database

__all__ = ["BLOCK", "BLOCK_DAYS", "replicate", "snapshot"]

BLOCK_DAYS = PARAGRAPH_BUCKET_DAYS
#: Articles per block: 90 days at 300 a day (``dedup_scale.PER_DAY``).
BLOCK = BLOCK_DAYS * 300
_MASK = (1 << HASH_BITS) - 1
_SNAPSHOT = "bulk_base_"
#: Tables copied per block, with their id column (None: no sequence of their own).
TABLES: dict[str, str | None] = {
    "clusters": "id",
    "articles": "id",
    "article_revisions": "id",
    "paragraphs": "id",
    "article_signatures": None,
    "lsh_bands": None,
    "paragraph_fingerprints": None,
    "paragraph_bands": None,
}


def _rehash(column: str) -> str:
    return f"encode(sha256(convert_to({column} || :tag, 'UTF8')), 'hex')"


def _renumber(column: str) -> str:
    """A generated URL ``.../outlet/NUMBER`` as block r's article of that number."""
    return (f"regexp_replace({column}, '/[0-9]+$', '') || '/' || "
            f"(substring({column} from '/([0-9]+)$')::bigint + :numbers)")


def _document_key(windowed: bool) -> str:
    bucket = f"(greatest(0, (day - :days) / {BUCKET_DAYS})::bigint << {HASH_BITS})" if windowed else "0"
    return f"{bucket} | ((band_key & {_MASK}) # :s40)"


def overrides(windowed: bool) -> dict[str, Mapping[str, str]]:
    """Per table, the columns a copied row changes (the rest are the block's)."""
    return {
        "clusters": {"id": "id + :oc", "canonical_article_id": "canonical_article_id + :oa"},
        "articles": {
            "id": "id + :oa", "canonical_url": _renumber("canonical_url"), "url": _renumber("url"),
            "published_at": "published_at - make_interval(days => :days)",
            "content_hash": _rehash("content_hash"), "extracted_hash": _rehash("extracted_hash"),
            "cluster_id": "cluster_id + :oc", "duplicate_of": "duplicate_of + :oa",
            "change_id": "change_id + :och",
        },
        "article_revisions": {"id": "id + :ov", "article_id": "article_id + :oa",
                              "extracted_hash": _rehash("extracted_hash")},
        "paragraphs": {"id": "id + :op", "article_id": "article_id + :oa",
                       "fingerprint": "fingerprint # :s64"},
        "article_signatures": {"article_id": "article_id + :oa", "day": "day - :days"},
        "lsh_bands": {"band_key": _document_key(windowed), "day": "day - :days",
                      "article_id": "article_id + :oa"},
        "paragraph_fingerprints": {
            "fingerprint": "fingerprint # :s64",
            "first_articles": "(SELECT coalesce(jsonb_agg(a.v::bigint + :oa ORDER BY a.n), '[]'::jsonb) "
                              "FROM jsonb_array_elements_text(first_articles) WITH ORDINALITY AS a(v, n))",
        },
        "paragraph_bands": {
            "band_key": f"(((band_key >> {HASH_BITS}) - :blocks) << {HASH_BITS}) | ((band_key & {_MASK}) # :s40)",
            "fingerprint": "fingerprint # :s64",
        },
    }


def _columns(session: Session, table: str) -> list[str]:
    rows = session.execute(text(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position"
    ), {"t": table})
    return [row[0] for row in rows]


def snapshot(db: Database) -> None:
    """Keep the first block's rows (``bulk_base_*`` tables) to copy from."""
    with db.session() as session:
        for table in TABLES:
            session.execute(text(f"DROP TABLE IF EXISTS {_SNAPSHOT}{table}"))
            session.execute(text(f"CREATE TABLE {_SNAPSHOT}{table} AS TABLE {table}"))


def drop_snapshot(db: Database) -> None:
    with db.session() as session:
        for table in TABLES:
            session.execute(text(f"DROP TABLE IF EXISTS {_SNAPSHOT}{table}"))


def _offsets(session: Session, block: int) -> dict[str, int | str]:
    """Id offsets past everything stored, the shift and the salts of copy ``block``."""
    def top(table: str) -> int:
        return int(session.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one())

    salt = random.Random(f"bulk-block-{block}").getrandbits(63)
    change = session.execute(text("SELECT coalesce(max(last_change_id), 0) FROM change_counter")).scalar_one()
    return {
        "oa": top("articles"), "oc": top("clusters"), "op": top("paragraphs"),
        "ov": top("article_revisions"), "och": int(change),
        "days": BLOCK_DAYS * block, "blocks": block, "numbers": BLOCK * block,
        "s40": salt & _MASK, "s64": salt, "tag": f":block{block}",
    }


def replicate(db: Database, block: int, *, windowed: bool) -> None:
    """Write copy number ``block`` (>= 1) of the first block, ``90 * block`` days back, in
    one transaction (foreign-key triggers off: the rows are complete together)."""
    with db.session() as session:
        session.execute(text("SET LOCAL session_replication_role = replica"))
        params = _offsets(session, block)
        for table, changes in overrides(windowed).items():
            columns = _columns(session, table)
            values = ", ".join(changes.get(column, column) for column in columns)
            session.execute(text(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {_SNAPSHOT}{table}"
            ), params)
        for table, column in TABLES.items():
            if column is not None:
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"(SELECT max({column}) FROM {table}))"))
        session.execute(text(
            "UPDATE change_counter SET last_change_id = "
            "greatest(last_change_id, (SELECT coalesce(max(change_id), 0) FROM articles))"))
