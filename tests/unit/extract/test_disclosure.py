"""Collapsed panels of the story (accordion panes, ``<details>`` boxes) are read with the
story, not with the page-kind judgement; menus, forms and link lists behind a toggle stay
out."""

from __future__ import annotations

from extract_helpers import PROSE, PageFactory, html_page
from lxml.html import HtmlElement

from newsdedup.core.config import ExtractConfig, SelectorsConfig
from newsdedup.core.records import Article, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.body import BodyExtractor
from newsdedup.pipeline.extract.disclosure import in_panels, reveal_panels
from newsdedup.pipeline.extract.frame import unmark
from newsdedup.pipeline.extract.parse import HtmlParser

PARAGRAPHS = [
    "Choosing a bicycle for the daily ride to work depends on the distance, the hills and the weather.",
    "A light frame helps on hills, but a heavier one with mudguards keeps you dry through the winter.",
    "Most riders who commute more than ten kilometres a day end up buying a second set of tyres.",
]
QUESTION = "Can mudguards be fitted later?"
ANSWER = (
    "Yes: a shop will fit mudguards to most frames for a small fee, and the work takes "
    "less than an hour on a weekday."
)


def _accordion(panel_attributes: str = "hidden aria-hidden='true'", answer: str = ANSWER) -> str:
    return (
        f"<div class='faq-icon-wrap'><h3><button aria-expanded='false' aria-controls='a1'>{QUESTION}</button></h3>"
        f"<div id='a1' class='panel' {panel_attributes}><p>{answer}</p></div></div>"
    )


def _details(box_class: str = "expandable", answer: str = ANSWER) -> str:
    return f"<details class='{box_class}'><summary>{QUESTION}</summary><p>{answer}</p></details>"


def _page(box: str, around: str = "") -> str:
    story = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        "<html><head><title>Buying a bicycle</title></head><body>"
        f"{around}<article><h1>Buying a bicycle</h1><div class='entry-content'>{story}{box}</div></article>"
        "</body></html>"
    )


def _tree(html: str) -> HtmlElement:
    tree = HtmlParser().parse(html)
    assert tree is not None
    return tree


def _texts(html: str) -> tuple[list[str], tuple[str, ...]]:
    result = BodyExtractor().extract(_tree(html), title="Buying a bicycle", lead=None, selectors=SelectorsConfig())
    return [text for _, text in result.blocks], result.panels


def test_a_hidden_accordion_pane_after_its_toggle_is_read_with_the_story() -> None:
    texts, panels = _texts(_page(_accordion()))
    assert ANSWER in texts
    assert texts[: len(PARAGRAPHS)] == PARAGRAPHS
    assert panels and in_panels(ANSWER, panels)
    assert not in_panels(PARAGRAPHS[0], panels)


def test_a_pane_hidden_by_its_style_is_read_too() -> None:
    texts, _ = _texts(_page(_accordion("style='display: none'")))
    assert ANSWER in texts


def test_a_details_box_named_as_chrome_keeps_its_summary_and_text() -> None:
    texts, panels = _texts(_page(_details()))
    assert QUESTION in texts
    assert ANSWER in texts
    assert in_panels(ANSWER, panels)


def test_a_panel_trafilatura_keeps_anyway_is_left_alone() -> None:
    tree = _tree(_page(_details("box")))
    marks, panels = reveal_panels(tree)
    assert (marks, panels) == ([], ())
    texts, _ = _texts(_page(_details("box")))
    assert ANSWER in texts


def test_the_page_gets_its_attributes_back_after_the_pass() -> None:
    tree = _tree(_page(_accordion()))
    marks, _ = reveal_panels(tree)
    pane = tree.xpath("//*[@id='a1']")
    assert not pane
    unmark(marks)
    pane = tree.xpath("//*[@id='a1']")
    assert pane and pane[0].get("hidden") is not None and pane[0].get("aria-hidden") == "true"
    assert tree.xpath("//div[@class='faq-icon-wrap']")


def test_a_short_pane_is_no_story() -> None:
    texts, panels = _texts(_page(_accordion(answer="Yes, for a fee.")))
    assert "Yes, for a fee." not in texts
    assert panels == ()


def test_a_pane_of_links_is_a_menu() -> None:
    links = "".join(f"<a href='/topic/{i}'>Cycling topic number {i}</a> " for i in range(6))
    texts, panels = _texts(_page(_accordion(answer=links)))
    assert panels == ()
    assert not any("Cycling topic number" in text for text in texts)


def test_a_pane_holding_a_form_control_is_a_tool() -> None:
    tool = f"{ANSWER}<textarea>&lt;iframe src='/embed/1'&gt;&lt;/iframe&gt;</textarea>"
    _, panels = _texts(_page(_accordion(answer=tool)))
    assert panels == ()


def test_a_pane_in_the_navigation_stays_hidden() -> None:
    menu = (
        "<nav><button aria-expanded='false'>Menu</button>"
        f"<div class='drawer' aria-hidden='true'><p>{ANSWER}</p></div></nav>"
    )
    tree = _tree(_page("", around=menu))
    marks, panels = reveal_panels(tree)
    assert (marks, panels) == ([], ())


def test_an_unlabelled_button_opens_no_panel() -> None:
    box = f"<div class='media'><button></button><div class='overlay' aria-hidden='true'><p>{ANSWER}</p></div></div>"
    _, panels = _texts(_page(box))
    assert panels == ()


def test_the_panels_text_matches_only_its_own_lines() -> None:
    panels = (f"{QUESTION}{ANSWER}",)
    assert in_panels(QUESTION, panels)
    assert in_panels(f"  {ANSWER}\n", panels)
    assert not in_panels("", panels)
    assert not in_panels(PARAGRAPHS[1], panels)


def _extractor_page(story: str, panel_text: str) -> str:
    panel = (
        "<div class='toggle-icon'><button aria-expanded='false'>Read the full answer</button>"
        f"<div class='answer' aria-hidden='true'><p>{panel_text}</p></div></div>"
    )
    return html_page(f"<article><h1>Council agrees budget</h1><div class='article-body'>{story}{panel}</div></article>")


def test_the_story_keeps_its_panel(make_page: PageFactory) -> None:
    story = "".join(f"<p>{PROSE} ({i})</p>" for i in range(4))
    answer = f"{PROSE} The answer behind the toggle."
    result = Extractor(ExtractConfig()).extract(make_page(_extractor_page(story, answer)))
    assert isinstance(result, Article)
    assert answer in result.paragraphs


def test_the_page_kind_is_judged_without_the_panels(make_page: PageFactory) -> None:
    # A line of visible text and a long pane: judged as it reads before the pane is opened.
    answer = " ".join(f"{PROSE} ({i})" for i in range(4))
    page = make_page(_extractor_page("<p>Quay Street is closed after a burst water main.</p>", answer))
    result = Extractor(ExtractConfig()).extract(page)
    assert isinstance(result, Rejection)
    assert result.reason == "too_short"
