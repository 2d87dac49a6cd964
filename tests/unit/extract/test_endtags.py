"""End tags libxml2 ignores and a browser honours: a ``<div>`` left open inside an aside or
a button no longer drags the rest of the page, story included, into it."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.endtags import _MAX_SEARCHED, close_open_divs
from newsdedup.pipeline.extract.parse import HtmlParser

PARAGRAPHS = [
    "The new city library opened on Saturday with a reading by three authors who grew up in the district.",
    "Its reading room seats two hundred people and stays open until ten in the evening on weekdays.",
    "The building replaces a branch that closed six years ago after water damaged its basement archive.",
    "Librarians moved forty thousand books by hand over the summer, with help from local volunteers.",
    "Children's books fill the whole ground floor, next to a garden where readings will be held in spring.",
    "The council paid for half of the building; a foundation and a public appeal raised the other half.",
]
STORY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def _body(html: str) -> str:
    return f"<html><head><title>Library opens</title></head><body>{html}</body></html>"


def _story_paragraphs_under(html: str, xpath: str) -> int:
    tree = HtmlParser().parse(_body(html))
    assert tree is not None
    return len(tree.xpath(xpath))


def test_a_div_left_open_in_an_aside_no_longer_swallows_the_story() -> None:
    page = f"<aside class='sidebar'><div class='box'><div>Most read</div></aside><main>{STORY}</main>"
    assert _story_paragraphs_under(page, "//aside//p") == 0
    assert _story_paragraphs_under(page, "/html/body/main/p") == len(PARAGRAPHS)


def test_an_end_tag_closes_every_div_left_open_inside_its_element() -> None:
    page = f"<section><div><div><aside>Ads</section><article>{STORY}</article>"
    assert _story_paragraphs_under(page, "//section//p") == 0
    assert _story_paragraphs_under(page, "/html/body/article/p") == len(PARAGRAPHS)


def test_a_button_with_a_div_left_open_is_closed_where_a_browser_closes_it() -> None:
    page = f"<header><button aria-label='Menu'><div class='icon'><div></button></header><main>{STORY}</main>"
    assert _story_paragraphs_under(page, "//button//p") == 0
    assert _story_paragraphs_under(page, "//header//p") == 0


def test_markup_that_needs_no_repair_is_returned_as_it_is() -> None:
    pages = [
        _body(f"<aside><div>Most read</div></aside><main>{STORY}</main>"),
        # A self-closed div is closed for libxml2 too.
        _body(f"<aside><div/></aside>{STORY}"),
        # Tags in comments and scripts are no tags.
        _body(f"<aside><!-- <div> --><script>var box = '<div>';</script></aside>{STORY}"),
        # HTML5 ignores an end tag across a table cell (out of scope) and a span's across a div.
        _body(f"<aside><table><tr><td><div></aside></td></tr></table>{STORY}"),
        _body(f"<span><div></span>{STORY}"),
        # Custom elements are not the elements their names begin with.
        _body(f"<header-menu><div></header-menu>{STORY}"),
    ]
    for page in pages:
        assert close_open_divs(page) == page


def test_the_story_after_a_menu_button_left_open_is_extracted_in_paragraphs() -> None:
    html = _body(
        "<header><button class='menu-button' aria-label='Menu'><div class='icon'><div></button>"
        f"</div></header><main><article><h1>Library opens</h1><p class='byline'>By A. Reporter</p>{STORY}"
        "</article></main><footer><p>About us</p></footer>"
    )
    page = FetchedPage(
        source="test", url="https://city.example/news/library-opens",
        final_url="https://city.example/news/library-opens", status=200,
        headers={"content-type": "text/html"}, body=html.encode("utf-8"), fetched_at=datetime(2026, 12, 5, tzinfo=UTC),
    )
    article = Extractor(ExtractConfig()).extract(page)
    assert isinstance(article, Article), article
    assert [t for t in article.paragraphs if t in PARAGRAPHS] == PARAGRAPHS


def test_an_end_tag_looks_for_its_element_only_so_far_down_the_open_ones() -> None:
    # A few divs left open are closed; past the bound the page is left to libxml2 as it
    # is, so that thousands of stray end tags over thousands of open divs stay cheap.
    near = _body("<section>" + "<div>" * 10 + "</section>" + STORY)
    far = _body("<section>" + "<div>" * (_MAX_SEARCHED + 10) + "</section>" + STORY)
    assert close_open_divs(near) != near
    assert close_open_divs(far) == far


def test_a_custom_element_named_like_svg_does_not_hide_the_tags_after_it() -> None:
    page = f"<svg-icon name='menu'></svg-icon><aside><div>Most read</aside><main>{STORY}</main>"
    assert _story_paragraphs_under(page, "//aside//p") == 0
