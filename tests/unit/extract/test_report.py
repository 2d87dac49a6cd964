"""The record ``newsdedup extract`` prints: every field present, JSON-ready."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from newsdedup.core.records import Article, Rejection
from newsdedup.pipeline.extract.report import RECORD_FIELDS, extraction_record

ISSUE_FIELDS = {"id", "status", "reason", "url", "canonical_url", "title", "authors", "published_at",
                "modified_at", "language", "paragraphs", "text", "encoding"}


def test_article_record() -> None:
    article = Article(
        source="herald", url="https://h.example/a?utm_source=x", canonical_url="https://h.example/a",
        title="Budget agreed", paragraphs=("Lead.", "Body."), kinds=("lead", "text"),
        authors=("Jane Doe",), published_at=datetime(2024, 5, 7, 7, 30, tzinfo=UTC),
        published_from="meta", language="en", encoding="utf-8", encoding_repaired=True,
    )
    record = extraction_record(article, "page-1")
    assert set(record) == set(RECORD_FIELDS) >= ISSUE_FIELDS
    assert record["status"] == "article" and record["reason"] is None
    assert record["id"] == "page-1"
    assert record["published_at"] == "2024-05-07T07:30:00+00:00"
    assert record["modified_at"] is None
    assert record["paragraphs"] == ["Lead.", "Body."]
    assert record["text"] == "Lead.\n\nBody."
    assert record["encoding_repaired"] is True
    assert json.loads(json.dumps(record)) == record


def test_rejection_record() -> None:
    rejection = Rejection(source="herald", url="https://h.example/x", reason="soft_404",
                          detail="headline says 'page not found'", encoding="utf-8")
    record = extraction_record(rejection, "x.html")
    assert set(record) == set(RECORD_FIELDS)
    assert record["status"] == "rejected"
    assert record["reason"] == "soft_404"
    assert record["detail"] == "headline says 'page not found'"
    assert record["paragraphs"] is None and record["text"] is None
    assert list(record) == list(RECORD_FIELDS)
