"""Signals of listing and collection pages (``page_listing``) and the vector entries read
from them: a tag page of teaser cards and a product grid, in two templates and languages,
against an article with a box of related links."""

from __future__ import annotations

import lxml.html

from newsdedup.pipeline.extract.metadata import PageMetadata
from newsdedup.pipeline.extract.page_listing import read_listing
from newsdedup.pipeline.extract.page_model import BodyFacts, page_vector
from newsdedup.pipeline.extract.page_signals import _chrome_elements, read_signals

_TEASER = """<article class="teaser"><h2><a href="/thema/beitrag-{n}">Der Stadtrat beschließt den Haushalt für das Jahr {n}</a></h2>
<time datetime="2026-03-0{d}">0{d}.03.2026</time><p>Die Sitzung dauerte bis in den Abend, viele Fragen blieben offen</p>
<a class="more" href="/thema/beitrag-{n}">Weiterlesen</a></article>"""

TAG_PAGE = f"""<html><head><title>Thema: Haushalt</title></head><body>
<header><nav><a href="/">Start</a> <a href="/politik">Politik</a> <a href="/sport">Sport</a></nav></header>
<main><h1>Thema: Haushalt</h1>
<div class="stream">{"".join(_TEASER.format(n=n, d=n) for n in range(1, 7))}</div>
<div class="pager"><a href="?seite=1">1</a> <a href="/thema/haushalt?page=2">2</a> <a href="?page=3">3</a></div>
</main><footer><a href="/impressum">Impressum</a></footer></body></html>"""

_TILE = """<li class="grid-tile"><a href="https://shop.example/item/{n}"><img src="/i/{n}.jpg" alt=""></a>
<div class="tile-name"><a href="https://shop.example/item/{n}">Wool socks {n}</a></div>
<span class="tile-price">${n}9.00</span></li>"""

GRID_PAGE = f"""<html><head><title>Socks</title></head><body>
<nav><ul><li><a href="/men">Men</a></li><li><a href="/women">Women</a></li></ul></nav>
<h1>Socks</h1><p>Warm socks for cold days.</p>
<ul class="grid">{"".join(_TILE.format(n=n) for n in range(1, 9))}</ul>
</body></html>"""

ARTICLE_PARAGRAPHS = tuple(
    f"The council met on Tuesday evening and voted on the budget for the coming year, point {n}. "
    "Several members asked why the library would close earlier, and the mayor promised an answer."
    for n in range(1, 7)
)

ARTICLE_PAGE = f"""<html><head><title>Council passes the budget</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Council passes the budget</h1>
{"".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)}
</article>
<div class="related"><h3>Related</h3><ul>
<li class="rel"><a href="/news/library-hours">Library hours change in spring</a></li>
<li class="rel"><a href="/news/school-roof">The school roof will be fixed</a></li>
<li class="rel"><a href="/news/bus-lines">Two new bus lines from May</a></li>
<li class="rel"><a href="/news/park-benches">New benches for the city park</a></li>
</ul></div>
<footer><a href="/about">About</a></footer></body></html>"""


def _listing(html: str, url: str):  # type: ignore[no-untyped-def]
    body = lxml.html.fromstring(html).find("body")
    return read_listing(body, _chrome_elements(body), url)


def test_teaser_cards_of_a_tag_page_are_a_run_of_dated_boxes_with_pager_links() -> None:
    counts = _listing(TAG_PAGE, "https://zeitung.example/thema/haushalt")
    assert (counts.runs, counts.boxes, counts.largest) == (1, 6, 6)
    assert counts.dated == 6 and counts.priced == 0
    assert counts.pager_links == 3  # page numbers and ?page= links
    assert counts.linked_articles == 6
    assert "Der Stadtrat beschließt den Haushalt für das Jahr 3" in counts.linked_headings
    assert counts.own_links >= 9  # six teasers, the pager's pages (chrome links left out)
    assert "/politik" not in str(counts.linked_headings)


def test_product_tiles_are_a_run_of_priced_boxes() -> None:
    counts = _listing(GRID_PAGE, "https://www.shop.example/socks")
    assert (counts.runs, counts.boxes) == (1, 8)
    assert counts.priced == 8 and counts.dated == 0 and counts.pager_links == 0
    assert counts.own_links == 8  # absolute links of the same host, www. or not


def test_a_related_links_box_holds_little_of_an_articles_text() -> None:
    counts = _listing(ARTICLE_PAGE, "https://city.example/news/council-budget")
    assert counts.runs == 1 and counts.boxes == 4 and counts.pager_links == 0 and counts.priced == 0
    article = page_vector(_signals(ARTICLE_PAGE, "https://city.example/news/council-budget"),
                          BodyFacts(ARTICLE_PARAGRAPHS, 0.0, 0))
    assert article["list_box_share"] < 0.2
    assert article["list_body_headings"] == 0.0 and article["list_body_after_heading"] == 0.0


def test_a_box_inside_a_counted_box_adds_no_text_twice() -> None:
    nested = "".join(
        f'<div class="outer"><a href="/o{n}">Outer {n}</a><div class="row">'
        + "".join(f'<span class="in"><a href="/o{n}/i{m}">Inner {m}</a></span>' for m in range(4))
        + "</div></div>" for n in range(4)
    )
    counts = _listing(f"<html><body><main>{nested}</main></body></html>", "https://a.example/")
    assert counts.runs == 5
    page_text = len(" ".join(lxml.html.fromstring(nested).text_content().split()))
    assert counts.box_chars <= page_text + 4


def _signals(html: str, url: str):  # type: ignore[no-untyped-def]
    return read_signals(lxml.html.fromstring(html), PageMetadata(), url, declared_article=False, hinted_date=False)


def test_the_vector_reads_teasers_of_the_page_in_the_extracted_body() -> None:
    url = "https://zeitung.example/thema/haushalt"
    body = []
    for n in range(1, 7):
        body += [f"Der Stadtrat beschließt den Haushalt für das Jahr {n}",
                 "Die Sitzung dauerte bis in den Abend, viele Fragen blieben offen"]
    vector = page_vector(_signals(TAG_PAGE, url), BodyFacts(tuple(body), 0.5, 6))
    assert vector["list_body_headings"] == 0.5 and vector["list_body_after_heading"] == 0.5
    assert vector["list_body_loose_share"] == 1.0  # short, and no sentence ends them
    assert vector["list_box_share"] > 0.6 and vector["list_dated_share"] == 1.0
    grid = page_vector(_signals(GRID_PAGE, "https://shop.example/socks"), BodyFacts(("Warm socks for cold days.",), 0.0, 0))
    assert grid["list_priced_share"] == 1.0 and grid["list_box_share"] > 0.6
