"""The body's line clean-up after the content finder: what goes, what stays."""

from __future__ import annotations

from collections import Counter

from extract_helpers import PROSE

from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.body import clean_blocks

STORY: list[Block] = [("text", f"{PROSE} ({index})") for index in range(6)]


def test_text_after_a_closing_prompt_is_the_box_below_the_story() -> None:
    below: list[Block] = [
        ("text", "Was this article helpful?"),
        ("text", "Our reporters cover the valley every day, and a subscription keeps them there. Try it today."),
    ]
    dropped: Counter[str] = Counter()
    assert clean_blocks(STORY + below, None, dropped) == STORY
    assert dropped["after_end"] == 1


def test_a_closing_prompt_with_much_story_after_it_cuts_nothing() -> None:
    blocks: list[Block] = [*STORY[:2], ("text", "Was this article helpful?"), *STORY[2:]]
    assert clean_blocks(blocks, None, Counter()) == STORY


def test_teaser_items_under_a_related_heading_go_but_the_story_set_as_items_stays() -> None:
    teasers: list[Block] = [("text", "Related"), ("item", "Council delays the harbour vote"),
                            ("item", "Heat warning for the coast this weekend")]
    # A story set as a list of key points, each a paragraph long, after a "Related" line
    # (a tag box above the story): the items are the story, not teasers.
    points: list[Block] = [("item", f"{PROSE} {PROSE} ({index})") for index in range(3)]
    dropped: Counter[str] = Counter()
    assert clean_blocks([*STORY[:1], *teasers, *STORY[1:]], None, dropped) == STORY
    assert dropped["related"] == 3
    assert clean_blocks([("text", "Related topics"), *points], None, Counter()) == points
