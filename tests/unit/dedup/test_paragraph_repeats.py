"""Repeats inside one article: the first copy stays, clips of a longer text go."""

from __future__ import annotations

import tracemalloc
from collections.abc import Sequence

import pytest
from dedup_stories import EARNINGS, MATCH, TRAM, TRAM_ZH, UNRELATED

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import key
from newsdedup.pipeline.dedup.paragraphs import FATES, Verdict, article_repeats
from newsdedup.pipeline.dedup.sketch import Sketcher

CONFIG = DedupConfig()


def fates(paragraphs: Sequence[str], title: str | None = None) -> list[Verdict]:
    sketches = Sketcher(CONFIG).paragraphs_of(paragraphs)
    return article_repeats(
        sketches, key(title) if title else None,
        near_threshold=CONFIG.paragraph_threshold,
        truncated_min_words=CONFIG.truncated_min_words,
    )


def test_a_clean_article_keeps_every_paragraph() -> None:
    assert all(v == Verdict("kept") for v in fates(TRAM))


def test_a_repeated_block_is_dropped_and_its_first_copy_kept() -> None:
    # Seed 000: the old scraper stored the body twice.
    verdicts = fates(TRAM[:4] + TRAM[1:4])
    assert [v.fate for v in verdicts] == ["kept"] * 4 + ["repeat"] * 3
    assert [v.duplicate_of for v in verdicts[4:]] == [1, 2, 3]


def test_an_exact_repeat_in_another_spelling_is_a_repeat() -> None:
    verdicts = fates((TRAM[0], TRAM[1].upper().replace(",", " ,"), TRAM[1]))
    assert verdicts[2] == Verdict("repeat", 1)


def test_a_near_repeat_in_chinese_is_a_repeat() -> None:
    # Words are characters there: a repeat with a word changed is near, not new.
    changed = TRAM_ZH[1].replace("\u6570\u767e", "\u51e0\u767e")  # "hundreds", said otherwise
    assert changed != TRAM_ZH[1]
    verdicts = fates((*TRAM_ZH, changed))
    assert verdicts[-1] == Verdict("repeat", 1)
    assert all(v.fate == "kept" for v in verdicts[:-1])


def test_paragraphs_that_differ_in_vowel_signs_are_not_repeats() -> None:
    # Hindi "today the boy is big" / "today the girl is big": the consonants are the same.
    boy = "\u0906\u091c \u0932\u0921\u093c\u0915\u093e \u092c\u0921\u093c\u093e \u0939\u0948"
    girl = "\u0906\u091c \u0932\u0921\u093c\u0915\u0940 \u092c\u0921\u093c\u0940 \u0939\u0948"
    assert [v.fate for v in fates((boy, girl))] == ["kept", "kept"]


LONG = TRAM + MATCH + EARNINGS + UNRELATED  # more paragraphs than are compared all-pairs


@pytest.mark.parametrize(
    "body",
    [pytest.param(TRAM[:3], id="short-article"), pytest.param(LONG, id="long-article-lsh")],
)
def test_a_near_repeat_is_a_repeat(body: tuple[str, ...]) -> None:
    changed = TRAM[1].replace("almost six hours", "nearly six hours")
    verdicts = fates((*body, changed))
    assert verdicts[-1] == Verdict("repeat", 1)
    assert all(v.fate == "kept" for v in verdicts[:-1])


def test_thousands_of_look_alike_paragraphs_cost_bounded_memory() -> None:
    # Issue 11: a dump of 30,000 paragraphs differing only in their figures made the
    # near-repeat search build an n x n x num_perm array (27 GiB). Here 3,000 of them
    # would take 288 MB that way; bucketed comparisons stay far below.
    body = [
        f"The council counted {i} riders on tram line {i % 7} and spent {3 * i} crowns "
        "on the northern depot this week."
        for i in range(3000)
    ]
    sketches = Sketcher(CONFIG).paragraphs_of(body)
    tracemalloc.start()
    try:
        verdicts = article_repeats(sketches, None, near_threshold=CONFIG.paragraph_threshold,
                                   truncated_min_words=CONFIG.truncated_min_words)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdicts[0] == Verdict("kept")
    assert all(v == Verdict("repeat", 0) for v in verdicts[1:])
    assert peak < 32_000_000


def test_a_feed_summary_cut_mid_word_across_paragraphs_is_a_truncated_repeat() -> None:
    # Seed 002: the feed summary of the first two paragraphs, clipped mid-word, on top.
    summary = (TRAM[0] + " " + TRAM[1])[:280]
    assert summary[-1].isalpha() and summary[-2].isalpha()
    verdicts = fates((summary, *TRAM))
    assert verdicts[0] == Verdict("truncated_repeat", 1)
    assert all(v.fate == "kept" for v in verdicts[1:])


def test_a_prefix_of_a_later_paragraph_is_a_truncated_repeat_of_it() -> None:
    clipped = TRAM[2][: len(TRAM[2]) // 2] + "..."
    verdicts = fates((TRAM[0], clipped, TRAM[1], TRAM[2]))
    assert verdicts[1] == Verdict("truncated_repeat", 3)


def test_a_paragraph_repeating_the_title_is_a_repeat_of_the_title() -> None:
    title = "Tram line to northern suburbs approved"
    verdicts = fates((title.upper(), *TRAM[:3]), title=title)
    assert verdicts[0] == Verdict("repeat", None)


def test_short_common_phrases_are_not_truncated_repeats() -> None:
    verdicts = fates(("The council said", *TRAM[:3]))
    assert verdicts[0] == Verdict("kept")


def test_every_paragraph_gets_a_known_fate() -> None:
    body = (TRAM[0], TRAM[0], (TRAM[1] + " " + TRAM[2])[:200], *TRAM[1:4], "\u274c", "***", "\u274c")
    verdicts = fates(body)
    assert len(verdicts) == len(body)
    assert {v.fate for v in verdicts} <= set(FATES)
    # Paragraphs without a word are all the same paragraph after normalisation.
    assert verdicts[-2:] == [Verdict("repeat", len(body) - 3)] * 2


def test_a_clip_cut_inside_a_number_is_a_truncated_repeat() -> None:
    # "1,200" cut after "1,2": normalised, the clip ends in "1 2", which "1200" does not
    # start with; what comes before the cut still matches.
    lead = ("Medinsky said Russia proposed a new exchange of at least 1,200 prisoners from "
            "each side after the talks in Istanbul.")
    clip = lead[:lead.index("1,200") + 3]
    assert clip.endswith("1,2")
    verdicts = fates((lead, *TRAM[:2], clip))
    assert verdicts[-1] == Verdict("truncated_repeat", 0)
    assert all(v.fate == "kept" for v in verdicts[:-1])


def test_a_sentence_that_differs_only_in_its_last_word_is_kept() -> None:
    # Without its last word it is a prefix of the other, but "fail" does not continue a
    # word there: a different sentence, not a clip.
    first = "The ministry said the talks in Istanbul would resume on Monday morning."
    other = "The ministry said the talks in Istanbul would fail."
    verdicts = fates((first, *TRAM[:2], other))
    assert verdicts[-1] == Verdict("kept")
