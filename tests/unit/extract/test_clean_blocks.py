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


def test_the_displayed_headline_goes_once_in_each_of_its_guises() -> None:
    # The <h1> word for word (once: a second such line is the story's), the declared title
    # with a kicker glued on, and a heading above the lead: all the headline.
    h1 = ("ferry", "every", "hour", "from", "may")
    lead = "The island ferry runs every hour from May, with later crossings for pupils."
    blocks: list[Block] = [
        ("heading", "Ferry every hour from May"),
        ("text", "Islands: Hourly ferry for the islands"),
        ("heading", "Transport news"),
        ("text", lead),
        ("text", "Ferry every hour from May"),
        *STORY,
    ]
    dropped: Counter[str] = Counter()
    kept = clean_blocks(blocks, "Hourly ferry for the islands", dropped, h1=h1, lead=lead)
    assert kept == [("text", lead), ("text", "Ferry every hour from May"), *STORY]
    assert dropped["title"] == 3


def test_a_heading_with_a_paragraph_above_it_is_no_headline() -> None:
    lead = "The island ferry runs every hour from May, with later crossings for pupils."
    blocks: list[Block] = [STORY[0], ("heading", "Crews"), ("text", lead), *STORY[1:]]
    assert clean_blocks(blocks, None, Counter(), lead=lead) == blocks


def test_headings_the_body_ends_with_go_but_headings_with_text_under_them_stay() -> None:
    section: list[Block] = [("heading", "What the harbour master says"), STORY[0]]
    below: list[Block] = [("heading", "Get the valley's news by e-mail"), ("heading", "More from our reporters")]
    dropped: Counter[str] = Counter()
    assert clean_blocks([*section, *STORY[1:], *below], None, dropped) == [*section, *STORY[1:]]
    assert dropped["trailing_heading"] == 2
    # A heading in the middle, with the story under it, is a section of the story.
    assert clean_blocks([*STORY[:3], *section, *STORY[3:]], None, Counter()) == [*STORY[:3], *section, *STORY[3:]]


def test_a_label_the_body_ends_with_goes_but_a_label_with_text_after_it_stays() -> None:
    # What a label announced (share buttons, a box of links) is gone: the label goes too.
    below: list[Block] = [("text", "Pass this report on to:"), ("heading", "Elsewhere on the site")]
    dropped: Counter[str] = Counter()
    assert clean_blocks([*STORY, *below], None, dropped) == STORY
    assert dropped["trailing_heading"] == 2
    # A label with its list under it is part of the story; so is a long sentence ending in a colon.
    steps: list[Block] = [("text", "Pack for the crossing:"), ("item", "a rope"), ("item", "a lantern")]
    assert clean_blocks([*STORY, *steps], None, Counter()) == [*STORY, *steps]
    sentence: list[Block] = [("text", "The harbour master listed what the crews had asked for in the winter:")]
    assert clean_blocks([*STORY, *sentence], None, Counter()) == [*STORY, *sentence]


def test_a_tag_label_alone_goes_with_the_tags_under_it() -> None:
    tags: list[Block] = [("text", "Trefwoorden :"), ("item", "Veerboot"), ("item", "Nachtboot"), ("item", "Havenfeest")]
    dropped: Counter[str] = Counter()
    assert clean_blocks([*STORY[:3], *tags, *STORY[3:]], None, dropped) == STORY
    assert dropped["tags"] == 1 and dropped["related"] == 3
    # A paragraph after the label is no tag: the story goes on.
    assert clean_blocks([("text", "Tags:"), *STORY], None, Counter()) == STORY


def test_a_body_of_headings_alone_is_left_as_it_is() -> None:
    headings: list[Block] = [("heading", "Harbour opens at dawn"), ("heading", "Ferries run every hour")]
    assert clean_blocks(headings, None, Counter()) == headings
