"""A script-rendered page: the body only in the framework's inline state (made-up pages)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from extract_helpers import PROSE, PageFactory, html_page

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.hydration import state_html
from newsdedup.pipeline.extract.parse import HtmlParser

_HEAD = "<title>Harbour reopens after storm</title><meta property='og:type' content='article'>"
_BODY_HTML = "".join(f"<p>{PROSE} Part {i}.</p>" for i in range(4))


def _shell(state: Mapping[str, object]) -> str:
    """An empty page shell with ``state`` in an inline script, as a client-rendered site serves it."""
    script = f"<script>window.__STATE__ = {json.dumps(state)};</script>"
    return html_page(f"<div id='root'><h1>Harbour reopens after storm</h1></div>{script}", _HEAD)


@pytest.fixture
def extractor() -> Extractor:
    return Extractor(ExtractConfig())


def test_body_in_the_inline_state_is_the_article(extractor: Extractor, make_page: PageFactory) -> None:
    page = _shell({"data": {"detail": {"title": "Harbour reopens", "contentHtml": _BODY_HTML}}})
    result = extractor.extract(make_page(page))
    assert isinstance(result, Article), result
    assert len(result.paragraphs) == 4
    assert result.paragraphs[0].startswith("The council met")
    assert result.paragraphs[3].endswith("Part 3.")


def test_a_shell_without_state_stays_too_short(extractor: Extractor, make_page: PageFactory) -> None:
    page = _shell({"data": {"detail": {"title": "Harbour reopens", "summary": "Short."}}})
    result = extractor.extract(make_page(page))
    assert isinstance(result, Rejection)
    assert result.reason == "too_short"


def test_the_longest_content_field_wins_and_escapes_are_decoded() -> None:
    short = "<p>" + "A teaser line that is here. " * 20 + "</p>"
    state = {"teaser": {"bodyHtml": short}, "story": {"content_html": _BODY_HTML + "<p>Fish &amp; chips \u00e9t\u00e9</p>"}}
    tree = HtmlParser().parse(_shell(state))
    assert tree is not None
    found = state_html(tree)
    assert found is not None
    assert found.startswith("<p>The council met") and found.endswith("<p>Fish &amp; chips été</p>")


def test_a_page_with_a_body_ignores_its_state(extractor: Extractor, make_page: PageFactory) -> None:
    shown = "".join(f"<p>{PROSE} Shown {i}.</p>" for i in range(3))
    state = f"<script>window.__STATE__ = {json.dumps({'contentHtml': '<p>' + 'Other text here. ' * 40 + '</p>'})};</script>"
    page = html_page(f"<article><h1>Harbour reopens after storm</h1>{shown}</article>{state}", _HEAD)
    result = extractor.extract(make_page(page))
    assert isinstance(result, Article), result
    assert all("Other text" not in p for p in result.paragraphs)
    assert result.paragraphs[0].endswith("Shown 0.")
