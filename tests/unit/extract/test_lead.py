"""The lead (standfirst) a page shows under its headline: how it is found, and where it goes."""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from newsdedup.core.config import SelectorsConfig
from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.body import BodyExtractor, _with_lead, clean_blocks
from newsdedup.pipeline.extract.lead import find_lead
from newsdedup.pipeline.extract.parse import HtmlParser

STORY = [
    "The ferry between the two islands will run every hour from May, the harbour board said on Monday.",
    "Until now the boat left every two hours, and the last crossing was at eight in the evening.",
    "Islanders had asked for later crossings for years, mostly for pupils at the college on the mainland.",
    "The board will hire six more crew and lease a second boat for the summer months.",
]
SENTENCES = [
    "The island ferry runs every hour from May.",
    "Six more crew will be hired for the summer.",
    "Pupils get a late crossing after their classes.",
]


def _tree(html: str) -> HtmlElement:
    tree = HtmlParser().parse(html)
    assert tree is not None
    return tree


def _page(header: str, description: str = "") -> str:
    head = f'<meta name="description" content="{description}">' if description else ""
    story = "".join(f"<p>{text}</p>" for text in STORY)
    return (
        f"<html><head><title>Hourly ferry</title>{head}</head><body><article>"
        f"<header><h1>Hourly ferry from May</h1>{header}</header>"
        f"<div class='story'>{story}</div></article></body></html>"
    )


def test_a_lead_class_glued_in_camel_case_is_read() -> None:
    header = f"<div class='Story_elementLead__x1Y2'><p>{' '.join(SENTENCES)}</p></div>"
    assert find_lead(_tree(_page(header)), [], "Hourly ferry") == " ".join(SENTENCES)


def test_a_lead_set_as_sibling_paragraphs_is_read_whole() -> None:
    header = "".join(f"<p class='_lead_a1b2 bold'>{text}</p>" for text in SENTENCES) + "<p>By Ann Example</p>"
    assert find_lead(_tree(_page(header)), [], "Hourly ferry") == " ".join(SENTENCES)


def test_a_summary_box_of_short_paragraphs_matching_the_description_is_the_lead() -> None:
    header = "<div class='preface'>" + "".join(f"<p>{text}</p>" for text in SENTENCES) + "</div>"
    lead = find_lead(_tree(_page(header, description=" ".join(SENTENCES))), [" ".join(SENTENCES)], "Hourly ferry")
    assert lead == " ".join(SENTENCES)


def test_a_box_of_body_paragraphs_holding_a_long_description_is_no_lead() -> None:
    # A description that copies the whole story (over a lead's size) finds the story's box.
    paragraphs = [f"{text} ({round_})" for round_ in range(4) for text in STORY]
    description = " ".join(paragraphs)
    html = _page("").replace(
        "".join(f"<p>{text}</p>" for text in STORY), "".join(f"<p>{text}</p>" for text in paragraphs)
    )
    assert find_lead(_tree(html), [description], "Hourly ferry") is None


def test_a_carousel_caption_is_no_lead() -> None:
    header = (
        "<div class='Slides'><span class='SlideShow-infoDescription'>"
        "<p>Passengers board the morning ferry at the north pier. (Photo by the harbour board)</p></span></div>"
    )
    assert find_lead(_tree(_page(header)), [], "Hourly ferry") is None


def test_the_description_of_a_newsletter_box_is_no_lead() -> None:
    # A sign-up box right under the headline describes itself in a "description" element.
    box = (
        "<div class='newsletter-signup'><div class='form_heading'><h3>Newsletter</h3>"
        "<p class='form_description'>The island's news and ferry times in your inbox every morning.</p>"
        "</div><form><input name='email'></form></div>"
    )
    assert find_lead(_tree(_page(box)), [], "Hourly ferry") is None
    # The same element in a box of no such name reads as the lead.
    plain = box.replace("newsletter-signup", "box-x1")
    assert find_lead(_tree(_page(plain)), [], "Hourly ferry") == (
        "The island's news and ferry times in your inbox every morning."
    )


def test_a_lead_the_body_holds_over_several_paragraphs_is_not_repeated() -> None:
    blocks: list[Block] = [("text", text) for text in SENTENCES] + [("text", STORY[0])]
    assert _with_lead(blocks, " ".join(SENTENCES)) == blocks


def test_the_headline_displayed_above_the_lead_is_dropped() -> None:
    lead = "The island ferry runs every hour from May, with later crossings for pupils."
    header = (
        "<h2><span>Island transport</span><span class='visually-hidden'>: </span>Hourly ferry from May</h2>"
        f"<p class='standfirst'>{lead}</p>"
    )
    html = _page(header).replace("<h1>Hourly ferry from May</h1>", "<h1 class='seo'>Ferry every hour</h1>")
    result = BodyExtractor().extract(_tree(html), title="Ferry every hour", lead=lead, selectors=SelectorsConfig())
    assert result.blocks[0] == ("lead", lead)
    assert [kind for kind, _ in result.blocks].count("heading") == 0
    assert result.dropped["title"] >= 1


def test_a_sub_heading_below_the_lead_stays() -> None:
    blocks: list[Block] = [("heading", "Display headline"), ("text", SENTENCES[0]), ("heading", "Crews"), ("text", STORY[0])]
    dropped: Counter[str] = Counter()
    assert _with_lead(clean_blocks(blocks, None, dropped, lead=SENTENCES[0]), SENTENCES[0]) == [
        ("lead", SENTENCES[0]), ("heading", "Crews"), ("text", STORY[0])
    ]
    assert dropped["title"] == 1


def test_a_site_tagline_under_a_site_title_in_an_h1_is_no_lead() -> None:
    # A blog theme sets the site's name in an <h1> and its tagline right under it; the
    # post's own headline comes later.
    tagline = "Notes on island life, ferries and the weather, written from the harbour."
    for names in ("class='site-description'", "id='site-description'", "class='blog-tagline'"):
        html = _page("").replace(
            "<body><article>", f"<body><header><h1>Island Notes</h1><p {names}>{tagline}</p></header><article>",
        )
        assert find_lead(_tree(html), [], "Hourly ferry") is None, names
    # The same line in a box of no such name, under the headline, reads as the lead.
    assert find_lead(_tree(_page(f"<p class='intro'>{tagline}</p>")), [], "Hourly ferry") == tagline
