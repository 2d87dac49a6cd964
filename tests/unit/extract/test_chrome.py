"""Line rules: the chrome the old scraper let through is caught; prose that mentions the
same words is not."""

from __future__ import annotations

import pytest
from chrome_lines import CHROME, PROSE
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.pipeline.extract.chrome import (
    ERROR_NOTICE,
    LINE_RULES,
    chrome_rule,
    is_related_heading,
    top_level_alternatives,
)


@pytest.mark.parametrize("text", CHROME.values(), ids=CHROME.keys())
def test_chrome_lines_are_caught(text: str) -> None:
    assert chrome_rule(text) is not None


@pytest.mark.parametrize("text", PROSE.values(), ids=PROSE.keys())
def test_prose_is_kept(text: str) -> None:
    assert chrome_rule(text) is None


@pytest.mark.parametrize("text", [
    "Related", "Mehr zum Thema", "Lesen Sie auch:", "Читайте также", "Read more",
    # The label in brackets or after a marker.
    "【関連記事】", "» Lesen Sie auch", "► Related stories", "▶ Read more:",
])
def test_teaser_block_headings(text: str) -> None:
    assert is_related_heading(text)


@pytest.mark.parametrize("text", ["The related party paid in full", "(see the table below)", "Lesen"])
def test_lines_that_only_mention_the_words_are_not_teaser_headings(text: str) -> None:
    assert not is_related_heading(text)


def test_top_level_alternatives_respect_groups_classes_and_escapes() -> None:
    pattern = r"^a(?:b|c)|[|\]x]d|e\|f|^(g|h)$"
    assert top_level_alternatives(pattern) == [r"^a(?:b|c)", r"[|\]x]d", r"e\|f", r"^(g|h)$"]
    assert top_level_alternatives("[]|]x|y") == ["[]|]x", "y"]
    assert top_level_alternatives("[^]|]x|y") == ["[^]|]x", "y"]


# Lines near what the rules look for: their own test lines, cut, joined and shuffled.
_LINES = [line.lower() for line in (*CHROME.values(), *PROSE.values())]
_near_chrome = st.one_of(
    st.sampled_from(_LINES),
    st.tuples(st.sampled_from(_LINES), st.integers(0, 80), st.integers(0, 200)).map(
        lambda t: t[0][t[1]:t[1] + t[2]]
    ),
    st.tuples(st.sampled_from(_LINES), st.sampled_from(_LINES)).map(" ".join),
    st.text(max_size=120).map(str.lower),
)


@settings(max_examples=400, deadline=None)
@given(_near_chrome)
def test_split_rules_find_what_the_whole_pattern_finds(line: str) -> None:
    # Each rule is matched in parts (start-anchored alternatives, word-start ones, the
    # rest) for speed; they must find exactly the lines the written pattern finds.
    for rule in (*LINE_RULES, ERROR_NOTICE):
        assert rule.search(line) == (rule.pattern.search(line) is not None), rule.name



@pytest.mark.parametrize("text", ["$$INLINE_AD$$", "%%PROMO_SLOT%%"])
def test_an_unfilled_template_slot_alone_on_its_line_is_chrome(text: str) -> None:
    assert chrome_rule(text) == "placeholder"


@pytest.mark.parametrize("text", ["The fare is $$5 for adults.", "{{ story.byline }}", "$$pid$$"])
def test_a_line_that_mentions_or_shows_code_like_a_template_slot_is_kept(text: str) -> None:
    assert chrome_rule(text) is None
