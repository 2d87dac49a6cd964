"""Frame rules: the lines an outlet wraps a republished story in that the extractor keeps
(notes to the reader, pointers to the full story) are frame for dedup, not chrome; every
chrome line is frame too, and prose is neither."""

from __future__ import annotations

import pytest
from chrome_lines import CHROME, PROSE
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.pipeline.extract.chrome import FRAME_RULES, chrome_rule, frame_rule

# Written for these tests; no dev-set page is quoted.
FRAME_ONLY = {
    "editor's note": "Editor's note: this report was first published by the Valley Wire.",
    "curly editor's note": "\u2014 Editors\u2019 Note: the names of the witnesses have been changed.",
    "publisher's note": "Publisher's note \u2013 the ferry timetable below was corrected on Monday.",
    "correction": "Correction: the new pier is 240 metres long, not 420.",
    "update": "UPDATE \u2014 the council has since postponed the vote.",
    "read the full story": "Read the full story on the Valley Wire website.",
    "rest of the article": "See the rest of the article at our partner site.",
    "continue reading": "Continue reading at harbourherald.example",
    "follow on social media": "Follow the Harbour Herald on social media for the latest news.",
}


@pytest.mark.parametrize("text", FRAME_ONLY.values(), ids=FRAME_ONLY.keys())
def test_frame_lines_the_extractor_keeps(text: str) -> None:
    assert chrome_rule(text) is None
    assert frame_rule(text) in {rule.name for rule in FRAME_RULES}


@pytest.mark.parametrize("text", CHROME.values(), ids=CHROME.keys())
def test_every_chrome_line_is_frame(text: str) -> None:
    assert frame_rule(text) == chrome_rule(text)


@pytest.mark.parametrize("text", [
    *PROSE.values(),
    "The editor said the note from the mayor arrived too late for the morning edition.",
    # Reporting that uses a pointer's or a follow prompt's words mid-sentence.
    "Residents who read the full report said the costs of the bridge had doubled.",
    "Fans follow the club on social media more than they attend its matches.",
])
def test_prose_is_not_frame(text: str) -> None:
    assert frame_rule(text) is None


_LINES = [line.lower() for line in (*FRAME_ONLY.values(), *CHROME.values(), *PROSE.values())]


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.sampled_from(_LINES),
    st.tuples(st.sampled_from(_LINES), st.integers(0, 60), st.integers(0, 160)).map(
        lambda t: t[0][t[1]:t[1] + t[2]]
    ),
    st.tuples(st.sampled_from(_LINES), st.sampled_from(_LINES)).map(" ".join),
    st.text(max_size=120).map(str.lower),
))
def test_split_frame_rules_find_what_the_whole_pattern_finds(line: str) -> None:
    for rule in FRAME_RULES:
        assert rule.search(line) == (rule.pattern.search(line) is not None), rule.name
