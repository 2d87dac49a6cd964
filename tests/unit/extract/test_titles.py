"""The article's title: the headline the page shows when its declared title is that
headline with the site's name set beside it; a news title's kicker stays."""

from __future__ import annotations

import lxml.html
import pytest
from extract_helpers import html_page

from newsdedup.core.config import SelectorsConfig
from newsdedup.pipeline.extract.metadata import read_metadata

URL = "https://www.harbour-notes.example/posts/pier-reopens"
HEADLINE = "Pier reopens after two years of repairs"


def _title(head: str, h1: str = HEADLINE) -> str | None:
    page = html_page(f"<header><h1>{h1}</h1></header><p>Text.</p>", head)
    return read_metadata(lxml.html.fromstring(page), URL, SelectorsConfig()).title


@pytest.mark.parametrize(
    "declared",
    [
        f'<meta property="og:title" content="{HEADLINE} | Harbour Works Consulting Group Ltd">',
        f'<meta property="og:title" content="{HEADLINE} - The Harbour Notes Blog of Long Names">',
        f'<meta property="og:title" content="Harbour Notes Research Studio | {HEADLINE}">',
        f'<script type="application/ld+json">{{"@type": "BlogPosting", "headline": "{HEADLINE} • Harbour Works Weekly"}}</script>',
    ],
)
def test_the_shown_headline_without_the_site_name_beside_it(declared: str) -> None:
    # The site's name is long and declared nowhere else: only the shown h1 tells it apart.
    assert _title(declared) == HEADLINE


def test_a_kicker_before_the_headline_stays() -> None:
    declared = f'<meta property="og:title" content="Harbour works - {HEADLINE}">'
    assert _title(declared) == f"Harbour works - {HEADLINE}"


def test_an_h1_that_is_the_site_name_is_not_the_title() -> None:
    head = (
        '<meta property="og:site_name" content="Harbour Notes Daily">'
        f'<meta property="og:title" content="{HEADLINE} | Harbour Notes Daily">'
    )
    assert _title(head, h1="Harbour Notes Daily") == HEADLINE
