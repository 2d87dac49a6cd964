"""Drop caps: the initial a page sets in a box of its own is joined back to its word."""

from __future__ import annotations

import lxml.html
import pytest

from newsdedup.pipeline.extract.initials import join_initials
from newsdedup.pipeline.extract.parse import HtmlParser


def _body_text(body: str) -> str:
    root = HtmlParser().parse(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert root is not None
    found = root.find("body")
    assert found is not None
    return str(found.text_content())


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # a space the markup keeps between two inline boxes
        ('<p><span class="initial-outer"><span class="initial-letter">N</span></span> '
         '<span>ow the harbour is closed.</span></p>', "Now the harbour is closed."),
        # the initial a block of its own, before the story's first paragraph
        ('<div class="post-first-letter">D</div><div class="story"><p>uring the storm the pier broke.</p></div>',
         "During the storm the pier broke."),
        # the word goes on in the box's tail
        ('<p><span class="article__dropcap">T</span>he pier broke.</p>', "The pier broke."),
        # behind an opening quote
        ('<p><span class="DropCap">“W</span>e saw it fall,” she said.</p>', "“We saw it fall,” she said."),
    ],
)
def test_the_initial_is_written_at_the_start_of_its_word(body: str, text: str) -> None:
    assert _body_text(body) == text
    assert join_initials(lxml.html.document_fromstring(f"<html><body>{body}</body></html>")) == 1


def test_a_letter_that_is_a_word_keeps_the_space_the_markup_sets() -> None:
    assert _body_text('<p><span class="dropcap">A</span> ferry left at noon.</p>') == "A ferry left at noon."
    assert _body_text('<p><span class="dropcap">A</span>nother ferry left.</p>') == "Another ferry left."


@pytest.mark.parametrize(
    "body",
    [
        '<p><span class="dropcap">Wow</span> what a storm.</p>',  # a word, not an initial
        '<p><span class="capital-city">B</span> is the answer.</p>',  # a class that names no drop cap
        '<p><span class="dropcap">7</span> boats sank.</p>',  # a digit
        '<p><span class="dropcap">T</span></p><p>— 12 boats sank.</p>',  # no word follows
    ],
)
def test_boxes_that_are_not_drop_caps_stay(body: str) -> None:
    root = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    before = lxml.html.tostring(root)
    assert join_initials(root) == 0
    assert lxml.html.tostring(root) == before
