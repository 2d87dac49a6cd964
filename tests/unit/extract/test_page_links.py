"""Links under a page's own URL path (``page_links``) and the hub rule that reads them."""

from __future__ import annotations

import lxml.html
import pytest
from extract_helpers import PageFactory, html_page

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.page_links import child_links

PROSE = (
    "Our walking guides describe each route from the car park to the summit and back, with the "
    "distance, the climb and the time most walkers need, where to find water on the way, which "
    "paths are closed in the nesting season and where the views are best in the late afternoon."
)
TOPICS = ("coastal-paths", "river-valleys", "high-ridges", "old-railways", "forest-loops", "lake-circuits")


def links(hrefs: list[str]) -> lxml.html.HtmlElement:
    return lxml.html.fromstring("<div>" + "".join(f'<a href="{h}">x</a>' for h in hrefs) + "</div>")


def test_child_links_counts_distinct_pages_of_the_site_under_the_pages_own_path() -> None:
    root = links([
        "/walks/coastal-paths", "/walks/coastal-paths/", "https://www.hills.example/walks/river-valleys",
        "/walks/high-ridges?ref=menu", "/walks/high-ridges#map", "/Walks/Old-Railways",
        "/walking/other", "/walks", "/about/walks/x", "https://elsewhere.example/walks/lake-circuits",
        "mailto:desk@hills.example", "#top",
    ])
    assert child_links(root, "https://hills.example/walks/") == 4


def test_an_articles_own_views_are_not_its_children() -> None:
    root = links(["/news/the-story/2", "/news/the-story/page/3", "/news/the-story/amp", "/news/the-story/print",
                  "/news/the-story/comments", "/news/the-story/feed/"])
    assert child_links(root, "https://herald.example/news/the-story") == 0


def test_a_site_root_has_no_children() -> None:
    assert child_links(links(["/news/a", "/news/b", "/news/c"]), "https://herald.example/") == 0


def hub_page(head: str = "", prose: int = 3, under: str = "/walks") -> str:
    """A section page: a few paragraphs of its own about the section, and a list of links to
    the section's pages under its own path."""
    items = "".join(f'<li><a href="{under}/{t}">{t.replace("-", " ").title()}</a></li>' for t in TOPICS)
    text = "".join(f"<p>{PROSE}</p>" for _ in range(prose))
    return html_page(f"<main><h1>Walks</h1>{text}<ul>{items}</ul></main>", head)


def outcome(make_page: PageFactory, html: str, url: str) -> tuple[object, dict[str, float]]:
    extractor = Extractor(ExtractConfig())
    seen: list[dict[str, float]] = []
    extractor.on_page_vector = seen.append
    result = extractor.extract(make_page(html, url=url))
    return result, (seen[0] if seen else {})


def test_an_unmarked_page_linking_pages_under_its_own_path_is_a_hub(make_page: PageFactory) -> None:
    result, vector = outcome(make_page, hub_page(), "https://hills.example/walks/")
    assert vector.get("rule_hub") == 1.0
    assert isinstance(result, Rejection) and result.reason == "not_article"
    assert "pages under its own URL path" in result.detail


@pytest.mark.parametrize(
    "head",
    [
        pytest.param('<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">', id="dated"),
        pytest.param('<meta name="author" content="Rhian Walker">', id="signed"),
        pytest.param('<script type="application/ld+json">{"@type": "Article", "headline": "Walks"}</script>',
                     id="marked"),
    ],
)
def test_a_page_with_article_metadata_is_not_judged_a_hub(make_page: PageFactory, head: str) -> None:
    result, vector = outcome(make_page, hub_page(head), "https://hills.example/walks/")
    assert "rule_hub" not in vector
    assert "pages under its own URL path" not in getattr(result, "detail", ""), result


def test_a_headline_slug_is_not_a_hub(make_page: PageFactory) -> None:
    url = "https://hills.example/our-favourite-spring-walks"
    _, vector = outcome(make_page, hub_page(under="/our-favourite-spring-walks"), url)
    assert "rule_hub" not in vector


def test_links_to_other_sections_do_not_make_a_hub(make_page: PageFactory) -> None:
    _, vector = outcome(make_page, hub_page(under="/routes"), "https://hills.example/walks/")
    assert "rule_hub" not in vector
