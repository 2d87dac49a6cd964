"""The safety net: our pass doubted on measured signals, and replaced only by a candidate
that agrees with it and holds more of the story."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.core.config import ExtractConfig, SelectorsConfig
from newsdedup.core.records import Article, FetchedPage, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.body import BodyExtractor, _long_text_chars, _xml_blocks
from newsdedup.pipeline.extract.parse import HtmlParser
from newsdedup.pipeline.extract.safety import AGREEMENT, containment, doubt, prefer_candidate

SENTENCES = [
    "The river rose by two metres overnight and the bridge on the old road was closed at dawn.",
    "Farmers in the valley moved their cattle to higher ground before the water reached the fields.",
    "The mayor said the town had learned from the floods of the last decade and was better prepared.",
    "Volunteers filled sandbags in the market square while the fire brigade pumped out cellars.",
    "Schools stayed open, but buses took a longer route around the flooded part of the valley.",
    "Engineers will inspect the bridge once the water falls, which may take until the weekend.",
    "The regional government promised help for families whose houses were damaged by the water.",
    "Insurance companies opened an office in the town hall to take claims from shop owners.",
]


def _page(title: str, main: str, *, links: int, label: str = "Section number {i} of the site") -> str:
    """A page: a menu of ``links`` links, then ``main`` under its ``<h1>`` title."""
    menu = "".join(f"<li><a href='/s{i}'>{label.format(i=i)}</a></li>" for i in range(links))
    return (
        f"<html><head><title>{title}</title></head><body><nav><ul>{menu}</ul></nav>"
        f"<main><h1>{title}</h1>{main}</main></body></html>"
    )


def _review_page() -> str:
    """A story whose sections each sit in a box whose class names chrome ("rating"): the
    pruning removes every one of them, and with them most of the page's prose."""
    sections = "".join(
        f"<div class='section-rating'><h2>Part {i}</h2><p>{SENTENCES[i]} {SENTENCES[i + 1]}</p>"
        f"<p>{SENTENCES[(i + 2) % 8]} {SENTENCES[(i + 3) % 8]}</p></div>"
        for i in range(0, 6, 2)
    )
    return _page(
        "Flood in the valley", f"<p>{SENTENCES[7]} {SENTENCES[6]}</p>{sections}", links=12, label="Section {i}",
    )


def _body_text(html: str, *, net: bool) -> str:
    parser = HtmlParser()
    tree = parser.parse(html)
    assert tree is not None
    result = BodyExtractor().extract(
        tree, title="Flood in the valley", lead=None, selectors=SelectorsConfig(),
        fresh=(lambda: parser.parse(html)) if net else None,
    )
    return "\n".join(text for _, text in result.blocks)


def test_the_net_recovers_a_story_that_pruning_took() -> None:
    without = _body_text(_review_page(), net=False)
    recovered = _body_text(_review_page(), net=True)
    # Without the net, the pruned boxes' paragraphs are gone; with it, every one is back.
    assert SENTENCES[0] not in without
    for sentence in SENTENCES[:6]:
        assert sentence in recovered
    assert len(recovered) > 2 * len(without)


def _extract(url: str, html: str) -> tuple[Article | Rejection, Extractor]:
    """The extractor's result for ``html`` fetched from ``url``, and the extractor (its stats)."""
    extractor = Extractor(ExtractConfig())
    page = FetchedPage(
        source="test", url=url, final_url=url, status=200, headers={"content-type": "text/html; charset=utf-8"},
        body=html.encode(), fetched_at=datetime.now(UTC),
    )
    return extractor.extract(page), extractor


def test_the_extractor_counts_doubted_pages_and_replacements() -> None:
    result, extractor = _extract("https://example.org/news/flood", _review_page())
    assert isinstance(result, Article)
    assert SENTENCES[2] in result.text
    assert extractor.stats["extract/safety/doubted"] == 1
    assert extractor.stats["extract/body/second_opinion"] == 1


def test_a_longer_candidate_telling_another_story_does_not_replace_ours() -> None:
    ours = " ".join(SENTENCES[:2])
    teasers = " ".join(f"Read the story number {i} about the elections in the north" for i in range(30))
    assert containment(ours, teasers) < AGREEMENT
    assert prefer_candidate(ours, teasers, prose_before=1000, prose_after=1000, candidate_link_share=0.0) is None


def test_a_candidate_made_of_link_text_never_replaces_ours() -> None:
    ours = SENTENCES[0]
    longer = " ".join(SENTENCES)
    assert prefer_candidate(ours, longer, prose_before=1000, prose_after=1000, candidate_link_share=0.0) is not None
    assert prefer_candidate(ours, longer, prose_before=1000, prose_after=1000, candidate_link_share=0.9) is None


def test_a_body_holding_the_page_prose_is_not_doubted() -> None:
    assert doubt(body_chars=950, prose_before=1000, prose_after=1000) is None
    assert doubt(body_chars=300, prose_before=1000, prose_after=1000) == "low text share"
    assert doubt(body_chars=950, prose_before=1000, prose_after=400) == "pruning removed prose"
    # A page without prose paragraphs or long text runs gives the net nothing to measure against.
    assert doubt(body_chars=10, prose_before=0, prose_after=0) is None
    assert doubt(body_chars=10, prose_before=0, prose_after=0, long_text=0) is None


def test_a_body_with_little_of_the_long_text_of_a_page_without_paragraphs_is_doubted() -> None:
    # The story set in <div>s and <br>s: no <p> prose to count, but long text runs.
    assert doubt(body_chars=300, prose_before=0, prose_after=0, long_text=1000) == "low share of long text"
    assert doubt(body_chars=600, prose_before=0, prose_after=0, long_text=1000) is None
    # The prose signals keep their precedence where the page has paragraphs...
    assert doubt(body_chars=300, prose_before=1000, prose_after=1000, long_text=1000) == "low text share"
    # ...and judge alone where most of its long text is paragraphs.
    assert doubt(body_chars=900, prose_before=1000, prose_after=1000, long_text=1900) is None
    assert doubt(body_chars=900, prose_before=500, prose_after=500, long_text=2400) == "low share of long text"


def test_long_text_runs_are_counted_in_any_tag_but_scripts_and_styles() -> None:
    run = SENTENCES[0]
    page = HtmlParser().parse(
        "<html><head><title>Flood</title><style>p { color: red; } /* a rule long enough to be a run of text */</style>"
        f"</head><body><div>{run}<br>{SENTENCES[1]}</div><span>Short line.</span>"
        f"<script>var story = 'a script long enough to be a run of text if it were counted';</script>"
        f"<p><a href='/x'>link</a> {SENTENCES[2]}</p></body></html>"
    )
    assert page is not None
    assert _long_text_chars(page) == len(run) + len(SENTENCES[1]) + len(SENTENCES[2])


def test_text_after_a_heading_without_its_own_paragraph_is_kept() -> None:
    body: HtmlElement = etree.fromstring("<body>Opening words.<p>First.</p><head>Part two</head>Loose text.<p>Last.</p></body>")
    assert _xml_blocks(body) == [
        ("text", "Opening words."), ("text", "First."), ("heading", "Part two"), ("text", "Loose text."), ("text", "Last."),
    ]


def test_blocks_nested_in_an_item_are_words_apart_and_inline_markup_is_not() -> None:
    body: HtmlElement = etree.fromstring(
        "<body><list><item><head>Step one</head><p>Cut the tube.</p>Then<th>Weight</th><td>2 kg</td></item></list>"
        "<p>An un<hi>believ</hi>able <ref>result</ref>.</p></body>"
    )
    assert _xml_blocks(body) == [("item", "Step one Cut the tube. Then Weight 2 kg"), ("text", "An unbelievable result.")]


TRANSCRIPT = [
    f"Clause {n}: the council shall publish its budget for the {word} district before the spring session opens."
    for n, word in enumerate(("northern", "southern", "eastern", "western", "central", "harbour", "market"))
]


def _story_with_a_fact_box(box_class: str) -> str:
    """A short report beside a fact box holding a longer transcript: the box has most of the
    page's prose, but under the pruning's size guard (a long menu makes up the page)."""
    box = "".join(f"<p>{line}</p>" for line in TRANSCRIPT)
    return _page(
        "Flood in the valley",
        f"<p>{SENTENCES[0]} {SENTENCES[1]}</p><div class='{box_class}'>{box}</div>"
        f"<p>{SENTENCES[2]} {SENTENCES[3]}</p><p>{SENTENCES[4]}</p>",
        links=60,
    )


def test_the_prose_of_a_fact_box_is_not_prose_the_body_lacks() -> None:
    # Pruned as a fact box, the transcript does not make the net doubt the report and take
    # the unpruned page back.
    body = _body_text(_story_with_a_fact_box("story-factbox"), net=True)
    assert SENTENCES[0] in body and SENTENCES[4] in body
    assert "Clause 3" not in body
    # A box pruned under any other chrome name still counts: the net takes the page back.
    assert "Clause 3" in _body_text(_story_with_a_fact_box("story-rating"), net=True)


TEASERS = [
    "The harbour authority opened a new ferry line between the islands and the mainland this spring",
    "A bakery in the old town won the regional prize for its rye bread for the third year running",
    "Students built a weather station on the school roof and now publish their readings every morning",
    "The museum will lend three paintings to a gallery abroad while its west wing is being repaired",
]


def _story_above_a_teaser_grid() -> str:
    """A story our pass finds whole, then a grid of teasers of other posts (``<article>``s
    headed by links, each with its excerpt) making up a fifth of the page's prose and
    twice the story's length, under the pruning's size guard (a long menu makes up the page)."""
    grid = "".join(
        f"<article class='post'><h3><a href='/posts/{i}'>Other post number {i}</a></h3>"
        f"<p>{teaser}. {teaser.replace('the', 'a')}. {TEASERS[(i + 1) % 4]}.</p></article>"
        for i, teaser in enumerate(TEASERS * 2)
    )
    return _page(
        "Flood in the valley",
        f"<p>{SENTENCES[0]} {SENTENCES[1]}</p><p>{SENTENCES[2]} {SENTENCES[3]}</p><div class='more-posts'>{grid}</div>",
        links=200,
    )


def test_the_net_candidate_is_spared_the_teasers_of_other_posts() -> None:
    page = _story_above_a_teaser_grid()
    ours = _body_text(page, net=False)
    assert SENTENCES[0] in ours and TEASERS[0] not in ours
    # The story is doubted (the teasers are prose it lacks), but the unpruned candidate
    # is made without the teaser grid, so it brings no other post's excerpt back.
    body = _body_text(page, net=True)
    assert SENTENCES[3] in body
    for teaser in TEASERS:
        assert teaser not in body


def _section_page_with_boxed_prose() -> str:
    """A section page: teaser cards (each a headline link and a paragraph) and no prose of
    its own, but boxes of prose whose class names chrome ("rating"): our pass prunes them
    (a long menu makes up the page), and the net's unpruned candidate takes them back."""
    cards = "".join(
        f"<div class='card'><h2><a href='/news/story-{i}'>{teaser.split(' the ')[0]}</a></h2>"
        f"<p>{teaser}, our reporter writes.</p></div>"
        for i, teaser in enumerate(TEASERS)
    )
    boxes = "".join(
        f"<div class='box-rating'><p>{SENTENCES[i]} {SENTENCES[i + 1]} {SENTENCES[i + 2]}</p>"
        f"<p>{SENTENCES[i + 3]} {SENTENCES[(i + 4) % 8]} {SENTENCES[(i + 5) % 8]}</p></div>"
        for i in range(0, 4, 2)
    )
    return _page("Local news", f"<div class='cards'>{cards}</div>{boxes}", links=60)


def test_a_page_is_judged_on_our_pass_body_as_well_when_the_net_replaced_it() -> None:
    result, extractor = _extract("https://example.org/local", _section_page_with_boxed_prose())
    # The candidate holds the boxes' prose, which reads as the page's own (judged on it
    # alone, the page is kept as an article); our pass held the cards alone, which the
    # page-kind rules call a listing, whichever body is kept.
    assert extractor.stats["extract/body/second_opinion"] == 1
    assert isinstance(result, Rejection), result
    assert result.reason == "not_article"
    assert "our pass's body" in result.detail
