"""Headlines of other stories between a body's paragraphs (made-up pages)."""

from __future__ import annotations

from collections import Counter

import pytest
from extract_helpers import PROSE, PageFactory, html_page
from lxml.html import document_fromstring

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.inline_teasers import drop_inline_teasers, link_targets

_CANONICAL = "<link rel='canonical' href='https://www.herald.example/news/2024/05/07/budget'>"
_HEAD = "<title>Council agrees budget</title><meta property='og:type' content='article'>" + _CANONICAL
_OTHER = "Ferry timetable changes for the summer season"
_SECOND = "Residents asked for longer library hours in a petition that more than four hundred people signed."


def _tree(links: str):  # type: ignore[no-untyped-def]
    return document_fromstring(html_page(f"<article>{links}</article>", _HEAD))


def _blocks(line: str) -> list[Block]:
    return [("text", PROSE), ("text", line), ("text", _SECOND)]


def test_a_linked_headline_of_another_story_between_paragraphs_is_dropped() -> None:
    dropped: Counter[str] = Counter()
    tree = _tree(f"<a href='/travel/2024/05/06/ferry-timetable'>{_OTHER}</a>")
    assert drop_inline_teasers(_blocks(_OTHER), tree, dropped) == [("text", PROSE), ("text", _SECOND)]
    assert dropped["inline_teaser"] == 1


def test_a_marker_before_the_link_text_is_still_the_teaser() -> None:
    tree = _tree(f"<a href='https://herald.example/travel/ferry'>{_OTHER}</a>")
    assert len(drop_inline_teasers(_blocks(f"> {_OTHER}"), tree, Counter())) == 2


def test_a_label_set_apart_by_a_bar_before_the_link_is_still_the_teaser() -> None:
    tree = _tree(f"<a href='/travel/ferry'>{_OTHER}</a>")
    # A label of several words in the site's language, then a bar, then the linked headline.
    line = f"LEES OOK HIERDIE BERIG | {_OTHER}"
    assert len(drop_inline_teasers(_blocks(line), tree, Counter())) == 2
    # Not linked after the bar: a line of the story.
    unlinked = "LEES OOK HIERDIE BERIG | The council meets again on Thursday evening"
    assert len(drop_inline_teasers(_blocks(unlinked), tree, Counter())) == 3


def test_the_headlines_of_cards_linked_whole_are_teasers() -> None:
    other = "Harbour wall repairs start next week"
    cards = "".join(
        f"<a href='/news/{slug}'><img src='/{slug}.jpg'><span>Local</span><h3>{headline}</h3></a>"
        for slug, headline in (("ferry", _OTHER), ("harbour", other))
    )
    blocks: list[Block] = [("text", PROSE), ("heading", _OTHER), ("heading", other), ("text", _SECOND)]
    assert drop_inline_teasers(blocks, _tree(cards), Counter()) == [("text", PROSE), ("text", _SECOND)]


@pytest.mark.parametrize("href", [
    "#summer",  # an anchor on the page (a table of contents)
    "https://www.herald.example/news/2024/05/07/budget",  # the page itself
    "https://elsewhere.example/travel/ferry",  # another site: a source, kept
    "/",  # the home page
])
def test_links_to_the_page_itself_or_elsewhere_are_kept(href: str) -> None:
    tree = _tree(f"<a href='{href}'>{_OTHER}</a>")
    assert len(drop_inline_teasers(_blocks(_OTHER), tree, Counter())) == 3


def test_unlinked_sub_heading_and_linked_sentence_are_kept() -> None:
    sentence = "The ferry timetable changes for the summer season."
    tree = _tree(f"<a href='/travel/ferry'>{sentence}</a>")
    assert len(drop_inline_teasers(_blocks(_OTHER), tree, Counter())) == 3
    assert len(drop_inline_teasers(_blocks(sentence), tree, Counter())) == 3


def test_a_linked_line_not_between_paragraphs_is_kept() -> None:
    tree = _tree(f"<a href='/travel/ferry'>{_OTHER}</a>")
    blocks: list[Block] = [("text", PROSE), ("text", _OTHER)]
    assert drop_inline_teasers(blocks, tree, Counter()) == blocks
    before_a_heading: list[Block] = [("text", PROSE), ("text", _OTHER), ("heading", "The vote")]
    assert drop_inline_teasers(before_a_heading, tree, Counter()) == before_a_heading


def test_link_targets_without_a_declared_url_take_the_most_linked_host() -> None:
    tree = document_fromstring(html_page(
        "<a href='https://herald.example/a/one'>First story here</a>"
        "<a href='https://herald.example/a/two'>Second story here</a>"
        "<a href='https://other.example/b'>Elsewhere story</a>"
    ))
    assert set(link_targets(tree)) == {"first story here", "second story here"}


def test_the_extractor_leaves_the_teaser_out_of_the_article(make_page: PageFactory) -> None:
    paragraphs = "".join(f"<p>{PROSE} Part {i}.</p>" for i in range(3))
    teaser = f"<p><a href='/travel/2024/05/06/ferry-timetable'>{_OTHER}</a></p>"
    page = html_page(
        f"<article><h1>Council agrees budget</h1><div class='article-body'>{paragraphs}{teaser}{paragraphs}"
        "</div></article>", _HEAD,
    )
    result = Extractor(ExtractConfig()).extract(make_page(page))
    assert isinstance(result, Article), result
    assert _OTHER not in result.text
    assert len(result.paragraphs) == 6


_MORE = (
    ("/news/2024/05/06/ferry-timetable", _OTHER),
    ("/news/2024/05/05/harbour-wall", "Harbour wall repairs start next week"),
    ("/sport/2024/05/05/rowing-club", "Rowing club wins the regional cup again"),
    ("/news/2024/05/04/school-roof", "School roof to be replaced over the summer"),
    ("/news/2024/05/03/market-square", "Market square reopens after the works"),
    ("/arts/2024/05/02/choir-concert", "Choir concert raises money for the lifeboat"),
)
_LINKS = "".join(f"<a href='{href}'>{headline}</a>" for href, headline in _MORE)
_STORY: list[Block] = [("text", PROSE), ("text", _SECOND), ("text", PROSE + " Again.")]


def test_a_list_of_other_stories_below_the_story_is_cut_with_the_line_after_it() -> None:
    dropped: Counter[str] = Counter()
    examples: dict[str, str] = {}
    closing = "Pictures from the harbour by our staff"
    below: list[Block] = [*(("text", headline) for _, headline in _MORE), ("text", closing)]
    assert drop_inline_teasers([*_STORY, *below], _tree(_LINKS), dropped, examples) == _STORY
    assert dropped["teaser_list"] == 7
    assert examples["teaser_list"] == _OTHER


def test_two_linked_headlines_below_the_story_are_no_list() -> None:
    blocks: list[Block] = [*_STORY, *(("text", headline) for _, headline in _MORE[:2])]
    assert drop_inline_teasers(blocks, _tree(_LINKS), Counter()) == blocks


def test_unlinked_headlines_below_the_story_are_kept() -> None:
    blocks: list[Block] = [*_STORY, *(("heading", headline) for _, headline in _MORE)]
    assert drop_inline_teasers(blocks, _tree(""), Counter()) == blocks


def test_a_list_the_story_goes_on_after_is_kept() -> None:
    # Linked entries (more than the short box between paragraphs) and then more of the
    # story than the list's closing lines would be: the list is the story's own.
    blocks: list[Block] = [
        *_STORY, *(("item", headline) for _, headline in _MORE), ("text", PROSE + " Then."), ("text", _SECOND),
    ]
    assert drop_inline_teasers(blocks, _tree(_LINKS), Counter()) == blocks


def test_a_list_above_most_of_the_text_is_kept() -> None:
    # Links first and the story's prose below them: a table of contents, or a page of links.
    blocks: list[Block] = [("text", PROSE), *(("item", headline) for _, headline in _MORE), *_STORY, *_STORY]
    assert drop_inline_teasers(blocks, _tree(_LINKS), Counter()) == blocks


def test_the_extractor_leaves_a_list_of_other_stories_below_the_story_out(make_page: PageFactory) -> None:
    paragraphs = "".join(f"<p>{PROSE} Part {i}.</p>" for i in range(4))
    more = "".join(f"<p><a href='{href}'>{headline}</a></p>" for href, headline in _MORE)
    page = html_page(
        f"<article><h1>Council agrees budget</h1><div class='article-body'>{paragraphs}{more}</div></article>", _HEAD,
    )
    result = Extractor(ExtractConfig()).extract(make_page(page))
    assert isinstance(result, Article), result
    assert [headline for _, headline in _MORE if headline in result.text] == []
    assert len(result.paragraphs) == 4
