"""The date a reader sees: a date line under the headline whatever its class, a span before
the fetch ("3 hours ago"), read for an article whose metadata gives no date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from extract_helpers import PROSE, PageFactory, html_page

from newsdedup.core.config import ExtractConfig, SelectorsConfig
from newsdedup.core.records import Article, PageHints
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.metadata import read_metadata

URL = "https://www.herald.example/news/harbour-pier-reopens"
FETCHED = datetime(2025, 1, 1, tzinfo=UTC)  # the make_page fixture's fetch time


def _story(under_headline: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    return html_page(f"<main><h1>Harbour pier reopens</h1>{under_headline}<div>{paragraphs}</div></main>", head)


def _extract(make_page: PageFactory, html: str, hints: PageHints | None = None) -> Article:
    result = Extractor(ExtractConfig()).extract(make_page(html, url=URL, hints=hints))
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize(
    ("under_headline", "expected"),
    [
        # A utility-class line: nothing in the class says date.
        ("<p class='text-muted text-xl'>December 15, 2024</p>", datetime(2024, 12, 15, tzinfo=UTC)),
        # The updated line gives way to the published one, wherever it stands.
        ("<p class='text-xs'><span>- Updated July 9, 2024</span> <span>August 16, 2019</span></p>",
         datetime(2019, 8, 16, tzinfo=UTC)),
        ("<div class='info'><span>By Ann Example</span> <span>3 hours ago</span></div>", FETCHED - timedelta(hours=3)),
        # The day named from the fetch, a clock time on it (the page says no language: UTC).
        ("<p class='text-muted'>Yesterday, 14:05</p>", datetime(2024, 12, 31, 14, 5, tzinfo=UTC)),
        ("<p class='meta'>Вчера в 14:05</p>", datetime(2024, 12, 31, 14, 5, tzinfo=UTC)),
    ],
)
def test_the_date_under_the_headline_dates_the_article(make_page: PageFactory, under_headline: str,
                                                       expected: datetime) -> None:
    article = _extract(make_page, _story(under_headline))
    assert (article.published_at, article.published_from) == (expected, "text")


def test_a_hindi_date_line_is_read_in_indias_time(make_page: PageFactory) -> None:
    # "5 December 2026, 10:30" in Devanagari digits, on a page that says it is Hindi: the
    # newsroom's clock is India's (UTC+5:30).
    line = "<p class='meta'>\u096b \u0926\u093f\u0938\u0902\u092c\u0930 \u0968\u0966\u0968\u096c, \u0967\u0966:\u0969\u0966</p>"
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    html = html_page(f"<main><h1>Harbour pier reopens</h1>{line}<div>{paragraphs}</div></main>", lang="hi")
    article = _extract(make_page, html)
    assert (article.published_at, article.published_from) == (datetime(2026, 12, 5, 5, 0, tzinfo=UTC), "text")


def test_a_span_before_the_fetch_in_a_date_element(make_page: PageFactory) -> None:
    page = _story("").replace("</main>", "</main><footer><span class='post-date'>vor 2 Tagen</span></footer>")
    article = _extract(make_page, page)
    assert article.published_at == FETCHED - timedelta(days=2)


def test_declared_and_feed_dates_come_first(make_page: PageFactory) -> None:
    line = "<p class='text-muted'>December 15, 2024</p>"
    declared = _extract(make_page, _story(line, head='<meta property="article:published_time" content="2024-12-14T08:00:00Z">'))
    assert (declared.published_at, declared.published_from) == (datetime(2024, 12, 14, 8, tzinfo=UTC), "meta")
    hinted = _extract(make_page, _story(line), PageHints(published_at=datetime(2024, 12, 13, tzinfo=UTC), published_from="feed"))
    assert (hinted.published_at, hinted.published_from) == (datetime(2024, 12, 13, tzinfo=UTC), "feed")


def test_the_shown_date_is_no_evidence_of_an_article() -> None:
    # A listing's first teaser date sits under its <h1> too: metadata keeps it apart from
    # published_at, which the page-kind signals read.
    tree = lxml.html.fromstring(_story("<p class='text-muted'>December 15, 2024</p>"))
    meta = read_metadata(tree, URL, SelectorsConfig(), fetched_at=FETCHED)
    assert meta.published_at is None
    assert meta.shown_date == datetime(2024, 12, 15, tzinfo=UTC)


def test_a_date_inside_the_story_is_not_its_date(make_page: PageFactory) -> None:
    # A sentence that mentions a date is too long to be a date line.
    line = "<p>On December 15, 2024 the harbour board voted to rebuild the pier before the summer season.</p>"
    assert _extract(make_page, _story(line)).published_at is None
