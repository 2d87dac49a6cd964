"""Tables of the process phase: articles, their revisions, paragraphs and clusters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsdedup.storage.models.base import Base, BigId, Json, UTCDateTime

__all__ = [
    "ArticleAliasRow",
    "ArticleRevisionRow",
    "ArticleRow",
    "ChangeCounterRow",
    "ClusterRow",
    "IdentityConflictRow",
    "ParagraphRow",
]


class ArticleRow(Base):
    """The current revision of one article; one row per canonical URL.

    ``text`` is the clean body (kept paragraphs joined by a blank line); every
    extracted paragraph, kept or not, is in ``paragraphs`` with its fate.
    ``extracted_hash`` fingerprints the extracted paragraphs, so a refetch with the
    same body is not a new revision. ``dedup_state`` is ``pending`` until the paragraph
    and syndication stages have run on the current revision, then ``done``.
    An article whose dedup failed is ``failed`` (quarantined): ``dedup_error`` says why,
    ``dedup_attempts`` counts the tries (also those a crash cut short), and later runs
    try it again until ``dedup.max_attempts``; success resets both. ``truncated``: the
    body was cut at the paragraph or size limit (``newsdedup.core.records.MAX_PARAGRAPHS``,
    ``MAX_TEXT_CHARS``) when extracted or imported. ``encoding_repaired``: the page's
    visible text was double-encoded UTF-8 and was repaired when extracted.
    Syndication: ``cluster_id`` names the story; ``is_canonical`` marks the cluster's
    canonical article; for a copy ``duplicate_of`` is that canonical article, with
    ``similarity`` (estimated Jaccard or containment) and ``match_method``.
    ``deleted_at``: a revisit found the page gone (404 or 410); the row and its text stay
    and are still exported, and a later successful fetch clears it
    (:mod:`newsdedup.storage.lifecycle`).
    """

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("canonical_url"),
        Index(None, "source_id", "published_at"),
        Index(None, "updated_at"),
        Index(None, "cluster_id"),
        Index(None, "dedup_state"),
        Index(None, "content_hash"),
        Index(None, "change_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    canonical_url: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(Json, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_from: Mapped[str | None] = mapped_column(String(16))
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    modified_from: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    extracted_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(32))
    http_status: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16), default="crawl")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dedup_state: Mapped[str] = mapped_column(String(16), default="pending")
    dedup_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    dedup_error: Mapped[str | None] = mapped_column(Text)
    dedup_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    truncated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    encoding_repaired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # use_alter: articles and clusters refer to each other; this side is added last.
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="SET NULL", use_alter=True)
    )
    is_canonical: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    similarity: Mapped[float | None] = mapped_column(Float)
    match_method: Mapped[str | None] = mapped_column(String(32))
    #: The outlet the body credits as the original ("originally appeared on X"), set by
    #: the dedup stage; such an article does not lead its cluster when another does not.
    credited_to: Mapped[str | None] = mapped_column(String(80))
    #: The change feed (``newsdedup.storage.changes``): a number that only grows, given anew each
    #: time a downstream reader could see the article change, and when that was.
    change_id: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ArticleAliasRow(Base):
    """Another URL of one article: where its page answered a 301 to its current URL
    (``reason`` ``redirect``), or its former identity (``moved``)."""

    __tablename__ = "article_aliases"
    __table_args__ = (UniqueConstraint("url"), Index(None, "article_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdentityConflictRow(Base):
    """A URL identity newsdedup refused to take, and why: never two stories in one row.

    ``reason``: ``canonical_root`` / ``canonical_section`` (the page's rel=canonical names
    the site root or a section page), ``canonical_taken`` (it names a URL holding a
    different story), ``different_story`` (new text under a stored URL is not the same
    story: it became a new article). ``url`` is the page's own identity, ``claimed_url``
    the identity refused; ``article_id`` the article the text was stored as,
    ``other_article_id`` the article already holding ``claimed_url``.
    """

    __tablename__ = "identity_conflicts"
    __table_args__ = (Index(None, "url"), Index(None, "created_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    claimed_url: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    other_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleRevisionRow(Base):
    """Every revision an article had: the extracted body and metadata as first seen.

    ``extracted_text`` is NULL while the revision is the article's current one: its text
    is then its ``paragraphs`` (joined by a blank line), and is written here when a newer
    revision replaces them. Read it through ``newsdedup.storage.revisions.revision_text``.
    """

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "revision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(Text)
    extracted_text: Mapped[str | None] = mapped_column(Text)
    extracted_hash: Mapped[str] = mapped_column(String(64))
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ParagraphRow(Base):
    """One extracted paragraph of an article's current revision, with its fate.

    ``fate``: kept, repeat (exact or near repeat of an earlier paragraph in the same
    article), truncated_repeat (a clipped copy of another paragraph in the article),
    template (the source prints it on many articles). ``duplicate_of`` is the position
    of the paragraph it repeats (NULL for a repeat of the title). ``fingerprint`` is the
    64-bit hash of the normalised text; for a kept or template paragraph, that of its
    group in ``paragraph_fingerprints`` (the first paragraph of the source it repeats,
    exactly or nearly), so all copies of one template share it.
    """

    __tablename__ = "paragraphs"
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        Index(None, "fingerprint"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text)
    fate: Mapped[str] = mapped_column(String(24), default="kept")
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[int | None] = mapped_column(BigId)


class ClusterRow(Base):
    """A story: the articles that carry it, one of them canonical.

    ``canonical_reason`` says why that one was elected (``newsdedup.pipeline.dedup.origin``):
    ``attribution``, ``wire``, ``published``, ``fullest``, ``framing``, ``first_seen``,
    ``priority``, ``oldest`` or ``only``.
    """

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    canonical_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    size: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    canonical_reason: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChangeCounterRow(Base):
    """The last ``change_id`` handed out: one row, locked by each writer that stamps
    changes until it commits, so change ids become visible in the order they were given."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_change_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
