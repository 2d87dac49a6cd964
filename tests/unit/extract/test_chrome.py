"""Line rules: the chrome the old scraper let through is caught; prose that mentions the
same words is not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.pipeline.extract.chrome import (
    ERROR_NOTICE,
    LINE_RULES,
    chrome_rule,
    is_related_heading,
    top_level_alternatives,
)

# Every line below is written for these tests (no dev-set page or seed is quoted): one
# example per kind of chrome the rules name, in the languages they cover.
CHROME = {
    "legal disclaimer": "Legal Disclaimer:",
    "external content placeholder": "Hier sehen Sie einen externen Inhalt, den unsere Redaktion ausgewählt hat. Mit einem Klick zeigen Sie ihn an.",
    "follow, informal German": "Folgst du schon dem Inselblatt auf Instagram?",
    "as-is disclaimer": "The publisher provides this release \u201cas is\u201d without warranty of any kind.",
    "most popular": "Most popular stories",
    "no comment": "Comments",
    "membership banner": "12,500 readers are part of the Harbour Herald community \u2014 thank you.",
    "reading time": "4 min read",
    "icon names": "icon share-bicon shareicon mailicon printicon chevron upicon",
    "comment appeal": "Dear readers! Please keep the discussion below civil and on topic.",
    "podcast timer": "0:00",
    "podcast length": "31:07",
    "patron": "Become a Patron!",
    "read more": "Read more: Harbour ferry returns after winter repairs",
    "newsletter": "Get the morning headlines from harbourherald.example in your inbox.",
    "german newsletter": "Der Hafen-Newsletter informiert Sie jeden Morgen über die Stadt.",
    "consent placeholder": "Externer Inhalt nicht verfügbar",
    "share": "Share",
    "copy link": "Copy link",
    "getty credit": "JANE ROE/AFP via Getty Images",
    "photo credit": "Foto: Agentur Beispiel",
    "dateline": "Stand: 03.03.2024, 09:15 Uhr",
    "byline": "Von Erika Beispiel",
    "author line": "Author: Jane Roe",
    "icon alone": "\u274c",
    "bullet alone": "\u2022",
    "paywall fr": "La suite de cet article est réservée aux abonnés.",
    "paywall es": "Este contenido es solo para suscriptores",
    "paywall ja": "この記事は会員限定です。",
    "paywall de trial": "Jetzt 4 Wochen kostenlos testen",
    "paywall price": "Read everything for just $2 a month.",
    "copyright": "© Agentur Beispiel 2024",
    "error notice": "Error! We're sorry, but the page you were looking for doesn't exist.",
    "story continues": "Advertisement Story continues below",
    "follow": "Follow @HarbourHerald on Twitter and Facebook for the latest news.",
    "french dateline": "3 mars 2024 à 09:15",
    "english dateline": "12 Feb, 2024 08:40",
    "us dateline": "March 3, 2024 9:15 AM",
    "german dateline": "Sonntag, 3. März 2024, 09:15 Uhr",
    "byline with date": "by Jane Roe March 3, 2024 9:15 AM 4 min read",
    "tag line": "Local News, City Council, Budget, Schools, Transport, Harbour, Weather, Elections",
    "feed reader view": "Vue normale",
    "feed reader stream": "À partir d’avant-hierFlux principal",
    "feed reader feed name": "• ✇Harbour Herald",
    "error exclamation": "Sorry!!",
    "nav label": "Podcasts",
    "illustrative caption": "Archive photo: fishing boats in the harbour at dawn, before the storm reached the coast (Jane Roe / Agency)",
    "long appeal": "Our newsroom is small, and it relies on the support of readers like you. "
                   + "We keep our reporting open and accessible to everyone. " * 14,
    "consent cookies": "We use cookies to improve your experience on this site.",
    "paywall flag": "showPaywall:",
    "affiliate": "This article contains affiliate links: we may earn a commission.",
    "contributors": "Associated Press writer Jane Roe in Oslo contributed to this report.",
    "reporting and editing": "Reporting by Jane Roe in Oslo; Editing by John Doe",
    "additional reporting": "– additional reporting by John Doe",
    "with files": "With files from The Canadian Press",
    "agency line de": "mit dpa",
    "tip line": "Seen the ferry fire? Get in touch at tips@harbourherald.example",
    "story tip": "Do you have a story to tell? Email our newsroom.",
    "app promo": "CLICK HERE TO GET THE HARBOUR HERALD APP",
    "app promo de": "Schneller informiert? Hier geht es zur neuen Hafen-App für Android und iOS.",
    "newsletter signing up": "Get more harbour stories by signing up to our free weekly newsletter",
    "german newsletter compound": "Sie wollen den Tag im Überblick? Dann ist der Abend-Newsletter das Richtige.",
    "click here": "Click here to read the full ruling.",
    "video teaser": "Der Hafen bleibt nach dem Sturm gesperrt, die Fähren fahren ab Montag wieder. 03.03.2024 | 2:45 min",
    "appeal button": "Unabhängige Berichte aus der Region kosten Geld. Machen Sie mit? Jetzt unterstützen",
    "trial terms": "Lesen Sie vier Wochen lang kostenlos. Das Angebot endet automatisch.",
    "sign-in wall": "Log in or create an account to continue",
    "developing story": "This is a developing story and will be updated.",
    "swedish dateline": "Uppdaterad 10.05 | Publicerad 08.12",
    "clock first dateline": "09:15 JST, March 3, 2024",
    "author box": "Ihre Artikel finden Sie hier.",
}

PROSE = {
    # Provenance, kept for dedup's election of the original (pipeline/dedup/origin.py).
    "attribution": "This report first appeared in the Harbour Herald and is shared with its permission.",
    "by comparison": "By comparison, the mayor, who served two terms, often took a more cautious line on spending.",
    "von den": "Von den 40 Booten im Hafen waren gut 30 noch vor dem Sturm wieder an Land gezogen worden.",
    "support in prose": "The union said it would support the workers and their journalism students in the dispute over pay, which has lasted since March and left hundreds of ships waiting.",
    "cookies in prose": "The bakery sold more than 3,000 cookies at the festival, and the owner said the queue never got shorter all weekend.",
    "share prices": "Shares in the company fell 3% after the announcement.",
    "subheading": "Backlog will take weeks to clear",
    "quote with time": "“We left at 6:30 and were back by nine,” she said.",
    "author in prose": "Author Margaret Atwood said the prize would go to young writers from the region.",
    "figures only": "2024",
    "date in a sentence": "By the end of talks on March 3, 2024 both sides agreed to reopen the bridge.",
    "born on": "He was born on 7 June 1990 in the old town.",
    "sorry in prose": "Sorry, we were late.",
    "videos in prose": "Videos show the flood.",
    "list in a sentence": "Delegations came from Poland, Germany, France, Italy, Spain and the Baltic states.",
    "list of names and": "Present were Kim, Lee, Park, Choi, Jung, Kang, and Cho",
    "coffee in prose": "The café sells a cup of coffee for three euros, and the queue reaches the corner.",
    "readers in prose": "The library said readers like you borrowed twice as many books this winter.",
    "as is in prose": "The council will leave the old pier as it is until the survey is done.",
    "reporting in prose": "Reporting by the local paper showed the council knew about the leak.",
    "first published in a year": "First published in 1954, the novel sold a million copies.",
    "first published in a month": "Originally published in March 2022, the guide was revised this winter.",
    "donate in prose": "The mayor asked residents to donate.",
    "follow in German prose": "Folgst du dem Fluss, kommst du zur Mühle.",
    "download in prose": "Users had to download the app before the ferry company stopped selling paper tickets on board.",
}


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
