"""Stories set in <pre>: prose opened into its paragraphs, code and tables left whole."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.preformatted import open_preformatted

_RUNS = [
    "The harbour board met on Monday night and voted to close the old ferry pier for\n"
    "repairs, after divers found the piles under the landing stage badly rotten.",
    "Ferries will land at the north quay until the spring, the board said, and the\n"
    "timetable will stay as it is for the winter months, with one extra crossing.",
    "Fishermen who moor at the pier were told to move their boats by Friday. Several\n"
    "of them said they had warned the board about the piles for years.",
]
_STORY = "\n\n".join(_RUNS)


def _one_line(run: str) -> str:
    return " ".join(run.split())


def _page(body: str) -> FetchedPage:
    html = (
        "<html><head><title>Ferry pier to close for repairs</title></head><body>"
        "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(10)) + "</ul></nav>"
        f"<h1>Ferry pier to close for repairs</h1>{body}<footer>Harbour Gazette</footer></body></html>"
    )
    url = "https://gazette.example/news/2025/03/ferry-pier-to-close"
    return FetchedPage(
        source="gazette", url=url, final_url=url, status=200, headers={"content-type": "text/html"},
        body=html.encode("utf-8"), fetched_at=datetime(2025, 3, 4, tzinfo=UTC),
    )


def _article(body: str) -> Article:
    result = Extractor(ExtractConfig()).extract(_page(body))
    assert isinstance(result, Article), result
    return result


def test_a_story_in_pre_comes_out_in_its_paragraphs_in_order() -> None:
    article = _article(f"<pre>{_STORY}</pre>")
    assert list(article.paragraphs) == [_one_line(run) for run in _RUNS]


def test_links_and_inline_wrappers_stay_in_their_paragraph() -> None:
    linked = _STORY.replace("north quay", "<a href='/quay'>north quay</a>")
    article = _article(f"<pre><font face='courier'>{linked}</font></pre>")
    assert list(article.paragraphs) == [_one_line(run) for run in _RUNS]


def _opened(body: str) -> tuple[int, str]:
    root = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    count = open_preformatted(root)
    return count, lxml.html.tostring(root, encoding="unicode")


def test_the_pre_becomes_a_block_of_paragraphs() -> None:
    count, html = _opened(f"<pre class='release'>{_STORY}</pre>")
    assert count == 1
    root = lxml.html.fromstring(html)
    assert not root.xpath("//pre")
    paragraphs = root.xpath("//div[@class='release']/p")
    assert [_one_line(p.text_content()) for p in paragraphs] == [_one_line(run) for run in _RUNS]


@pytest.mark.parametrize(
    "body",
    [
        # code, marked as code
        f"<pre><code>{_STORY}</code></pre>",
        f"<pre class='language-text'>{_STORY}</pre>",
        # code, by its symbols
        "<pre>def close(pier):\n    if pier.rotten:\n        pier.state = 'closed'  # for repairs\n\n"
        "def open_quay(quay):\n    quay.ferries = [f for f in FERRIES if f.size < 40]\n    return {'ok': True}</pre>",
        # one run only: nothing to open
        f"<pre>{_RUNS[0]}</pre>",
        # a table set in columns: rows, not sentences
        "<pre>Pier       Opened   Length\nNorth      1921     120 m\n\nSouth      1958     80 m\n"
        "Old ferry  1887     64 m</pre>",
        # a poem's stanzas: short lines, no run of prose
        "<pre>The tide came in\nthe tide went out\n\nthe pier stood still\nand the gulls about</pre>",
    ],
)
def test_code_tables_and_short_lines_keep_their_pre(body: str) -> None:
    count, html = _opened(body)
    assert count == 0
    assert lxml.html.fromstring(html).xpath("//pre")
