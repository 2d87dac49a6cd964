"""What a copy changed, paragraph by paragraph: named cases, each stating its counts."""

from __future__ import annotations

import pytest

from newsdedup.app.report.diff import MAX_CHANGES, diff_paragraphs, split_paragraphs

ORIGINAL = [
    "The council approved the harbour budget on Tuesday after a long debate.",
    "Ferry fares will rise by five percent from March, the mayor said.",
    "Repairs to the old bridge are planned for the spring.",
    "Residents asked for more buses on the northern routes.",
]


@pytest.mark.parametrize(("name", "copy", "expected"), [
    ("identical", ORIGINAL, (4, 0, 0, 0)),
    ("case and spacing only", [p.upper().replace(" ", "  ") for p in ORIGINAL], (4, 0, 0, 0)),
    ("last paragraph cut", ORIGINAL[:3], (3, 1, 0, 0)),
    ("credit line added", [*ORIGINAL, "This article first appeared in the Harbour Times."], (4, 0, 1, 0)),
    ("one word changed", [ORIGINAL[0], ORIGINAL[1].replace("five", "six"), *ORIGINAL[2:]], (3, 0, 0, 1)),
    ("one replaced by an unrelated paragraph",
     [*ORIGINAL[:2], "Completely different words about football scores tonight.", ORIGINAL[3]],
     (3, 1, 1, 0)),
])
def test_changes_are_counted_by_kind(name: str, copy: list[str],
                                     expected: tuple[int, int, int, int]) -> None:
    diff = diff_paragraphs(ORIGINAL, copy)
    assert (diff.same, diff.dropped, diff.added, diff.edited) == expected, name
    assert diff.identical == (expected[1:] == (0, 0, 0))


def test_an_edit_shows_the_words_removed_and_inserted() -> None:
    copy = [ORIGINAL[0], ORIGINAL[1].replace("five", "six"), *ORIGINAL[2:]]
    (change,) = diff_paragraphs(ORIGINAL, copy).changes
    assert change.kind == "edited"
    assert [(w.op, w.text) for w in change.words if w.op != " "] == [("-", "five"), ("+", "six")]
    assert " ".join(w.text for w in change.words if w.op != "-") == copy[1]


def test_a_long_list_of_changes_is_cut_and_says_how_many_more() -> None:
    added = [f"Paragraph number {i} of the copy's own, about something else." for i in range(30)]
    diff = diff_paragraphs(ORIGINAL, [*ORIGINAL, *added])
    assert diff.added == 30
    assert len(diff.changes) == MAX_CHANGES and diff.more == 30 - MAX_CHANGES


def test_split_paragraphs_reads_the_stored_text() -> None:
    assert split_paragraphs("One.\n\n  Two.  \n\n\n\nThree.") == ["One.", "Two.", "Three."]
