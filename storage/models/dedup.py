"""Tables of the dedup stages: signatures, LSH band keys, paragraph fingerprints per source.

Everything here is derived data: ``newsdedup reprocess --dedup`` drops it and the dedup
stage rebuilds it from ``articles`` and ``paragraphs``. Look-ups go by indexed key
(band key, source and fingerprint), never by scanning, so a new article costs the same
few look-ups whatever the size of the corpus.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from newsdedup.storage.models.base import Base, BigId, Json, UTCDateTime

__all__ = [
    "ArticleSignatureRow",
    "DedupSchemeRow",
    "LshBandRow",
    "ParagraphBandRow",
    "ParagraphGroupRow",
]


class DedupSchemeRow(Base):
    """A set of parameters signatures were made with (shingle size, permutations, bands,
    hashing scheme...), as canonical JSON. Each signature names its scheme."""

    __tablename__ = "dedup_schemes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    params: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleSignatureRow(Base):
    """The dedup sketch of an article's current revision.

    Signatures are ``num_perm`` little-endian uint32 MinHash values (datasketch affine32
    scheme) over word shingles of the clean body: all of them, those of the first
    ``lead_words`` words, those holding a name or number; ``*_shingles`` are the set
    sizes. ``day`` (days since 1970-01-01 of published_at, else first_seen_at) is the
    date the window compares. ``paragraph_groups`` lists, as little-endian int64, the
    paragraph fingerprints this article was counted under for source templates, so a
    re-run can take the counts back.
    """

    __tablename__ = "article_signatures"
    __table_args__ = (Index(None, "scheme_id"),)

    article_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    scheme_id: Mapped[int] = mapped_column(ForeignKey("dedup_schemes.id"))
    revision: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    banded: Mapped[bool] = mapped_column(Boolean)
    shingles: Mapped[int] = mapped_column(Integer)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    lead_shingles: Mapped[int] = mapped_column(Integer)
    lead_signature: Mapped[bytes] = mapped_column(LargeBinary)
    name_shingles: Mapped[int] = mapped_column(Integer)
    name_signature: Mapped[bytes] = mapped_column(LargeBinary)
    paragraph_groups: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LshBandRow(Base):
    """One LSH band key of an article's signature, with the article's ``day``.

    The primary key is the look-up path: band key, then day (the date window is a range
    on it), then article. No foreign key: rows of an article are replaced through its
    signature (the keys are recomputed from it), and look-ups join live articles.
    """

    __tablename__ = "lsh_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class ParagraphGroupRow(Base):
    """A paragraph a source printed, and in how many of its articles (exact or near).

    ``fingerprint`` is the hash of the first such paragraph's normalised text; near
    copies found later count under it. ``first_articles`` holds the ids of the first
    ``template_min_articles`` articles, which are cleaned again when the paragraph
    becomes ``is_template``. ``signature`` (paragraph MinHash, for near matching) is
    NULL for paragraphs too short to shingle. The key leads with the fingerprint: a
    batch looks up the fingerprints of all its paragraphs, whatever their sources.
    """

    __tablename__ = "paragraph_fingerprints"

    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    article_count: Mapped[int] = mapped_column(Integer)
    first_articles: Mapped[list[Any]] = mapped_column(Json, default=list)
    is_template: Mapped[bool] = mapped_column(Boolean)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ParagraphBandRow(Base):
    """An LSH band key of a paragraph group's signature; keys are salted with the source,
    so one key belongs to one source."""

    __tablename__ = "paragraph_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source_id: Mapped[int] = mapped_column(Integer)
