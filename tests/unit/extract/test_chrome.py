"""Line rules: the chrome the old scraper let through is caught; prose that mentions the
same words is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.chrome import (
    ERROR_NOTICE,
    LINE_RULES,
    chrome_rule,
    is_related_heading,
    top_level_alternatives,
)

CHROME = {
    # seeds/000, seeds/001, seeds/002, seeds/003 and what the dev pages leak
    "legal disclaimer": "Legal Disclaimer:",
    "as-is disclaimer": "MENAFN provides the information “as is” without warranty of any kind.",
    "most popular": "Most popular stories",
    "no comment": "Comments",
    "membership banner": "20,000 people chose to be part of the Kyiv Independent community — thank you.",
    "reading time": "3 min read",
    "icon names": "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon",
    "comment appeal": "Dear readers! Thank you for your vibrant engagement with our content.",
    "podcast timer": "0:00",
    "podcast length": "24:55",
    "patron": "Become a Patron!",
    "read more": "Read more: Plymouth protests erupt in violence",
    "newsletter": "Get the latest news from thewest.com.au in your inbox.",
    "german newsletter": '"Hier ist Bayern": Der BR24 Newsletter informiert Sie immer montags bis freitags.',
    "consent placeholder": "Externer Inhalt nicht verfügbar",
    "share": "Share",
    "copy link": "Copy link",
    "getty credit": "STR/AFP via Getty Images",
    "photo credit": "Foto: NTB",
    "dateline": "Stand: 22.04.2024, 06:00 Uhr",
    "byline": "Von Nina Magoley",
    "author line": "Author: Daria Shulzhenko",
    "icon alone": "\u274c",
    "bullet alone": "\u2022",
    "paywall fr": "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
    "paywall es": "Esta funcionalidad es sólo para suscriptores",
    "paywall ja": "この記事は会員限定です。",
    "copyright": "© dpa-infocom, dpa:240516-99-53606/3 (dpa)",
    "error notice": "Error! We're sorry, but the page you were looking for doesn't exist.",
    "story continues": "Advertisement 1Story continues below",
    "follow": "Follow Metro.co.uk on Twitter and Facebook for the latest news updates.",
    # seeds/001, 002, 003: what the old scraper kept around the story
    "french dateline": "4 juin 2025 à 14:58",
    "english dateline": "10 Jun, 2025 19:34",
    "us dateline": "June 7, 2025 6:17 PM",
    "german dateline": "Montag, 7. Juni 2025, 14:58 Uhr",
    "byline with date": "by Daria Shulzhenko June 7, 2025 6:17 PM 3 min read",
    "tag line": "News Feed, Ukrainian POWs, Prisoner exchange, Russia, Ukraine, War, Peace Talks, Turkey, fallen soldiers",
    "feed reader view": "Vue normale",
    "feed reader stream": "À partir d’avant-hierFlux principal",
    "feed reader feed name": "• ✇Euromaidan Press",
    "error exclamation": "Sorry!!",
    "nav label": "Podcasts",
    "illustrative caption": "Illustrative image: Ukrainian prisoners of war (POWs) were released from captivity "
                            "in a prisoner exchange with Russia on May 23, 2025. (President Volodymyr Zelensky / Telegram)",
    "long appeal": "You could close this page. Or you could join our community and help us produce more "
                   "materials like this. " + "We keep our reporting open and accessible to everyone. " * 12,
}

PROSE = {
    "by comparison": "By comparison, Haniyeh, who ruled in exile from Qatar, often took a more moderate stance.",
    "von den": "Von den 116 Verletzten waren gut 80 noch mit teils lebensbedrohlichen Verletzungen im Krankenhaus.",
    "support in prose": "The union said it would support the workers and their journalism students in the dispute over pay, which has lasted since March and left hundreds of ships waiting.",
    "cookies in prose": "The bakery sold more than 3,000 cookies at the festival, and the owner said the queue never got shorter all weekend.",
    "share prices": "Shares in the company fell 3% after the announcement.",
    "subheading": "Backlog will take weeks to clear",
    "quote with time": "“We left at 6:30 and were back by nine,” she said.",
    "author in prose": "Author Margaret Atwood said the prize would go to young writers from the region.",
    "figures only": "2024",
    "date in a sentence": "By the end of talks on June 7, 2025 both sides agreed to swap more prisoners.",
    "born on": "He was born on 7 June 1990 in Kyiv.",
    "sorry in prose": "Sorry, we were late.",
    "videos in prose": "Videos show the strike.",
    "list in a sentence": "Delegations came from Poland, Germany, France, Italy, Spain and the Baltic states.",
    "list of names and": "Present were Kim, Lee, Park, Choi, Jung, Kang, and Cho",
    "coffee in prose": "The café sells a cup of coffee for three euros, and the queue reaches the corner.",
}


@pytest.mark.parametrize("text", CHROME.values(), ids=CHROME.keys())
def test_chrome_lines_are_caught(text: str) -> None:
    assert chrome_rule(text) is not None


@pytest.mark.parametrize("text", PROSE.values(), ids=PROSE.keys())
def test_prose_is_kept(text: str) -> None:
    assert chrome_rule(text) is None


@pytest.mark.parametrize("text", ["Related", "Mehr zum Thema", "Lesen Sie auch:", "Читайте также", "Read more"])
def test_teaser_block_headings(text: str) -> None:
    assert is_related_heading(text)


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

