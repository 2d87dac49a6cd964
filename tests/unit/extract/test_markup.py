"""HTML markup where text is expected (a JSON-LD ``articleBody``, trafilatura's reading of
one) is read as a browser shows it: embed code shows no text."""

from __future__ import annotations

import json

import lxml.html

from newsdedup.core.config import SelectorsConfig
from newsdedup.pipeline.extract.markup import markup_text, without_embed_code
from newsdedup.pipeline.extract.metadata import read_metadata

EMBED = (
    '<iframe title="Rainfall by month" aria-label="Column chart" src="https://charts.example/c/7/" '
    'height="420"></iframe><script type="text/javascript">!function(){window.addEventListener('
    '"message",function(e){})}();</script>'
)
BEFORE = "The reservoir is at a third of its usual level after the driest spring in forty years."
AFTER = "Water companies have asked households to take shorter showers until the autumn."


def test_embed_code_shows_no_text_and_the_text_after_it_stays() -> None:
    assert " ".join(without_embed_code(EMBED + AFTER).split()) == AFTER
    assert without_embed_code(EMBED).strip() == ""


def test_a_paragraph_that_names_a_tag_or_holds_code_is_left_as_it_is() -> None:
    for text in (
        "Back then you used <iframe> to embed shared elements, and nobody liked it.",
        "The function returns Result<Box<dyn Error>> when the file cannot be read.",
        BEFORE,
    ):
        assert without_embed_code(text) is text
        assert markup_text(text) is text


def test_block_elements_break_lines_and_inline_ones_do_not() -> None:
    lines = [line.strip() for line in markup_text(f"<p>{BEFORE}</p><p>Water <em>companies</em> {AFTER[16:]}</p>")
             .splitlines() if line.strip()]
    assert lines == [BEFORE, AFTER]


def test_a_json_ld_body_holding_escaped_markup_is_read_as_text() -> None:
    body = f"<p>{BEFORE}</p>{EMBED}<p>{AFTER}</p>".replace("<", "&lt;").replace(">", "&gt;")
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Dry spring",
                     "articleBody": body})
    page = f"<html><head><script type='application/ld+json'>{ld}</script></head><body><p>x</p></body></html>"
    meta = read_metadata(lxml.html.fromstring(page), "https://news.example/dry", SelectorsConfig())
    assert meta.article_body is not None
    assert [line.strip() for line in meta.article_body.splitlines() if line.strip()] == [BEFORE, AFTER]
