"""One extraction result as the JSON object ``newsdedup extract`` prints for each input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsdedup.core.records import Article, Rejection

__all__ = ["RECORD_FIELDS", "extraction_record"]

#: The keys of every record, in output order (issue 3), plus ``detail`` for rejections
#: ``truncated`` (issue 11: the body was cut at the paragraph or size limit) and
#: ``encoding_repaired`` (issue 9: the visible text was double-encoded UTF-8, repaired)
#: and ``published_from`` (where the publication date was read: json-ld, meta, time,
#: url, text..., as the database's ``articles.published_from``).
RECORD_FIELDS = (
    "id", "status", "reason", "detail", "url", "canonical_url", "title", "authors",
    "published_at", "modified_at", "language", "paragraphs", "text", "encoding", "truncated",
    "encoding_repaired", "published_from",
)


def _iso(stamp: datetime | None) -> str | None:
    return stamp.isoformat() if stamp is not None else None


def extraction_record(result: Article | Rejection, id: str) -> dict[str, Any]:
    """A JSON-ready dict for ``result``: every key of RECORD_FIELDS is present, None
    where it does not apply (a rejection has no paragraphs). Dates are ISO 8601 in UTC.
    ``id`` is echoed as given (the input's id, or the input itself)."""
    record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
    record["id"] = id
    record["url"] = result.url
    record["title"] = result.title
    record["encoding"] = result.encoding
    if isinstance(result, Rejection):
        record.update(status="rejected", reason=result.reason, detail=result.detail)
        return record
    record.update(
        status="article",
        canonical_url=result.canonical_url,
        authors=list(result.authors),
        published_at=_iso(result.published_at),
        published_from=result.published_from,
        modified_at=_iso(result.modified_at),
        language=result.language,
        paragraphs=list(result.paragraphs),
        text=result.text,
        truncated=result.truncated,
        encoding_repaired=result.encoding_repaired,
    )
    return record
