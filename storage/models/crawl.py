"""Tables of the crawl phase: sources, runs, locks, URL state and fetched pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsdedup.storage.models.base import Base, BigId, Json, UTCDateTime

__all__ = ["CrawlRunRow", "PageRow", "SourceLockRow", "SourceRow", "UrlStateRow"]


class SourceRow(Base):
    """A configured outlet. Rows outlive their config entry so history stays readable."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CrawlRunRow(Base):
    """One run of one source: what started it, how it ended, and its counts.

    ``status``: running, success, failed, timeout, interrupted (stopped by a signal),
    abandoned (its process died; found by the next lock holder).
    ``trigger``: schedule (daemon), cron (run-due), manual (crawl), import, reprocess.
    """

    __tablename__ = "crawl_runs"
    __table_args__ = (
        Index(None, "source_id", "started_at"),
        Index(None, "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    trigger: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pid: Mapped[int | None] = mapped_column(Integer)
    hostname: Mapped[str | None] = mapped_column(String(255))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    articles_new: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    articles_updated: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rejected: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    errors: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    error: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class SourceLockRow(Base):
    """Who crawls a source right now. At most one row per source (its primary key).

    A holder refreshes ``heartbeat_at``; a row whose process is dead (same host) or
    whose heartbeat is stale may be taken over, and its run is marked abandoned.
    """

    __tablename__ = "source_locks"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    token: Mapped[str] = mapped_column(String(64))
    pid: Mapped[int] = mapped_column(Integer)
    hostname: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UrlStateRow(Base):
    """What we know of one URL (its canonical form is the identity).

    ``kind``: article, feed, sitemap, listing. ``state``: discovered (in the frontier,
    not fetched yet), fetched (a response was stored or was 304), failed (the last
    attempt failed; ``error_count`` says how often), skipped (never to be fetched:
    robots, offsite, too old, not HTML, too large). ``last_outcome`` is the fetch
    outcome key counted in the run stats (``ok``, ``not_modified``, ``http_error``,
    ``timeout``, ``robots_disallowed``, ``too_large``, ``not_html``, ...).
    """

    __tablename__ = "url_state"
    __table_args__ = (
        UniqueConstraint("url"),
        Index(None, "source_id", "state"),
        Index(None, "canonical_url"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    canonical_url: Mapped[str | None] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_outcome: Mapped[str | None] = mapped_column(String(32))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    hint_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hint_title: Mapped[str | None] = mapped_column(Text)
    discovered_from: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetch_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    error_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    #: How many steps of ``crawl.revisit_after`` lie behind this article URL (revisited,
    #: or passed while it was fetched anyway); the next revisit is due at
    #: ``first_seen_at + revisit_after[revisits]``.
    revisits: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class PageRow(Base):
    """One fetched HTML response, body zlib-compressed. ``processed_at`` NULL = pending.

    After processing, ``outcome`` is ``article`` (then ``article_id`` is set),
    ``rejected`` (``reason`` says why) or ``failed`` (a bug or a storage error;
    ``reason`` holds it, and ``reprocess`` tries again).
    """

    __tablename__ = "pages"
    __table_args__ = (
        Index(None, "source_id", "processed_at"),
        Index(None, "url_state_id"),
        Index(None, "article_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url_state_id: Mapped[int] = mapped_column(ForeignKey("url_state.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    body_size: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    hints: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who is processing the page, until when (storage/claims.py); NULL when nobody.
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    # use_alter: pages and articles refer to each other; this side is added last.
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL", use_alter=True)
    )
