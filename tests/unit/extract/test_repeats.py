"""A section the body holds twice (a second layout of the story) is dropped once seen."""

from __future__ import annotations

from collections import Counter

from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.repeats import drop_repeated_runs

SECTION: list[Block] = [
    ("heading", "What a kitchen remodel costs"),
    ("text", "Most of the budget goes to cabinets and counters, which make up about half of the bill in a typical project."),
    ("text", "Labour is the next largest item; it depends on the region and on how much of the plumbing has to move."),
    ("text", "Appliances come last, and they are the one part of the bill that is easy to spread over several years."),
    ("text", "Permits add a small but fixed amount, and inspections can add a week or two to the schedule as well."),
    ("text", "Flooring and lighting are often left for later, but doing them at the same time saves a second mess."),
]
CLOSING: Block = ("text", "Ask for three written quotes before you sign anything, and compare what each of them includes.")


def test_a_section_held_twice_keeps_its_first_copy() -> None:
    dropped: Counter[str] = Counter()
    examples: dict[str, str] = {}
    kept = drop_repeated_runs([*SECTION, CLOSING, *SECTION], dropped, examples)
    assert kept == [*SECTION, CLOSING]
    assert dropped["repeated"] == len(SECTION)
    assert examples["repeated"] == SECTION[0][1]


def test_short_lines_that_repeat_stay() -> None:
    # The same labels under each product reviewed: structure, not a copy of the story.
    review: list[Block] = [("heading", "Pros"), ("item", "Fast setup"), ("heading", "Cons"), ("item", "Loud fan")]
    blocks = [("text", "The first model we tested."), *review, ("text", "The second model we tested."), *review]
    assert drop_repeated_runs(blocks, Counter(), {}) == blocks


def test_a_run_of_three_paragraphs_stays() -> None:
    blocks = [*SECTION[:3], CLOSING, *SECTION[:3]]
    assert drop_repeated_runs(blocks, Counter(), {}) == blocks
