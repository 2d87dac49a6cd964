"""Chrome pruning: pictures and their captions go, tables and code set as a figure stay."""

from __future__ import annotations

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.parse import HtmlParser
from newsdedup.pipeline.extract.prune import prune_chrome

STORY = "<p>The ferry timetable changes on Monday, with two more crossings on weekday mornings.</p>"


def _pruned(figure: str) -> HtmlElement:
    tree = HtmlParser().parse(f"<html><body><div class='story'>{STORY}{figure}{STORY}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    return tree


def test_a_picture_and_its_caption_are_pruned() -> None:
    tree = _pruned("<figure><img src='/ferry.jpg'><figcaption>The ferry at the pier (photo: archive)</figcaption></figure>")
    assert not tree.xpath("//figure | //figcaption | //img")


def test_a_table_set_as_a_figure_is_kept_without_its_caption() -> None:
    table = "<table><tr><td>Weekdays</td><td>6:10, 7:40, 9:15</td></tr><tr><td>Sundays</td><td>9:15</td></tr></table>"
    tree = _pruned(f"<figure class='table-block'>{table}<figcaption>Source: the ferry company</figcaption></figure>")
    assert "6:10, 7:40, 9:15" in tree.text_content()
    assert "Source: the ferry company" not in tree.text_content()


def test_a_code_listing_set_as_a_figure_is_kept() -> None:
    tree = _pruned("<figure><pre>make install PREFIX=/usr/local</pre><figcaption>Listing 1</figcaption></figure>")
    assert "make install PREFIX=/usr/local" in tree.text_content()
