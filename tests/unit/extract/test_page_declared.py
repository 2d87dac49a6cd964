"""Pages whose own markup says they are a product on sale or a forum thread are not
articles; a story or a review that carries a product's or a thread's markup stays one."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from extract_helpers import PROSE, PageFactory, html_page

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.page_declared import DECLARED

_PROSE = "".join(f"<p>{PROSE} ({n}) {PROSE}</p>" for n in range(6))
_OFFER = {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR", "availability": "https://schema.org/InStock"}
_PRODUCT = {"@type": "Product", "name": "Copper kettle, 1.5 litres", "offers": _OFFER}


def _ld(*objects: Mapping[str, object]) -> str:
    data = {"@context": "https://schema.org", "@graph": list(objects)}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _page(head: str, body: str = "") -> str:
    # Real prose and a date: the other page-kind rules would keep the page.
    main = body or f"<main><h1>Copper kettle, 1.5 litres</h1><time datetime='2024-05-06'>6 May 2024</time>{_PROSE}</main>"
    return html_page(main, head)


def _extract(make_page: PageFactory, html: str, url: str) -> Article | Rejection:
    return Extractor(ExtractConfig()).extract(make_page(html, url=url))


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(_ld(_PRODUCT) + '<meta property="og:type" content="article">', id="json-ld-product-with-offer"),
        pytest.param(_ld({"@type": "ProductGroup", "name": "Kettles", "hasVariant": [_PRODUCT]}), id="product-group"),
        pytest.param('<meta property="og:type" content="product">', id="og-type-product"),
        pytest.param('<meta property="og:type" content="product.item">', id="og-type-product-item"),
    ],
)
def test_a_page_declaring_a_product_on_sale_is_not_an_article(make_page: PageFactory, head: str) -> None:
    result = _extract(make_page, _page(head), "https://shop.example/kettles/copper-kettle-1-5-litres")
    assert isinstance(result, Rejection), result
    assert result.reason == "not_article" and result.detail.startswith(f"{DECLARED} a product")


def test_a_page_with_product_microdata_and_an_offer_is_not_an_article(make_page: PageFactory) -> None:
    body = (
        '<main itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Copper kettle</h1>'
        f'{_PROSE}<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<span itemprop="price" content="49.00">49,00 €</span></div></main>'
    )
    result = _extract(make_page, _page("", body), "https://shop.example/kettles/copper-kettle")
    assert isinstance(result, Rejection) and result.detail.startswith(f"{DECLARED} a product on sale")


def test_a_category_page_declaring_a_set_of_products_is_not_an_article(make_page: PageFactory) -> None:
    body = (
        '<main itemscope itemtype="http://schema.org/SomeProducts"><h1 itemprop="name">Kettles</h1>'
        f"{_PROSE}</main>"
    )
    result = _extract(make_page, _page("", body), "https://shop.example/kettles/")
    assert isinstance(result, Rejection) and result.detail.startswith(f"{DECLARED} a set of products")


def test_a_page_declaring_a_forum_thread_is_not_an_article(make_page: PageFactory) -> None:
    thread = {"@type": "DiscussionForumPosting", "headline": "Which kettle lasts?", "text": PROSE}
    result = _extract(make_page, _page(_ld(thread)), "https://forum.example/t/which-kettle-lasts/42")
    assert isinstance(result, Rejection) and result.detail.startswith(f"{DECLARED} a forum thread")


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(
            _ld({"@type": "NewsArticle", "headline": "Copper kettles are back", "datePublished": "2024-05-06"}, _PRODUCT),
            id="news-article-with-product",
        ),
        pytest.param(
            _ld({"@type": "Review", "itemReviewed": _PRODUCT, "reviewBody": PROSE}),
            id="review-of-a-product",
        ),
        pytest.param(
            _ld({"@type": "BlogPosting", "headline": "Kettles", "comment": [
                {"@type": "DiscussionForumPosting", "text": "Nice post"}]}),
            id="blog-post-with-thread-markup",
        ),
        pytest.param(_ld({"@type": "Product", "name": "Copper kettle"}), id="product-without-offer"),
    ],
)
def test_an_article_carrying_product_or_thread_markup_stays_an_article(make_page: PageFactory, head: str) -> None:
    result = _extract(make_page, _page(head), "https://www.herald.example/2024/05/06/copper-kettles-are-back")
    assert isinstance(result, Article), result


def test_a_story_with_product_microdata_inside_its_article_markup_stays_an_article(make_page: PageFactory) -> None:
    body = (
        '<main itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Copper kettles</h1>'
        f'<time datetime="2024-05-06">6 May 2024</time><div itemprop="articleBody">{_PROSE}</div>'
        '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Kettle</span>'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">49</span></div>'
        "</div></main>"
    )
    result = _extract(make_page, _page("", body), "https://www.herald.example/2024/05/06/copper-kettles")
    assert isinstance(result, Article), result


_DATED_ARTICLE = (
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2026-02-26T14:07:09">'
)


@pytest.mark.parametrize(
    "site",
    ["Harbourdb 18 Documentation", "Kettle Docs", "Kettle Web Docs", "Documentación de Kettle 3 - Kettle Documentación",
     "Kettle-\u0434\u043e\u043a\u0443\u043c\u0435\u043d\u0442\u0430\u0446\u0438\u044f"],
)
def test_a_page_of_a_site_that_names_itself_documentation_is_not_an_article(make_page: PageFactory, site: str) -> None:
    # The template marks every page og:type article and dates it: the site's name says
    # what its pages are.
    head = f'<meta property="og:site_name" content="{site}">{_DATED_ARTICLE}'
    result = _extract(make_page, _page(head), "https://docs.example/18/select.html")
    assert isinstance(result, Rejection), result
    assert result.reason == "not_article" and result.detail == f"{DECLARED} a documentation site ({site!r})"


@pytest.mark.parametrize(
    ("site", "head"),
    [
        pytest.param("Kettle Docs Blog", "", id="a-blog-of-a-docs-site"),
        pytest.param("Docs and Kettle News", "", id="a-news-site"),
        pytest.param("Kettle Docs", _ld({"@type": "BlogPosting", "headline": "Copper kettle"}), id="json-ld-article"),
        pytest.param("Docsville Gazette", "", id="a-word-that-only-starts-so"),
        pytest.param("The Developer", "", id="no-docs-word"),
        # The word must end the name: a publisher of official reports, a documentary
        # channel, Swahili "wiki" (week), "文档" inside "中文档案" (Chinese archives).
        pytest.param("La Documentation nationale", "", id="documentation-first"),
        pytest.param("Kanal Dokumentation", "", id="german-documentary"),
        pytest.param("Habari za Wiki", "", id="swahili-week"),
        pytest.param("\u4e2d\u6587\u6863\u6848\u9986", "", id="chinese-archives"),
    ],
)
def test_a_site_name_that_says_stories_or_a_page_declaring_an_article_is_not_judged_a_manual(
    make_page: PageFactory, site: str, head: str
) -> None:
    head = f'<meta property="og:site_name" content="{site}">{_DATED_ARTICLE}{head}'
    result = _extract(make_page, _page(head), "https://www.kettle.example/2026/02/26/copper-kettle")
    assert isinstance(result, Article), result
