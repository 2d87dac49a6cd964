"""A body read as one run of text is cut back into the paragraphs the page sets it in."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml.html import HtmlElement

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.parse import HtmlParser
from newsdedup.pipeline.extract.runs import RUN_MIN_CHARS, split_runs

PARAGRAPHS = [
    "The harbour authority closed the northern pier on Monday after divers found cracks in two of its pillars.",
    "Ferries to the islands will leave from the southern quay until the repairs are done, probably in spring.",
    "Fishermen who moor at the pier were offered places in the marina at the same price for the winter.",
    "The pier was built in the nineteen-sixties and was last inspected four years ago, the authority said.",
    "An engineer who took part in the survey said salt water had reached the steel inside the concrete.",
    "The town council will decide next month whether to repair the pier or to build a new one beside it.",
    "A new pier would cost about twice as much but last twice as long, according to the first estimates.",
    "Residents asked the council to keep the pier's lamp posts, which appear on many postcards of the town.",
]
HEADING = "What happens to the ferries"


def _page(body: str) -> str:
    return f"<html><head><title>Pier closed</title></head><body>{body}</body></html>"


def _story(paragraphs: list[str]) -> str:
    half = len(paragraphs) // 2
    return (
        "".join(f"<p>{p}</p>" for p in paragraphs[:half]) + f"<h2>{HEADING}</h2>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[half:])
    )


def _tree(body: str) -> HtmlElement:
    tree = HtmlParser().parse(_page(body))
    assert tree is not None
    return tree


def _run(paragraphs: list[str], glue: str = " ") -> str:
    half = len(paragraphs) // 2
    return glue.join([*paragraphs[:half], HEADING, *paragraphs[half:]])


def test_a_run_is_cut_into_the_pages_paragraphs_and_heading_in_order() -> None:
    run = _run(PARAGRAPHS * 2)
    assert len(run) >= RUN_MIN_CHARS
    blocks = split_runs([("text", run)], _tree(_story(PARAGRAPHS * 2)))
    half = len(PARAGRAPHS)
    assert blocks == [
        *(("text", p) for p in (PARAGRAPHS * 2)[:half]), ("heading", HEADING),
        *(("text", p) for p in (PARAGRAPHS * 2)[half:]),
    ]


def test_paragraphs_glued_without_a_space_are_cut_where_a_capital_starts() -> None:
    # An element's whole text, as a fallback reads it: no space between the blocks.
    run = _run(PARAGRAPHS * 2, glue="")
    blocks = split_runs([("text", run)], _tree(_story(PARAGRAPHS * 2)))
    assert [text for _, text in blocks] == [*PARAGRAPHS, HEADING, *PARAGRAPHS]


def test_text_the_page_has_no_paragraph_for_stays_between_the_cut_paragraphs() -> None:
    extra = "Read the authority's full statement on its website."
    run = " ".join([*PARAGRAPHS[:4], extra, *PARAGRAPHS[4:]] * 2)
    tree = _tree("".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2) + f"<div><span>{extra}</span></div>")
    texts = [text for _, text in split_runs([("text", run)], tree)]
    assert texts[:6] == [*PARAGRAPHS[:4], extra, PARAGRAPHS[4]]


def test_a_short_line_does_not_cut_a_sentence_in_two() -> None:
    # "The" is a line of the page, and the run begins with it: but the run goes on with
    # the small letters of the same sentence, so it is no paragraph there.
    run = " ".join(PARAGRAPHS * 2)
    tree = _tree("<p>The</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2))
    texts = [text for _, text in split_runs([("text", run)], tree)]
    assert texts == PARAGRAPHS * 2


def test_a_run_the_pages_paragraphs_do_not_cover_stays_whole() -> None:
    run = _run(PARAGRAPHS * 2)
    # The page shows two of the paragraphs only: most of the run is no paragraph of it.
    tree = _tree(f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>")
    assert split_runs([("text", run)], tree) == [("text", run)]


def test_a_long_paragraph_that_is_one_element_of_the_page_stays_whole() -> None:
    long = " ".join(PARAGRAPHS * 2)
    tree = _tree(f"<p>{long}</p><p>{PARAGRAPHS[0]}</p>")
    assert split_runs([("text", long), ("text", PARAGRAPHS[0])], tree) == [("text", long), ("text", PARAGRAPHS[0])]


def test_a_short_run_of_a_few_paragraphs_is_cut_too() -> None:
    # Five of the page's paragraphs read as one block (some 500 characters: a topic page's
    # teasers, a short story read whole from its container) are five paragraphs.
    run = " ".join(PARAGRAPHS[:5])
    assert 500 <= len(run) < 1_500
    tree = _tree("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:5]))
    assert split_runs([("text", run)], tree) == [("text", p) for p in PARAGRAPHS[:5]]



# A brief in Chinese of under 100 characters (some 45 words): trafilatura's finder comes
# up short and its fallback reads the page's whole text as one string (written for this test).
BRIEF = [
    "市议会周二投票决定将河上新桥的建设推迟一年，理由是成本上升。",
    "工程原定于春季开工，但由于钢材价格大幅上涨，承包商要求追加资金。",
    "市长表示，在为该项目制定新预算之前，市政府将寻找其他公司。",
]


def test_a_body_read_as_one_short_block_is_cut_too() -> None:
    run = " ".join(BRIEF)
    assert len(run) < RUN_MIN_CHARS
    tree = _tree("".join(f"<p>{p}</p>" for p in BRIEF))
    assert split_runs([("text", run)], tree) == [("text", p) for p in BRIEF]
    # Beside other blocks, a short block is a paragraph of its own and is not read for a cut.
    assert split_runs([("heading", "港口"), ("text", run)], tree) == [("heading", "港口"), ("text", run)]


def test_a_chinese_brief_comes_out_in_its_paragraphs_without_its_date_line() -> None:
    menu = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>栏目{i}</a></li>" for i in range(12)) + "</ul></nav>"
    html = _page(
        f"{menu}<h1>新桥投票推迟</h1><time datetime='2025-03-03T09:15:00+08:00'>2025年3月3日 09:15</time>"
        + "".join(f"<p>{p}</p>" for p in BRIEF)
    )
    url = "https://harbour.example/news/2025/03/03/1234.html"
    page = FetchedPage(
        source="harbour", url=url, final_url=url, status=200, headers={"content-type": "text/html"},
        body=html.encode("utf-8"), fetched_at=datetime(2025, 3, 4, tzinfo=UTC),
    )
    article = Extractor(ExtractConfig()).extract(page)
    assert isinstance(article, Article), article
    assert list(article.paragraphs) == BRIEF
