"""Per-source selectors through soupsieve: :has(), :-soup-contains(), and the lxml elements back."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from newsdedup.pipeline.extract.select import SelectorError, TreeView, check_selector, select

PAGE = """<html><body>
<header class="top bar"><nav><a href="/">Home</a></nav></header>
<main>
  <div class="box"><h2>Morning briefing</h2><p>First the weather, then the markets.</p></div>
  <div class="box"><p>Sponsored by a bakery down the road.</p></div>
  <div class="box" id="story"><p>The ferry <b>resumed</b> service on Monday<!-- c --> after repairs.</p>
    <p>Passengers waited an hour.</p></div>
</main></body></html>"""


def tree(markup: str = PAGE) -> HtmlElement:
    return document_fromstring(markup, parser=HTMLParser(remove_comments=False))


def texts(elements: list[HtmlElement]) -> list[str]:
    return [" ".join(" ".join(e.itertext()).split())[:30] for e in elements]


def test_matches_are_the_trees_own_elements_in_document_order() -> None:
    root = tree()
    found = select(root, "div.box")
    assert all(element.getroottree().getroot() is root for element in found)
    assert [e.get("id") for e in found] == [None, None, "story"]
    # Multi-valued class attributes match word by word, as in a browser.
    assert [e.tag for e in select(root, "header.bar")] == ["header"]


def test_has_selects_by_what_an_element_contains() -> None:
    root = tree()
    assert texts(select(root, "div:has(> h2)")) == ["Morning briefing First the wea"]
    assert texts(select(root, "div.box:not(:has(h2)) p:first-child")) == [
        "Sponsored by a bakery down the", "The ferry resumed service on M"]


def test_soup_contains_reads_the_text_across_markup_and_comments() -> None:
    root = tree()
    assert texts(select(root, "div:-soup-contains('Sponsored by')")) == ["Sponsored by a bakery down the"]
    # Text split by an inline element and by a comment still reads as one.
    assert [e.tag for e in select(root, "p:-soup-contains('ferry resumed service on Monday after')")] == ["p"]


def test_select_within_a_subtree_keeps_to_it() -> None:
    root = tree()
    story = root.get_element_by_id("story")
    assert texts(select(story, "p")) == ["The ferry resumed service on M", "Passengers waited an hour."]


def test_a_very_deep_tree_does_not_exhaust_the_stack() -> None:
    # Deeper than Python's default recursion limit (1,000), within what lxml builds.
    depth = 1500
    markup = "<html><body>" + "<div>" * depth + "<p class='end'>deep</p>" + "</div>" * depth + "</body></html>"
    parser = HTMLParser(huge_tree=True)
    root = document_fromstring(markup, parser=parser)
    assert len(list(root.iter("div"))) == depth
    assert [e.text for e in select(root, "div:has(> p.end) > p")] == ["deep"]


def test_dropped_elements_are_no_longer_found() -> None:
    root = tree()
    first = select(root, "div:has(h2)")[0]
    first.getparent().remove(first)
    assert select(root, "div:has(h2)") == []


def test_one_view_answers_several_selectors() -> None:
    root = tree()
    view = TreeView(root)
    assert texts(view.select("h2")) == ["Morning briefing"]
    assert [e.get("id") for e in view.select("div:has(b)")] == ["story"]
    assert view.select("p:-soup-contains('Passengers')")[0] is root.get_element_by_id("story")[1]


@pytest.mark.parametrize("selector", ["div[[", "p:-soup-contains(", "::before"])
def test_invalid_selectors_are_refused_with_the_selector_named(selector: str) -> None:
    with pytest.raises(SelectorError, match="invalid CSS selector"):
        check_selector(selector)
    with pytest.raises(SelectorError, match=r"invalid CSS selector"):
        select(tree(), selector)


def test_valid_selectors_pass_check_unchanged() -> None:
    for selector in ("div:has(> h2)", "p:-soup-contains('Sponsored')", "main > div:nth-of-type(2)"):
        assert check_selector(selector) == selector
