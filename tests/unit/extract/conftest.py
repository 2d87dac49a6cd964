"""Fixtures for the extractor's unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from extract_helpers import PageFactory

from newsdedup.core.records import FetchedPage, PageHints


@pytest.fixture
def make_page() -> PageFactory:
    def make(
        body: bytes | str,
        *,
        url: str = "https://www.herald.example/news/2024/05/07/budget",
        final_url: str | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        source: str = "herald",
        hints: PageHints | None = None,
    ) -> FetchedPage:
        return FetchedPage(
            source=source,
            url=url,
            final_url=final_url or url,
            status=status,
            headers=dict(headers if headers is not None else {"content-type": "text/html; charset=utf-8"}),
            body=body.encode("utf-8") if isinstance(body, str) else body,
            fetched_at=datetime(2025, 1, 1, tzinfo=UTC),
            hints=hints or PageHints(),
        )

    return make
