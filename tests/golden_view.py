"""What golden files pin about one extraction result, shared by the golden suites."""

from __future__ import annotations

from typing import Any

from newsdedup.core.records import Article, Rejection


def golden_view(result: Article | Rejection) -> dict[str, Any]:
    """What the golden files pin: metadata, and the body by its ends and its headings."""
    if isinstance(result, Rejection):
        return {"status": "rejected", "reason": result.reason, "detail": result.detail,
                "title": result.title, "encoding": result.encoding}
    return {
        "status": "article",
        "title": result.title,
        "authors": list(result.authors),
        "published_at": result.published_at.isoformat() if result.published_at else None,
        "published_from": result.published_from,
        "modified_at": result.modified_at.isoformat() if result.modified_at else None,
        "modified_from": result.modified_from,
        "language": result.language,
        "canonical_url": result.canonical_url,
        "encoding": result.encoding,
        "paragraphs": len(result.paragraphs),
        "lead": result.lead,
        "headings": [p for p, k in zip(result.paragraphs, result.kinds, strict=True) if k == "heading"],
        "first_paragraph": result.paragraphs[0] if result.paragraphs else None,
        "last_paragraph": result.paragraphs[-1] if result.paragraphs else None,
    }
