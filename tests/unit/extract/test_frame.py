"""The prose frame: a story set in a box no class name announces keeps its headings,
lists and tables."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsdedup.core.config import SelectorsConfig
from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.body import BodyExtractor
from newsdedup.pipeline.extract.chunks import body_chunks, join_body_chunks
from newsdedup.pipeline.extract.frame import mark_prose_frame, unmark
from newsdedup.pipeline.extract.parse import HtmlParser

PARAGRAPHS = [
    "Choosing a bicycle for the daily ride to work depends on the distance, the hills and the weather.",
    "A light frame helps on hills, but a heavier one with mudguards keeps you dry through the winter.",
    "Most riders who commute more than ten kilometres a day end up buying a second set of tyres.",
    "Shops that sell second-hand bicycles often service them first, which is worth asking about.",
    "Whatever you buy, a good lock costs less than a new bicycle and saves a long walk home.",
]
HEADINGS = ["What the frame weighs", "Tyres for wet roads", "Where to buy"]
ITEMS = ["Mudguards front and back", "Lights that run on a battery", "A rack for a bag"]


def _page(frame_class: str, named_box: str = "") -> str:
    """A story in a ``<div class=frame_class>``: paragraphs, sub-headings, a list, a table."""
    story = (
        f"<p>{PARAGRAPHS[0]}</p><h2>{HEADINGS[0]}</h2><p>{PARAGRAPHS[1]}</p>"
        f"<ul>{''.join(f'<li>{item}</li>' for item in ITEMS)}</ul>"
        f"<h2>{HEADINGS[1]}</h2><p>{PARAGRAPHS[2]}</p>"
        "<table><tr><td>Summer tyres</td><td>28 millimetres wide</td></tr>"
        "<tr><td>Winter tyres</td><td>35 millimetres wide</td></tr></table>"
        f"<h2>{HEADINGS[2]}</h2><p>{PARAGRAPHS[3]}</p><p>{PARAGRAPHS[4]}</p>"
    )
    menu = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8))
    return (
        "<html><head><title>Buying a bicycle</title></head><body>"
        f"<nav><ul>{menu}</ul></nav>{named_box}<div class='layout'><h1>Buying a bicycle</h1>"
        f"<div class='{frame_class}'>{story}</div></div>"
        "<footer><p>Copyright and contact details of the magazine are on the about page.</p></footer>"
        "</body></html>"
    )


def _tree(html: str) -> HtmlElement:
    tree = HtmlParser().parse(html)
    assert tree is not None
    return tree


def _body(html: str) -> list[Block]:
    result = BodyExtractor().extract(_tree(html), title="Buying a bicycle", lead=None, selectors=SelectorsConfig())
    return result.blocks


def test_the_box_holding_the_prose_is_marked_when_no_name_announces_it() -> None:
    tree = _tree(_page("rich-box"))
    assert mark_prose_frame(tree)
    marked = tree.xpath("//*[@itemprop='articleBody']")
    assert [element.get("class") for element in marked] == ["rich-box"]


def test_headings_lists_and_tables_of_an_unnamed_frame_are_kept() -> None:
    blocks = _body(_page("rich-box"))
    texts = [text for _, text in blocks]
    for heading in HEADINGS:
        assert ("heading", heading) in blocks
    for item in ITEMS:
        assert ("item", item) in blocks
    assert any("Winter tyres" in text for text in texts)
    assert all(paragraph in texts for paragraph in PARAGRAPHS)


def test_a_named_frame_holding_the_prose_is_left_alone() -> None:
    tree = _tree(_page("entry-content"))
    assert not mark_prose_frame(tree)
    assert not tree.xpath("//*[@itemprop='articleBody']")


def test_a_named_box_without_prose_does_not_hide_the_story() -> None:
    # A teaser box whose class names article content, before the story: it holds no prose,
    # so the frame that does is marked.
    teaser = "<div class='post-content'><a href='/other'>Another story</a></div>"
    tree = _tree(_page("rich-box", named_box=teaser))
    assert mark_prose_frame(tree)
    blocks = _body(_page("rich-box", named_box=teaser))
    assert ("heading", HEADINGS[1]) in blocks


def test_a_page_with_little_prose_gets_no_frame() -> None:
    tree = _tree(f"<html><body><div class='box'><p>{PARAGRAPHS[0]}</p></div></body></html>")
    assert not mark_prose_frame(tree)


def test_the_marks_do_not_outlive_the_body_extraction() -> None:
    # The mark is for trafilatura only: read afterwards, it would make the page declare
    # itself an article (microdata), which the page classifier counts.
    teaser = "<div class='post-content'><a href='/other'>Another story</a></div>"
    tree = _tree(_page("rich-box", named_box=teaser))
    BodyExtractor().extract(tree, title="Buying a bicycle", lead=None, selectors=SelectorsConfig())
    assert not tree.xpath("//*[@itemprop='articleBody']")
    assert tree.xpath("//div[@class='post-content']")


def test_a_grid_of_dated_teaser_cards_gets_no_frame() -> None:
    cards = "".join(
        f"<div class='card'><h3><a href='/story/{i}'>{HEADINGS[i % 3]} {i}</a></h3>"
        f"<time>{i + 1} May</time><p>{PARAGRAPHS[i]}</p></div>"
        for i in range(5)
    )
    tree = _tree(f"<html><body><div class='grid'>{cards}</div></body></html>")
    assert not mark_prose_frame(tree)


def _embedded_story() -> str:
    """A named frame whose second half sits in a box named like an embed (which trafilatura
    discards by name), beside a small share box."""
    first = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:2])
    second = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[2:])
    return (
        "<html><head><title>Buying a bicycle</title></head><body><h1>Buying a bicycle</h1>"
        f"<div class='entry-content'>{first}<div class='rich-embed'>{second}</div>"
        "<div class='share-widget'><span>Share this on your networks</span></div></div></body></html>"
    )


def test_a_box_named_like_chrome_that_holds_the_story_is_kept() -> None:
    texts = [text for _, text in _body(_embedded_story())]
    assert all(paragraph in texts for paragraph in PARAGRAPHS)
    assert not any("Share this" in text for text in texts)
    tree = _tree(_embedded_story())
    marks = mark_prose_frame(tree)
    assert [element.get("class") for element, _ in marks] == [None]
    unmark(marks)
    assert tree.xpath("//div[@class='rich-embed']")


def _panels_page() -> str:
    """A story cut into panels: each a sub-heading, then its paragraphs in a box of their
    own (the chunks that ``join_body_chunks`` joins into the first box)."""
    panels = "".join(
        f"<div class='panel'><h2>{HEADINGS[i]}</h2>"
        f"<div class='panel-text'><p>{PARAGRAPHS[i]}</p><p>{PARAGRAPHS[i + 1]}</p></div></div>"
        for i in range(3)
    )
    return (
        "<html><head><title>Buying a bicycle</title></head><body><h1>Buying a bicycle</h1>"
        f"<div class='panels'>{panels}</div></body></html>"
    )


def test_a_story_cut_into_chunks_keeps_the_headings_between_them() -> None:
    blocks = _body(_panels_page())
    for heading in HEADINGS:
        assert ("heading", heading) in blocks
    assert all(("text", paragraph) in blocks for paragraph in PARAGRAPHS[:4])


def _sectioned(outside: list[str]) -> str:
    """A guide cut into sibling sections: the main part holds most of the prose, each of
    ``outside`` is a section of one paragraph beside it."""
    main = "".join(f"<p>{PARAGRAPHS[i % 5]} (part {i})</p>" for i in range(8))
    sections = "".join(f"<section class='s{i}'><h2>Section {i}</h2><p>{text}</p></section>" for i, text in enumerate(outside))
    return (
        "<html><head><title>Buying a bicycle</title></head><body><div class='column'>"
        f"<section class='lead'><p>{PARAGRAPHS[0]} (intro)</p></section>"
        f"<section class='parts'><div class='grid'>{main}</div></section>{sections}</div></body></html>"
    )


def _marked(html: str) -> list[str | None]:
    tree = _tree(html)
    mark_prose_frame(tree)
    return [element.get("class") for element in tree.xpath("//*[@itemprop='articleBody']")]


def test_the_frame_takes_in_sibling_sections_holding_a_fair_share_of_the_prose() -> None:
    assert _marked(_sectioned([PARAGRAPHS[1], PARAGRAPHS[2]])) == ["column"]


def test_the_frame_does_not_climb_for_a_little_prose_beside_it() -> None:
    # One short intro beside the main part: too little prose outside it to climb for.
    assert _marked(_sectioned([])) == ["grid"]


def test_a_sublist_stands_in_the_body_once() -> None:
    # A list item heading a sublist ("Optional:") gives its own line; the sublist's items
    # follow one by one, not also glued onto the item that holds them.
    sublist = "<li>Optional:<ul><li>A bell that rings twice</li><li>A spare inner tube</li></ul></li>"
    story = (
        f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
        f"<ul>{''.join(f'<li>{item}</li>' for item in ITEMS)}{sublist}</ul>"
        f"<p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[3]}</p>"
    )
    html = (
        "<html><head><title>Buying a bicycle</title></head><body><h1>Buying a bicycle</h1>"
        f"<div class='entry-content'>{story}</div></body></html>"
    )
    texts = [text for _, text in _body(html)]
    assert "Optional:" in texts
    assert sum(text.count("A spare inner tube") for text in texts) == 1
    assert "A bell that rings twice" in texts


def test_a_footer_box_like_the_story_chunks_is_not_a_chunk() -> None:
    # A page builder sets the story and the footer's "about us" text in the same boxes:
    # the footer's box is not part of the story.
    about = (
        "<p>The magazine was founded in 1990 by a group of riders and has covered cycling in the region ever since.</p>"
        "<p>It is published by a cooperative of its readers, who elect the board every spring at the annual meeting.</p>"
    )
    chunks = "".join(
        f"<div class='wrap'><div class='text-box'><p>{PARAGRAPHS[2 * i]} More.</p><p>{PARAGRAPHS[2 * i + 1]} More.</p></div></div>"
        for i in range(2)
    )
    html = (
        "<html><head><title>Buying a bicycle</title></head><body><h1>Buying a bicycle</h1>"
        f"<div class='story'>{chunks}</div><footer><div class='text-box'>{about}</div></footer></body></html>"
    )
    found = body_chunks(_tree(html))
    assert found is not None and len(found) == 2
    texts = [text for _, text in _body(html)]
    assert not any("cooperative of its readers" in text for text in texts)


def _joined_texts(html: str) -> list[str]:
    """The texts of the first chunk after ``join_body_chunks``, in reading order."""
    tree = _tree(html)
    chunks = body_chunks(tree)
    assert chunks is not None
    first = chunks[0]
    assert join_body_chunks(tree) == len(chunks) - 1
    return [" ".join(element.text_content().split()) for element in first if element.tag in ("h2", "h3", "p", "ul")]


def _sections_page(between: str = "") -> str:
    """Each sub-heading in a section wrapper outside its chunk of paragraphs; ``between``
    is set after each chunk, outside the chunks."""
    sections = "".join(
        f"<div class='section'><a id='s{i}'></a><h2>{HEADINGS[i]}</h2>"
        f"<div class='section-body'><p>{PARAGRAPHS[i]}</p><p>{PARAGRAPHS[i + 1]}</p></div>{between}</div>"
        for i in range(3)
    )
    return f"<html><head><title>Buying a bicycle</title></head><body><h1>Buying a bicycle</h1>{sections}</body></html>"


def test_joined_chunks_keep_the_subheading_that_leads_into_each() -> None:
    texts = _joined_texts(_sections_page())
    assert texts == [
        PARAGRAPHS[0], PARAGRAPHS[1], HEADINGS[1], PARAGRAPHS[1], PARAGRAPHS[2], HEADINGS[2], PARAGRAPHS[2],
        PARAGRAPHS[3],
    ]


def test_a_heading_over_text_that_is_no_chunk_stays_with_that_text() -> None:
    # A box of pros under its own heading after each chunk: the heading heads the box.
    pros = f"<h3>What we liked</h3><ul><li>{ITEMS[0]}</li></ul>"
    texts = _joined_texts(_sections_page(pros))
    assert "What we liked" not in texts
    assert texts.index(HEADINGS[1]) == texts.index(PARAGRAPHS[2]) - 2
