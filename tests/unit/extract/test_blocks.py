"""Paragraphs from a subtree named by a selector (``blocks_of``)."""

from lxml import html

from newsdedup.pipeline.extract.blocks import blocks_of


def test_a_list_item_with_a_heading_keeps_the_heading_apart_from_its_text() -> None:
    tree = html.fromstring(
        "<div><ul><li><div><h3>Boil the water</h3>Wait until it bubbles.</div></li>"
        "<li>A plain <b>item</b></li></ul></div>"
    )
    assert blocks_of([tree]) == [
        ("heading", "Boil the water"), ("text", "Wait until it bubbles."), ("item", "A plain item"),
    ]
