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


@pytest.mark.parametrize(
    "head",
    [
        # The site's name declared: the h1 is its logo.
        '<meta property="og:site_name" content="Herald"><title>Pier reopens after two years | Herald</title>',
        # Not declared: the h1 is the short part of the page's title beside a longer one,
        # where a title sets the site: last, or first across a bar.
        "<title>Pier reopens after two years | Herald</title>",
        "<title>Herald | Pier reopens after two years</title>",
    ],
)
def test_a_logo_set_as_the_h1_is_not_the_title(head: str) -> None:
    page = html_page("<header><h1 class='logo'><a href='/'>Herald</a></h1></header><h2>Pier reopens</h2><p>Text.</p>", head)
    title = read_metadata(lxml.html.fromstring(page), URL, SelectorsConfig()).title
    assert title == "Pier reopens after two years"


def test_a_short_headline_in_the_h1_stays_the_title() -> None:
    # The h1 is a part of the page's title but the longer one: the headline, not the site.
    head = "<title>Pier reopens | Herald</title>"
    page = html_page("<h1>Pier reopens</h1><p>Text.</p>", head)
    assert read_metadata(lxml.html.fromstring(page), URL, SelectorsConfig()).title == "Pier reopens"


def test_a_short_h1_that_opens_the_title_stays_the_title() -> None:
    # "Strikes – latest news | Herald": the h1 opens the headline, the site is last.
    page = html_page("<h1>Strikes</h1><p>Text.</p>", "<title>Strikes – latest news | The Harbour Herald</title>")
    assert read_metadata(lxml.html.fromstring(page), URL, SelectorsConfig()).title == "Strikes"


def _title_without_h1(head: str) -> str | None:
    page = html_page("<div class='headline'>x</div><p>Text.</p>", head)
    return read_metadata(lxml.html.fromstring(page), URL, SelectorsConfig()).title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("新桥投票推迟_港口日报", "新桥投票推迟"),
        ("新桥投票推迟-港口日报", "新桥投票推迟"),
        ("新桥投票推迟__港口日报_港口网", "新桥投票推迟"),
        ("my_variable explained_港口日报", "my_variable explained"),
        # A dash between words is no separator; a name not declared is not cut.
        ("Anti-inflation plan-港口日报x", "Anti-inflation plan-港口日报x"),
        ("新桥投票推迟_港口晚报", "新桥投票推迟_港口晚报"),
    ],
)
def test_a_declared_site_name_set_after_the_title_with_no_spaces_is_cut(title: str, expected: str) -> None:
    head = f'<title>{title}</title><meta property="og:site_name" content="港口日报">'
    assert _title_without_h1(head) == expected
