"""The original is the fullest, least framed member: story words, frames, titles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dedup_stories import TRAM

from newsdedup.pipeline.dedup.fullness import StoryText, is_frame, unique_frames, unique_story_words
from newsdedup.pipeline.dedup.origin import REASONS, Candidate, decide, election_key

DAY = datetime(2025, 6, 7, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("paragraph", "frame"), [
    ("Editor's note: this story was updated with the council's response.", True),
    ("Editor\u2019s Note \u2014 an earlier version gave the wrong cost of the bridge.", True),
    ("Correction: the line is 14 kilometres long, not 41.", True),
    ("To read the full story, visit our partners at the Valley Wire.", True),
    ("Continue reading on the Harbour Post website.", True),
    ("Advertisement", True),
    ("Read more: Council votes on bus lanes | Bridge closed for repairs", True),
    ("Related: Tram fares to match bus tickets", True),
    ("\u00a9 2025 Harbour Post. All rights reserved.", True),
    ("Sign up to our morning newsletter and get the day's stories in your inbox.", True),
    ("Follow the City Desk on social media for updates.", True),
    (TRAM[0], False),
    ("The council said the full story of the costs would be told at the inquiry.", False),
    ("Opponents said they would read the report before deciding. " * 8, False),
])
def test_frame_paragraphs(paragraph: str, frame: bool) -> None:
    assert is_frame(paragraph) is frame


def test_a_cut_copy_lacks_the_story_words_the_original_tells() -> None:
    original = StoryText(TRAM)
    cut = StoryText(("Editor's note: this story has been updated.", *TRAM[:4],
                     "Read the full story at the Valley Wire."))
    assert unique_story_words(original, cut) == sum(len(p.split()) for p in TRAM[4:])
    # The note and the teaser are frame, not story.
    assert unique_story_words(cut, original) == 0
    assert unique_frames(cut, original) == 2 and unique_frames(original, cut) == 0


def test_light_edits_and_reordering_still_cover_a_paragraph() -> None:
    edited = list(TRAM)
    edited[1] = edited[1].replace("almost six hours", "nearly six hours").replace("31", "thirty-one")
    edited[2], edited[3] = edited[3], edited[2]
    assert unique_story_words(StoryText(edited), StoryText(TRAM)) == 0
    assert unique_story_words(StoryText(TRAM), StoryText(edited)) == 0


def test_a_title_wrapped_in_a_kicker_or_an_outlet_name_is_frame() -> None:
    plain = StoryText(TRAM, title="Council approves northern tram line")
    kicker = StoryText(TRAM, title="ANALYSIS: Council approves northern tram line")
    outlet = StoryText(TRAM, title="Council approves northern tram line | City Desk")
    assert unique_frames(kicker, plain) == 1 and unique_frames(plain, kicker) == 0
    assert unique_frames(outlet, plain) == 1
    assert unique_frames(kicker, outlet) == 0  # neither wraps the other
    assert unique_frames(StoryText(TRAM, templated=2), plain) == 2


def _member(story: StoryText, article_id: int, published: datetime | None = None) -> Candidate:
    return election_key(credited=False, wire=False, published_at=published,
                        first_seen_at=DAY + timedelta(minutes=article_id), priority=0,
                        article_id=article_id, story=story)


def test_an_undated_original_leads_a_dated_copy_that_cut_it() -> None:
    copy = _member(StoryText(("Published 7 June 2025", *TRAM[:5])), 1, DAY)
    original = _member(StoryText(TRAM), 2)
    leads, index = decide(original, copy)
    assert leads and REASONS[index] == "fullest"


def test_an_undated_original_leads_a_dated_copy_that_framed_it() -> None:
    copy = _member(StoryText(("Editor's note: this story has been updated.", *TRAM),
                             title="UPDATE 1-Council approves northern tram line"), 1, DAY)
    original = _member(StoryText(TRAM, title="Council approves northern tram line"), 2)
    leads, index = decide(original, copy)
    assert leads and REASONS[index] == "framing"


def test_two_dated_members_are_decided_by_their_dates_first() -> None:
    earlier = _member(StoryText(TRAM[:5]), 2, DAY)
    later = _member(StoryText(TRAM), 1, DAY + timedelta(hours=2))
    leads, index = decide(earlier, later)
    assert leads and REASONS[index] == "published"


def test_a_few_words_more_are_not_a_fuller_story() -> None:
    """A short unrecognised line (a dateline, a byline) does not make a member fuller."""
    bylined = _member(StoryText(("By Anna Marsh, transport correspondent in Harbourside", *TRAM)), 1)
    plain = _member(StoryText(TRAM), 2)
    leads, index = decide(bylined, plain)
    assert leads and REASONS[index] == "first_seen"
