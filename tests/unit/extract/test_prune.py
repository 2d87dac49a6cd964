"""Chrome pruning: pictures and their captions go, tables, code and quotations set as a figure stay."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from newsdedup.core.config import SelectorsConfig
from newsdedup.pipeline.extract.body import BodyExtractor
from newsdedup.pipeline.extract.parse import HtmlParser
from newsdedup.pipeline.extract.prune import prune_chrome

STORY = "<p>The ferry timetable changes on Monday, with two more crossings on weekday mornings.</p>"


def _pruned(figure: str) -> HtmlElement:
    tree = HtmlParser().parse(f"<html><body><div class='story'>{STORY}{figure}{STORY}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    return tree


def test_a_picture_and_its_caption_are_pruned() -> None:
    tree = _pruned("<figure><img src='/ferry.jpg'><figcaption>The ferry at the pier (photo: archive)</figcaption></figure>")
    assert not tree.xpath("//figure | //figcaption | //img")


def test_a_table_set_as_a_figure_is_kept_without_its_caption() -> None:
    table = "<table><tr><td>Weekdays</td><td>6:10, 7:40, 9:15</td></tr><tr><td>Sundays</td><td>9:15</td></tr></table>"
    tree = _pruned(f"<figure class='table-block'>{table}<figcaption>Source: the ferry company</figcaption></figure>")
    assert "6:10, 7:40, 9:15" in tree.text_content()
    assert "Source: the ferry company" not in tree.text_content()


def test_a_code_listing_set_as_a_figure_is_kept() -> None:
    tree = _pruned("<figure><pre>make install PREFIX=/usr/local</pre><figcaption>Listing 1</figcaption></figure>")
    assert "make install PREFIX=/usr/local" in tree.text_content()


def _story_with(box: str) -> HtmlElement:
    story = STORY * 6
    tree = HtmlParser().parse(f"<html><body><div class='story'>{story}{box}{story}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    return tree


@pytest.mark.parametrize(
    ("attributes", "paragraphs", "after"),
    [
        # A class name is a weak signal: the box that holds the story is the story.
        ("class='infobox'", 8, "<p>Contact</p>"),
        # So is the label a screen reader reads.
        ("aria-label='Article with comments'", 8, "<p>Contact</p>"),
        # A wrapper that holds the trail and the story ("page has-breadcrumbs") is not a trail.
        ("class='with-breadcrumbs'", 6, "<p>Footer line of the page.</p>"),
    ],
)
def test_a_box_named_like_chrome_but_holding_most_of_the_page_is_kept(
    attributes: str, paragraphs: int, after: str,
) -> None:
    tree = HtmlParser().parse(f"<html><body><div {attributes}>{STORY * paragraphs}</div>{after}</body></html>")
    assert tree is not None
    prune_chrome(tree)
    assert "two more crossings" in tree.text_content()


def test_a_quotation_set_as_a_figure_reaches_the_body() -> None:
    # trafilatura discards every <figure> but those holding a table: the quotation is kept
    # as a <div>, its caption pruned.
    quote = (
        "<figure class='quote-block'><blockquote><p>We added the early crossings because the "
        "night shift at the hospital asked for them, and they fill up every single morning.</p>"
        "</blockquote><figcaption>The harbour master</figcaption></figure>"
    )
    html = f"<html><head><title>Ferry</title></head><body><article><h1>Ferry</h1>{STORY * 4}{quote}{STORY}</article></body></html>"
    assert not _pruned(quote).xpath("//figure")
    tree = HtmlParser().parse(html)
    assert tree is not None
    blocks = BodyExtractor().extract(tree, title="Ferry", lead=None, selectors=SelectorsConfig()).blocks
    text = " ".join(text for _, text in blocks)
    assert "the night shift at the hospital asked for them" in text
    assert "The harbour master" not in text


def test_a_pull_quote_set_as_a_figure_is_pruned() -> None:
    # A pull quote repeats a line of the story, or highlights one short line: not text of its own.
    line = (
        "The harbour master said the early crossings were added because the night shift at "
        "the hospital asked for them, and that they fill up every morning."
    )
    repeated = f"<p>{line}</p><figure><blockquote><p>{line}</p></blockquote></figure>"
    short = "<figure><blockquote><p>Two more crossings, every weekday.</p></blockquote></figure>"
    for figure in (repeated, short):
        assert not _pruned(figure).xpath("//figure | //blockquote")
    assert _pruned(f"<figure><blockquote><p>{line}</p></blockquote></figure>").xpath("//blockquote")


def _teaser(headline: str) -> str:
    return (
        f"<article class='card'><h3><a href='/news/{len(headline)}'>{headline}</a></h3>"
        "<p>A short excerpt of another post on the site, cut after a line.</p></article>"
    )


def test_a_list_set_as_articles_holding_most_of_the_page_is_kept() -> None:
    # A guide whose items are <article>s with linked headings: the grid is the page.
    items = "".join(
        f"<article><h3><a href='/place/{n}'>Place {n}</a></h3>{STORY}{STORY}</article>" for n in range(6)
    )
    tree = HtmlParser().parse(f"<html><body><h1>Where to stay</h1><div class='list'>{items}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    assert "Place 5" in tree.text_content()


def test_a_caption_set_in_the_paragraph_of_its_picture_is_pruned() -> None:
    # "<p><img><br><em>caption</em></p>": a caption without a <figure> around it.
    tree = _pruned("<p><img src='/pier.jpg'><br><em>The new pier at dawn (photo: the harbour office)</em></p>")
    assert "The new pier at dawn" not in tree.text_content()
    assert "two more crossings" in tree.text_content()


def test_an_emphasised_paragraph_with_a_picture_after_it_or_text_of_its_own_is_kept() -> None:
    after = "<p><em>Tickets are sold on board from Monday on.</em><img src='/ticket.jpg'></p>"
    own_text = "<p><img src='/icon.png'> Tickets, <em>sold on board</em>, cost two euros.</p>"
    for paragraph, shown in ((after, "Tickets are sold on board"), (own_text, "sold on board")):
        assert shown in _pruned(paragraph).text_content()


_QUESTION = "<p>Should the island get a third ferry on summer weekends, as the council proposes?</p>"
_DEAL = "<p>Flash sale from 9:00: a waterproof ferry bag, list price 40 euros, now 29 euros.</p>"

# Boxes beside the story that go (id, box, a line of it): each must leave the story whole.
_PRUNED_BOXES = [
    ("fact box", (
        "<div class='story-factbox'><h3>Ferries in numbers</h3>"
        "<ul><li>Four boats serve the island.</li><li>The crossing takes 35 minutes.</li></ul></div>"
    ), "Four boats serve the island"),
    # Whatever its tag: the page itself marks it as aside from its main content.
    ("complementary", (
        "<news-box role='complementary' class='box'><p>About the harbour: built in 1911, "
        "rebuilt after the storm of 1953.</p></news-box>"
    ), "built in 1911"),
    ("dialog", (
        "<div role='dialog' style='display:none' class='overlay'><h3>Share this story</h3>"
        "<p>You may republish this story with a link back to it and the author's name.</p></div>"
    ), "You may republish this story"),
    ("about the author", (
        "<div class='about-author-wide'><h2>About the writer</h2>"
        "<p>Mara Lind has covered the islands for a decade and sails whenever she can.</p></div>"
    ), "covered the islands"),
    # Whatever its class: a schema.org Person holding a description.
    ("author card", (
        "<div class='card-x' itemprop='author' itemscope itemtype='https://schema.org/Person'>"
        "<span itemprop='name'>Mara Lind</span>"
        "<div itemprop='description'><p>Mara Lind has covered the islands for a decade.</p></div></div>"
    ), "covered the islands"),
    ("related posts", (
        "<div class='related-posts-wrap'><p>Harbour dues rise again in the spring, the council says.</p></div>"
    ), "Harbour dues rise"),
    ("teaser grid, first", (
        "<div class='grid'>" + _teaser("New pier opens") + _teaser("Night ferry returns") + "</div>"
    ), "New pier opens"),
    ("teaser grid, second", (
        "<div class='grid'>" + _teaser("New pier opens") + _teaser("Night ferry returns") + "</div>"
    ), "Night ferry returns"),
    ("messenger channel", (
        "<div class='whatsapp-group'><p>Get the island's news on your phone: join our channel, "
        "we post twice a day.</p></div>"
    ), "join our channel"),
    # Polls, also with a class written in camel case.
    *((f"poll: {name}", f"<div class='{name}'>{_QUESTION}<button>Yes</button><button>No</button></div>", "third ferry")
      for name in ("poll-widget", "umfrage", "Story_elementPoll__x7Qa")),
    *((f"deal: {name}", f"<div class='{name}'>{_DEAL}</div>", "waterproof ferry bag")
      for name in ("product_deal", "offers", "affiliate-widget")),
    # A line of links to other pages and their separators, after a short label.
    ("see-also line", (
        "<div class='info'><strong>See also: <a href='/tides'>Tide tables</a> | <a href='/fares'>Ferry fares</a> | "
        "<a href='/parking'>Pier parking</a></strong></div>"
    ), "Ferry fares"),
    ("tag line in a paragraph", (
        "<p><a href='/tag/ferries'>ferries</a>, <a href='/tag/harbour'>harbour</a>, <a href='/tag/council'>council</a></p>"
    ), "harbour"),
    ("call to action", (
        "<div class='post-cta'><h3>Plan your crossings</h3><p>Our app books the ferry for you.</p>"
        "<a class='button' href='/signup'>Try it free</a></div>"
    ), "Plan your crossings"),
    # A card standing for another article, post or story: its headline and excerpt.
    *((f"card: {name}", (
        f"<div class='{name}'><h4><a href='/news/lighthouse'>The lighthouse gets a new lamp</a></h4>"
        "<p>Engineers fitted the lamp in a night, and ships saw it from twenty miles out.</p></div>"
    ), "ships saw it") for name in ("article-card small", "post-card", "story-card__hub", "PostCard_card__x1")),
]


@pytest.mark.parametrize(("box", "line"), [case[1:] for case in _PRUNED_BOXES], ids=[case[0] for case in _PRUNED_BOXES])
def test_a_chrome_box_beside_the_story_is_pruned(box: str, line: str) -> None:
    tree = _story_with(box)
    assert line not in tree.text_content()
    assert "two more crossings" in tree.text_content()


def test_a_box_named_as_chrome_only_by_its_label_for_screen_readers_is_pruned() -> None:
    box = (
        "<section class='box mt-4' aria-label='Newsletter sign-up'><p>Our morning briefing: the day's "
        "news from the island, every weekday at seven.</p></section>"
    )
    tree = _story_with(box)
    assert "morning briefing" not in tree.text_content()
    assert "two more crossings" in tree.text_content()
    # A label that names no chrome leaves the box where it is.
    kept = _story_with(box.replace("Newsletter sign-up", "Harbour history"))
    assert "morning briefing" in kept.text_content()


# Boxes that look like chrome but are not (id, box, a line of it that stays).
_KEPT_BOXES = [
    # A name alone is the byline, not a card about the author.
    ("byline marked as the author", (
        "<div class='meta'><span itemprop='author' itemscope itemtype='https://schema.org/Person'>"
        "Mara Lind</span></div>"
    ), "Mara Lind"),
    # A class that only places a box by a call to action is not one.
    ("placed by a call to action", (
        "<div class='above-cta'><p>The pier reopened in May after repairs to its deck.</p></div>"
    ), "The pier reopened"),
    # A word that merely starts like, or contains, a chrome name is not one.
    ("pollen, not a poll", f"<div class='pollen-report'>{_QUESTION}</div>", "third ferry"),
    # A card of something else (a fact card, a scorecard) is not a teaser of another story.
    *((f"{name}, not a story's card", (
        f"<div class='{name}'><p>The pier is 412 metres long and was built in 1911.</p></div>"
    ), "412 metres") for name in ("fact-card", "scorecard", "postcard-stamp-note")),
    *((f"{name}, not a deal", f"<div class='{name}'>{_DEAL}</div>", "waterproof ferry bag")
      for name in ("idealist-column", "offertory")),
    # Links inside a sentence: words between them, not separators.
    ("links in a sentence", (
        "<p>The council cited <a href='/a'>the audit</a>, <a href='/b'>the survey</a> and "
        "<a href='/c'>the harbour report</a> when it voted.</p>"
    ), "the survey"),
    # Sources on other sites, footnotes, contacts, and a sentence made of links: the story's.
    ("sources on other sites", (
        "<p>Sources: <a href='https://stats.example/ferries'>Port statistics office</a>, "
        "<a href='https://www.audit.example/2026'>National audit board</a>, "
        "<a href='https://ferry-company.example/report'>Ferry company report</a></p>"
    ), "National audit board"),
    ("footnotes", "<p>Notes: <a href='#fn1'>1</a> <a href='#fn2'>2</a> <a href='#fn3'>3</a></p>", "Notes"),
    ("contacts", (
        "<p>Helplines: <a href='tel:+100200300'>100 200 300</a> | <a href='sms:+100200301'>Text 301</a> | "
        "<a href='mailto:help@harbour.example'>help@harbour.example</a></p>"
    ), "100 200 300"),
    ("a sentence of links", (
        "<p>Ports affected: <a href='/ports/north'>North Quay</a>, <a href='/ports/west'>West Quay</a>, "
        "<a href='/ports/old'>the old harbour</a>.</p>"
    ), "West Quay"),
    # A label that is a sentence, not a label.
    ("a sentence before links", (
        "<p>The ferry company has published its new timetables for the spring and the summer on its website: "
        "<a href='/a'>spring</a> | <a href='/b'>summer</a> | <a href='/c'>autumn</a></p>"
    ), "new timetables"),
]


@pytest.mark.parametrize(("box", "line"), [case[1:] for case in _KEPT_BOXES], ids=[case[0] for case in _KEPT_BOXES])
def test_a_box_that_only_looks_like_chrome_is_kept(box: str, line: str) -> None:
    assert line in _story_with(box).text_content()


def test_a_box_inside_a_box_already_pruned_is_not_counted_again() -> None:
    # A removed subtree stays in lxml's document: only its chain of parents shows it is gone.
    box = "<div class='newsletter'><p>Sign up</p><div class='newsletter-form'><p>Your e-mail</p></div></div>"
    tree = HtmlParser().parse(f"<html><body><div class='story'>{STORY * 6}{box}{STORY * 6}</div></body></html>")
    assert tree is not None
    assert prune_chrome(tree) == 1
    assert "Sign up" not in tree.text_content()
    assert "two more crossings" in tree.text_content()


def test_a_breadcrumb_trail_is_pruned_whether_named_or_marked_up() -> None:
    items = "<li><a href='/'>Harbour Times</a></li><li><a href='/island'>Island</a></li><li>Ferries and boats</li>"
    line = "<a href='/'>Harbour Times</a> &rsaquo; <a href='/island'>Island</a> &rsaquo; <span>Ferries and boats</span>"
    trails = (
        f"<nav aria-label='Breadcrumb'><ol>{items}</ol></nav>",
        f"<div class='crumbs breadcrumb'>{line}</div>",
        f"<ol itemscope itemtype='https://schema.org/BreadcrumbList'>{items}</ol>",
        f"<ol vocab='https://schema.org/' typeof='BreadcrumbList'>{items}</ol>",
        f"<div class='fil-d-ariane'><ul>{items}</ul></div>",
    )
    for trail in trails:
        tree = _story_with(trail)
        assert "Harbour Times" not in tree.text_content(), trail
        assert "Ferries and boats" not in tree.text_content(), trail
        assert "two more crossings" in tree.text_content()


def test_a_table_of_contents_of_the_page_is_pruned() -> None:
    entries = "".join(
        f"<li><a href='#part-{n}'>{title}</a></li>"
        for n, title in enumerate(("New timetable", "Weekday mornings", "What passengers say"))
    )
    boxes: tuple[str, ...] = (
        f"<div class='post-toc'><p>Contents</p><ul>{entries}</ul></div>",
        f"<nav aria-label='Table of contents'><ol>{entries}</ol></nav>",
        f"<div id='inhaltsverzeichnis'><ol>{entries}</ol></div>",
        f"<div class='articleToc'><ol>{entries}</ol></div>",
    )
    titles = ("The new timetable", "Weekday mornings", "What passengers say")
    line = " | ".join(f"<a href='#part-{n}'>{title}</a>" for n, title in enumerate(titles))
    boxes += (f"<div class='toc'><strong>In this story</strong><br>{line}</div>",)
    for box in boxes:
        tree = _story_with(box)
        assert "Weekday mornings" not in tree.text_content(), box
        assert "Contents" not in tree.text_content() and "In this story" not in tree.text_content(), box
        assert "two more crossings" in tree.text_content()


def test_a_box_named_contents_that_links_elsewhere_or_holds_prose_is_kept() -> None:
    # Links to other pages: not a table of this page's contents (nor a list of links:
    # one item).
    other_pages = "<div class='toc'><p>See <a href='/timetable'>the timetable</a> and <a href='/fares'>fares</a> pages for this season's crossings and prices.</p></div>"
    assert "the timetable" in _story_with(other_pages).text_content()
    # In-page links in a paragraph of prose: the prose is the story's.
    prose = (
        "<div class='contents'><p>Two crossings are added (<a href='#t1'>table 1</a>), and the "
        "evening boat leaves later on Fridays and Saturdays (<a href='#t2'>table 2</a>) from June.</p></div>"
    )
    assert "evening boat leaves later" in _story_with(prose).text_content()


_SUMMARY = "<ul><li>Two more crossings on weekday mornings from Monday.</li><li>Fares stay the same.</li></ul>"


@pytest.mark.parametrize(
    ("summary_panel", "story_panel"),
    [
        # The open panel is named "active", the other one has no such mark.
        ("<div role='tabpanel' class='tab-pane' id='brief'>", "<div role='tabpanel' class='tab-pane active' id='full'>"),
        # Or the page says which one it hides.
        ("<div role='tabpanel' hidden>", "<div role='tabpanel'>"),
        ("<section role='tabpanel' aria-hidden='true'>", "<section role='tabpanel' aria-hidden='false'>"),
    ],
)
def test_a_tab_panel_hidden_beside_the_open_one_is_pruned(summary_panel: str, story_panel: str) -> None:
    close = f"</{summary_panel[1:].split()[0]}>"
    tabs = f"<div class='tabs'>{summary_panel}{_SUMMARY}{close}{story_panel}{STORY * 6}{close}</div>"
    tree = HtmlParser().parse(f"<html><body><div class='story'>{tabs}{STORY}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    assert "Fares stay the same" not in tree.text_content()
    assert "two more crossings" in tree.text_content()


@pytest.mark.parametrize(
    "panels",
    [
        # No panel marked open: which one shows is the script's choice, all stay.
        "<div role='tabpanel' class='pane'>{0}</div><div role='tabpanel' class='pane'>{1}</div>",
        # Every panel marked open: nothing says one is hidden.
        "<div role='tabpanel' class='pane active'>{0}</div><div role='tabpanel' class='pane active'>{1}</div>",
        # A single panel is not a choice between views.
        "<div role='tabpanel' class='pane'>{0}</div><div>{1}</div>",
    ],
)
def test_tab_panels_none_of_which_is_marked_as_the_open_one_are_kept(panels: str) -> None:
    tabs = panels.format(_SUMMARY, STORY * 6)
    tree = HtmlParser().parse(f"<html><body><div class='story'>{tabs}{STORY}</div></body></html>")
    assert tree is not None
    prune_chrome(tree)
    assert "Fares stay the same" in tree.text_content()


@pytest.mark.parametrize(
    "label",
    [
        "<h2 class='sr-only'>Published on</h2>",
        "<span class='visually-hidden'>Opens the ferry company's site in a new window</span>",
        "<p class='c-visually-hidden'>Listen to the harbour master's account</p>",
        "<div class='screen-reader-text'>Skip to the timetable</div>",
    ],
)
def test_text_set_for_screen_readers_only_is_pruned(label: str) -> None:
    tree = _story_with(f"<div class='meta'>{label}<time>12 May</time></div>")
    text = tree.text_content()
    for words in ("Published on", "new window", "harbour master's", "Skip to"):
        assert words not in text
    assert "12 May" in text
    assert "two more crossings" in text


def test_screen_reader_text_that_joins_the_parts_of_a_heading_is_kept() -> None:
    heading = "<h2>Ferries<span class='sr-only'>: </span>Two more crossings</h2>"
    tree = _story_with(heading)
    assert tree.xpath("string(//h2)") == "Ferries: Two more crossings"


def test_a_class_that_only_contains_a_reader_only_name_is_kept() -> None:
    # "visually" or "screen-reader" inside another word is not the class.
    tree = _story_with("<p class='visually-striking-quote'>The harbour has never looked busier.</p>")
    assert "never looked busier" in tree.text_content()


_DEFINITION = "A ferry is a boat that carries passengers and often cars across a stretch of water."


@pytest.mark.parametrize(
    "tip",
    [
        # A box named as a tooltip, popover or toast, also as a CSS module writes it.
        f"<div class='tooltip-box'><p>{_DEFINITION}</p></div>",
        f"<div class='share-popover'><p>{_DEFINITION}</p></div>",
        f"<div class='Glossary_toast__x1Yz'>{_DEFINITION}</div>",
        # Whatever its name, a box marked as a tooltip.
        f"<div class='bubble' role='tooltip'>{_DEFINITION}</div>",
    ],
)
def test_a_tooltip_popover_or_toast_box_is_pruned(tip: str) -> None:
    tree = _story_with(tip)
    assert "stretch of water" not in tree.text_content()
    assert "two more crossings" in tree.text_content()


def test_an_inline_definition_that_describes_a_word_is_pruned_and_the_word_kept() -> None:
    sentence = (
        "<p>The new <dfn aria-describedby='tip-1'>ferry</dfn>"
        f"<span class='term-tooltip' id='tip-1'>{_DEFINITION}</span> leaves at dawn.</p>"
    )
    tree = _story_with(sentence)
    assert "stretch of water" not in tree.text_content()
    assert "The new ferry leaves at dawn." in tree.text_content()


def test_an_inline_tooltip_that_nothing_points_to_and_a_box_that_has_one_are_kept() -> None:
    # A <span class="tooltip"> may be the explained word itself: kept unless named as a description.
    sentence = "<p>The new <span class='tooltip'>ferry</span> leaves at dawn.</p>"
    assert "The new ferry leaves at dawn." in _story_with(sentence).text_content()
    # A box that has a tooltip (one of its words) is not one.
    box = f"<div class='has-tooltip'><p>{_DEFINITION}</p></div>"
    assert "stretch of water" in _story_with(box).text_content()


def _gallery(name: str, counters: list[str]) -> str:
    slides = "".join(
        f"<div class='slide'><img src='/pier-{n}.jpg'><span class='count'>{counter}</span>"
        f"<p>The pier at dawn, seen from the ferry on its first crossing (picture {n}).</p></div>"
        for n, counter in enumerate(counters, start=1)
    )
    return f"<div class='{name}'>{slides}</div>"


@pytest.mark.parametrize(
    ("name", "counters"),
    [
        ("photo-carousel", ["1 of 3", "2 of 3", "3 of 3"]),
        ("slideshow", ["1 / 4", "2 / 4", "3 / 4", "4 / 4"]),
        ("Gallery-slides", ["1 von 2 |", "2 von 2 |"]),
    ],
)
def test_a_gallery_that_numbers_its_slides_goes_with_its_captions(name: str, counters: list[str]) -> None:
    tree = _story_with(_gallery(name, counters))
    assert "The pier at dawn" not in tree.text_content()
    assert "two more crossings" in tree.text_content()


@pytest.mark.parametrize(
    ("name", "counters"),
    [
        # Not named as a gallery: numbers in a box are not slides.
        ("results", ["1 of 3", "2 of 3", "3 of 3"]),
        # Numbers that do not count slides 1..M of one M: scores, dates, a repeated counter.
        ("carousel", ["3 / 1", "2 / 0"]),
        ("carousel", ["1 of 3", "2 of 5"]),
        ("carousel", ["1 of 2", "1 of 2"]),
        # One counter is not a series.
        ("carousel", ["1 of 1"]),
    ],
)
def test_a_box_whose_numbers_do_not_count_its_slides_is_kept(name: str, counters: list[str]) -> None:
    assert "The pier at dawn" in _story_with(_gallery(name, counters)).text_content()
