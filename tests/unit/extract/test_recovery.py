"""Rejections that yield to article evidence (issue 9): a body too short to keep is
recovered from the page's independent candidates, and the listing hints of the URL and of
JSON-LD ``ItemList`` give way to a page that is one story. Listings stay rejected."""

from __future__ import annotations

import json

import pytest
from extract_helpers import PageFactory, html_page

from newsdedup.core.config import ExtractConfig, SelectorsConfig, SourceConfig
from newsdedup.core.records import Article, FetchedPage, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.safety import recovers

STORY = [
    "The ferry between the two islands will stop running for six weeks in the spring while "
    "the old pier is rebuilt, the harbour board said, and a bus and boat service will replace it.",
    "Shop owners on the smaller island said the closure would cost them the start of the season, "
    "when visitors from the mainland usually fill the cafes and the market along the quay.",
    "The board said the pier had been patched for a decade and could no longer carry the weight "
    "of the new ferries, which are longer and heavier than the boats they replaced last year.",
    "Work will start after the Easter holidays and the contractor has promised to finish before "
    "the summer timetable begins, with penalties written into the contract for every day late.",
]
TITLE = "Island ferry to stop for six weeks"


def prose(paragraphs: int = 4) -> str:
    """Paragraphs of 40+ words each: the story twice over, paragraph by paragraph."""
    return "".join(f"<p>{text} {text}</p>" for text in STORY[:paragraphs])


def extract(page: FetchedPage, sources: dict[str, SourceConfig] | None = None) -> Article | Rejection:
    return Extractor(ExtractConfig(), sources).extract(page)


# --- too short, recovered ---------------------------------------------------------------

def placeholder_page(head: str = "", story: str | None = None) -> str:
    """A page whose configured body box is an empty placeholder (the site moved the story
    out of it in a redesign); the story sits elsewhere on the page."""
    story = prose() if story is None else story
    return html_page(
        f"<h1>{TITLE}</h1><div class='story-body'><span>Loading…</span></div><article>{story}</article>",
        f"<title>{TITLE}</title>{head}",
    )


def moved_source() -> dict[str, SourceConfig]:
    return {"herald": SourceConfig(name="herald", start_urls=("https://www.herald.example/",),
                                   selectors=SelectorsConfig(body=".story-body"))}


def test_a_body_emptied_by_the_pass_is_recovered_from_the_page(make_page: PageFactory) -> None:
    extractor = Extractor(ExtractConfig(), moved_source())
    result = extractor.extract(make_page(placeholder_page()))
    assert isinstance(result, Article), result
    assert STORY[2] in result.text
    assert extractor.stats["extract/safety/recovered"] == 1


def test_without_the_story_on_the_page_the_body_is_still_too_short(make_page: PageFactory) -> None:
    result = extract(make_page(placeholder_page(story="<p>Subscribe to read the rest.</p>")), moved_source())
    assert isinstance(result, Rejection)
    assert result.reason == "too_short"


def test_a_body_only_in_json_ld_is_recovered(make_page: PageFactory) -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
            "datePublished": "2025-03-01T10:00:00Z", "articleBody": "\n".join(f"{t} {t}" for t in STORY)}
    head = f"<script type='application/ld+json'>{json.dumps(data)}</script>"
    result = extract(make_page(placeholder_page(head, story="")), moved_source())
    assert isinstance(result, Article), result
    assert STORY[3] in result.text


def test_recovery_needs_a_full_body_of_prose_that_is_not_link_text() -> None:
    full = [f"{text} {text}" for text in STORY]
    assert recovers(0, full, min_words=40, link_share=0.1) is not None
    # A page of short lines (a shop's grid, a listing's teasers): nothing to recover.
    assert recovers(0, [text[:70] for text in STORY * 3], min_words=40, link_share=0.1) is None
    # One paragraph of prose and a few lines (a documentation page's introduction).
    assert recovers(30, [*full[:1], "Next", "Previous", "Submit a correction"], min_words=40, link_share=0.1) is None
    # Mostly the page's link text (a menu dump).
    assert recovers(0, full, min_words=40, link_share=0.8) is None
    # Not much longer than ours.
    assert recovers(200, full, min_words=40, link_share=0.1) is None


def test_a_recovered_listing_is_still_a_listing(make_page: PageFactory) -> None:
    # A section page whose teasers each carry a paragraph: recovered or not, the rules see
    # a list of headline links.
    teasers = "".join(
        f"<div class='card'><h2><a href='/news/story-{i}'>Headline of story number {i} on the coast</a></h2>"
        f"<p>{STORY[i % 4]}</p></div>"
        for i in range(12)
    )
    page = make_page(html_page(f"<h1>Coast</h1><div class='story-body'></div>{teasers}", "<title>Coast</title>"),
                     url="https://www.herald.example/coast")
    result = extract(page, moved_source())
    assert isinstance(result, Rejection)
    assert result.reason == "not_article"


# --- the listing hints yield to a story --------------------------------------------------

def guide(headline: str = TITLE, paragraphs: int = 4, head: str = "") -> str:
    """An undated, unsigned story without markup: a headline (the title) and prose."""
    return html_page(f"<main><h1>{headline}</h1>{prose(paragraphs)}</main>", f"<title>{TITLE} | Herald</title>{head}")


TOPIC_URL = "https://www.herald.example/topics/ferries"


def test_a_story_of_prose_under_a_topic_url_is_an_article(make_page: PageFactory) -> None:
    result = extract(make_page(guide(), url=TOPIC_URL))
    assert isinstance(result, Article), result
    assert len(result.paragraphs) == 4


@pytest.mark.parametrize(("headline", "paragraphs"), [("Ferries", 4), (TITLE, 2)])
def test_a_topic_url_without_its_headline_over_prose_is_a_listing(
    make_page: PageFactory, headline: str, paragraphs: int,
) -> None:
    # The headline is not the title (a topic page's name), or there is too little prose.
    result = extract(make_page(guide(headline, paragraphs), url=TOPIC_URL))
    assert isinstance(result, Rejection)
    assert result.detail.startswith("listing URL")


def item_list(*types: str) -> str:
    data = [{"@context": "https://schema.org", "@type": kind, "name": TITLE,
             "itemListElement": [{"@type": "ListItem", "position": 1, "url": "https://www.herald.example/a"}]}
            for kind in types]
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


STORY_HEAD = (
    "<meta property='og:type' content='article'>"
    "<meta property='article:published_time' content='2025-03-01T10:00:00Z'>"
)


def test_a_dated_story_that_lists_its_items_in_json_ld_is_an_article(make_page: PageFactory) -> None:
    page = make_page(guide(head=STORY_HEAD + item_list("ItemList")), url="https://www.herald.example/ferries-ranked")
    result = extract(page)
    assert isinstance(result, Article), result


@pytest.mark.parametrize(
    ("head", "kinds"),
    [
        (STORY_HEAD, ("CollectionPage", "ItemList")),  # a collection page, not a story
        ("", ("ItemList",)),  # no article markup, no date
    ],
)
def test_an_item_list_without_a_declared_story_is_a_listing(
    make_page: PageFactory, head: str, kinds: tuple[str, ...],
) -> None:
    page = make_page(guide(head=head + item_list(*kinds)), url="https://www.herald.example/ferries-ranked")
    result = extract(page)
    assert isinstance(result, Rejection)
    assert result.detail.startswith("JSON-LD declares")
