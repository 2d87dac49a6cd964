"""Plain records carried between the stages; they import neither Scrapy nor SQLAlchemy.

Scrapy items become records in ``crawler/``; records become ORM rows in ``storage/``.
Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

__all__ = [
    "DATE_ORIGINS",
    "MAX_PARAGRAPHS",
    "MAX_TEXT_CHARS",
    "PARAGRAPH_KINDS",
    "REJECTION_REASONS",
    "Article",
    "ExtractResult",
    "FetchedPage",
    "PageHints",
    "Rejection",
    "limit_paragraphs",
    "utcnow",
    "word_count",
]

#: Where a date was read from, best evidence first.
DATE_ORIGINS = ("json-ld", "meta", "time", "url", "text", "feed", "sitemap", "import")
DateOrigin = Literal["json-ld", "meta", "time", "url", "text", "feed", "sitemap", "import"]

#: What a body paragraph is. A lead is the summary the page marks as such.
PARAGRAPH_KINDS = ("lead", "heading", "text")
ParagraphKind = Literal["lead", "heading", "text"]

#: Why a fetched page did not become an article (the ``extract/<reason>`` stats keys).
REJECTION_REASONS = (
    "http_error",
    "soft_404",
    "not_article",
    "too_short",
    "undecodable",
    "not_html",
)
RejectionReason = Literal[
    "http_error", "soft_404", "not_article", "too_short", "undecodable", "not_html"
]

#: The most paragraphs an article keeps, extracted or imported; the rest of a longer
#: page or dump is left out and the article is marked ``truncated``. No article has
#: thousands of paragraphs: the limit bounds every later stage's time and memory.
MAX_PARAGRAPHS = 2000
#: The most characters of paragraph text an article keeps (about 150,000 words); the
#: paragraph that crosses it is cut at a word boundary, and the article is ``truncated``.
MAX_TEXT_CHARS = 1_000_000


def limit_paragraphs(paragraphs: Sequence[str]) -> tuple[list[str], bool]:
    """``paragraphs`` within MAX_PARAGRAPHS and MAX_TEXT_CHARS, and whether anything
    was left out or cut."""
    kept: list[str] = []
    room = MAX_TEXT_CHARS
    for paragraph in paragraphs[:MAX_PARAGRAPHS]:
        if len(paragraph) > room:
            cut = paragraph[:room].rsplit(None, 1)[0] if " " in paragraph[:room] else paragraph[:room]
            if cut.strip():
                kept.append(cut)
            return kept, True
        kept.append(paragraph)
        room -= len(paragraph)
    return kept, len(paragraphs) > MAX_PARAGRAPHS


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, truncated to microseconds as databases keep it."""
    return datetime.now(UTC)


def word_count(text: str) -> int:
    """Words as the dedup stage counts them (:func:`newsdedup.core.normalise.words`): runs
    of letters, digits and their marks, and each character of a script written without
    spaces between words."""
    # Imported here: its tables of Unicode's marks take 0.1 s to build, which commands
    # that store no article (status, export) need not pay.
    from newsdedup.core.normalise import words

    return len(words(text))


@dataclass(frozen=True, slots=True)
class PageHints:
    """What discovery knew about a page before fetching it (feed or sitemap entry)."""

    title: str | None = None
    published_at: datetime | None = None
    published_from: DateOrigin | None = None
    discovered_from: str | None = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One HTTP response as the crawler got it.

    ``url`` is the canonicalised URL that was requested (its identity in ``url_state``);
    ``final_url`` is where redirects ended. ``headers`` has lower-case names, several
    values of one header joined by ``", "``. ``body`` is the raw, undecoded payload.
    """

    source: str
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    hints: PageHints = field(default_factory=PageHints)
    page_id: int | None = None

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case; empty when the header is absent."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Article:
    """An extracted article. ``paragraphs`` are in reading order with ``kinds`` beside them.

    The lead (when the page marks one) is the first paragraph, of kind ``lead``;
    sub-headings are paragraphs of kind ``heading``. ``truncated``: the page or dump
    held more than MAX_PARAGRAPHS paragraphs or MAX_TEXT_CHARS characters, and the
    rest was left out. ``encoding_repaired``: the page's visible text was UTF-8 encoded
    twice (mojibake such as "Ã©") and was repaired before extraction. ``canonical_note`` says why the page's rel=canonical (or og:url)
    was not taken as its identity (``canonical_root: <url>``, ``canonical_section: <url>``),
    None when it was taken or there was none.
    """

    source: str
    url: str
    canonical_url: str
    title: str | None
    paragraphs: tuple[str, ...]
    kinds: tuple[ParagraphKind, ...] = ()
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_from: DateOrigin | None = None
    modified_at: datetime | None = None
    modified_from: DateOrigin | None = None
    language: str | None = None
    encoding: str | None = None
    http_status: int | None = None
    page_id: int | None = None
    truncated: bool = False
    encoding_repaired: bool = False
    canonical_note: str | None = None

    def __post_init__(self) -> None:
        if not self.kinds:
            object.__setattr__(self, "kinds", ("text",) * len(self.paragraphs))
        elif len(self.kinds) != len(self.paragraphs):
            raise ValueError("Article.kinds must have one entry per paragraph")
        for stamp in (self.published_at, self.modified_at):
            if stamp is not None and stamp.tzinfo is None:
                raise ValueError("Article dates must be timezone-aware")

    @property
    def lead(self) -> str | None:
        return self.paragraphs[0] if self.kinds and self.kinds[0] == "lead" else None

    @property
    def text(self) -> str:
        """The body as exported: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(word_count(p) for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A page that is not an article, and why (``reason`` is one of REJECTION_REASONS)."""

    source: str
    url: str
    reason: RejectionReason
    detail: str
    title: str | None = None
    encoding: str | None = None
    http_status: int | None = None
    page_id: int | None = None


ExtractResult = Article | Rejection
