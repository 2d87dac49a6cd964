"""Pages that are not articles (issue 9): section pages whose teasers read like
paragraphs, shops, forum threads and bare service pages; and the articles that look a
little like them (a related-stories box, no metadata but real prose) stay articles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dedup_stories import BUS_ZH, HEADLINES_TH, TRAM_TH, TRAM_ZH
from extract_helpers import PageFactory, html_page

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage, PageHints, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.classify import link_index_reason


def extract_article(extractor: Extractor, page: FetchedPage) -> Article:
    result = extractor.extract(page)
    assert isinstance(result, Article), f"expected an article, got {result}"
    return result


def extract_rejection(extractor: Extractor, page: FetchedPage) -> Rejection:
    result = extractor.extract(page)
    assert isinstance(result, Rejection), f"expected a rejection, got {result}"
    return result

TEASERS_EN = [
    ("Harbour bridge to open to buses in September",
     "The long-delayed crossing will carry buses and bicycles only during its first year, the "
     "council said on Monday, after engineers signed off the final safety checks on the deck "
     "and the approach roads were resurfaced over the winter months."),
    ("Heat warning issued for the whole coast this weekend",
     "Forecasters expect temperatures above thirty degrees on Saturday and Sunday, and the health "
     "service has asked people to check on elderly neighbours, drink plenty of water and avoid "
     "the midday sun wherever they possibly can."),
    ("Festival returns to the old port after five years",
     "Organisers expect forty thousand visitors over three days in August, with music on two "
     "stages, a market along the quay and boat trips around the bay that were sold out within "
     "hours of going on sale last week."),
    ("Family bakery wins national bread award",
     "The business, run by three generations of the same family, beat three hundred entries with "
     "a rye sourdough that takes two days to make, and plans to open a second shop in the town "
     "centre before the end of the year."),
    ("Dock strike ends after two-year pay deal",
     "Dockers voted by a large majority to accept the offer on Tuesday evening, ending a dispute "
     "that had kept ships waiting outside the harbour for nine days and left supermarket shelves "
     "short of fresh fruit across the region."),
]
TEASERS_DE = [
    ("Neue Brücke soll im September öffnen",
     "Die lange verzögerte Querung wird im ersten Jahr nur für Busse und Fahrräder freigegeben, "
     "teilte die Stadt am Montag mit, nachdem die Ingenieure die letzten Prüfungen am Brückendeck "
     "abgeschlossen und die Zufahrten im Winter erneuert hatten."),
    ("Hitzewarnung für die gesamte Küste",
     "Die Meteorologen erwarten am Samstag und Sonntag mehr als dreißig Grad, und die Behörden "
     "bitten darum, nach älteren Nachbarn zu sehen, viel Wasser zu trinken und die Mittagssonne "
     "nach Möglichkeit ganz zu meiden."),
    ("Hafenfest kehrt nach fünf Jahren zurück",
     "Die Veranstalter rechnen an drei Tagen im August mit vierzigtausend Besuchern, mit Musik auf "
     "zwei Bühnen, einem Markt entlang des Kais und Bootsfahrten durch die Bucht, die binnen "
     "Stunden ausverkauft waren."),
    ("Familienbäckerei gewinnt nationalen Brotpreis",
     "Der Betrieb, den drei Generationen derselben Familie führen, setzte sich mit einem "
     "Roggensauerteig gegen dreihundert Einsendungen durch und will noch vor Jahresende eine "
     "zweite Filiale in der Innenstadt eröffnen."),
]


def cards_template(teasers: list[tuple[str, str]], path: str) -> str:
    """A grid of cards: heading link, date, the teaser paragraph (one template)."""
    return "".join(
        f'<article class="card"><h2><a href="{path}{n}-story">{title}</a></h2>'
        f'<time datetime="2024-05-0{n + 1}">{n + 1} May 2024</time><p>{text}</p></article>'
        for n, (title, text) in enumerate(teasers)
    )


def lines_template(teasers: list[tuple[str, str]], path: str) -> str:
    """A news list: time, headline link, then the teaser paragraph (another template)."""
    return "".join(
        f'<div class="news-line"><span class="time">0{n + 1}.05 10:00</span> '
        f'<a href="{path}{n}-meldung.html">{title}</a><p class="anons">{text}</p></div>'
        for n, (title, text) in enumerate(teasers)
    )


def archive_template(teasers: list[tuple[str, str]], path: str) -> str:
    """A blog's archive: each card's first class numbers the post it shows (a third template)."""
    return "".join(
        f'<article id="post-{40 + n}" class="post-{40 + n} post type-post status-publish">'
        f'<h2 class="entry-title"><a href="{path}{n}-post/">{title}</a></h2>'
        f'<div class="entry-summary"><p>{text}</p></div></article>'
        for n, (title, text) in enumerate(teasers)
    )


def section_page(items: str, heading: str, lang: str) -> str:
    head = f'<title>{heading}</title><meta property="og:type" content="website">'
    nav = '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
    return html_page(f"{nav}<main><h1>{heading}</h1><section class='list'>{items}</section></main>", head, lang)


@pytest.mark.parametrize(
    ("url", "html"),
    [
        ("https://www.herald.example/news/harbour-and-coast-everything-we-know",
         section_page(cards_template(TEASERS_EN, "/news/"), "Harbour and coast", "en")),
        ("https://www.bote.example/nachrichten/stadt-und-hafen-alle-meldungen.html",
         section_page(lines_template(TEASERS_DE, "/nachrichten/"), "Stadt und Hafen", "de")),
    ],
    ids=["en-cards", "de-news-lines"],
)
def test_section_pages_with_paragraph_teasers_are_not_articles(make_page: PageFactory, url: str, html: str) -> None:
    rejection = extract_rejection(Extractor(ExtractConfig()), make_page(html, url=url))
    assert rejection.reason == "not_article"
    assert "teaser cards" in rejection.detail


def article_with_related_box(lang: str = "en") -> str:
    prose = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN)
    related = cards_template(TEASERS_EN[:4], "/news/related-")
    head = '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
    body = (
        f"<main><article><h1>Council agrees budget</h1>{prose}</article>"
        f"<section class='more'>{related}</section></main>"
    )
    return html_page(body, head, lang)


def test_an_article_with_a_box_of_teasers_stays_an_article(make_page: PageFactory) -> None:
    url = "https://www.herald.example/news/council-agrees-budget-after-six-hour-debate"
    article = extract_article(Extractor(ExtractConfig()), make_page(article_with_related_box(), url=url))
    assert len(article.paragraphs) >= 5


def test_an_undated_unmarked_page_of_real_prose_stays_an_article(make_page: PageFactory) -> None:
    prose = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN)
    page = make_page(html_page(f"<main><h1>Budget</h1>{prose}</main>"), url="https://www.herald.example/budget")
    assert extract_article(Extractor(ExtractConfig()), page).title == "Budget"


def chinese_cards(stories: tuple[str, ...], path: str) -> str:
    return "".join(
        f'<li class="card"><a href="{path}{n}.html"><h3>{text[:18]}</h3></a><p>{text[:60]}</p></li>'
        for n, text in enumerate(stories)
    )


def test_an_undated_chinese_story_with_a_box_of_teasers_stays_an_article(make_page: PageFactory) -> None:
    # Chinese paragraphs are one run of word characters each: counted by blank-separated
    # words, the story had no prose of its own and its box of teasers made it a section page.
    prose = "".join(f"<p>{first}{second}</p>" for first, second in zip(TRAM_ZH[::2], TRAM_ZH[1::2], strict=True))
    body = (
        f"<main><h1>\u6e2f\u6e7e\u5e02\u6279\u51c6\u65b0\u6709\u8f68\u7535\u8f66\u7ebf\u8def</h1>"
        f"<div class='content'>{prose}</div>"
        f"<section class='related'><ul>{chinese_cards(BUS_ZH, '/news/related-')}</ul></section></main>"
    )
    page = make_page(html_page(body, lang="zh-CN"), url="https://www.port.example/a/tram-line")
    article = extract_article(Extractor(ExtractConfig()), page)
    assert article.paragraphs == tuple(f"{a}{b}" for a, b in zip(TRAM_ZH[::2], TRAM_ZH[1::2], strict=True))


def test_an_undated_thai_story_with_a_box_of_teasers_stays_an_article(make_page: PageFactory) -> None:
    # Thai spaces its phrases, not its words, and its vowel signs are not word characters:
    # counted by spaces, no paragraph was prose.
    related = "".join(
        f'<li class="card"><a href="/news/{n}.html"><h3>{headline}</h3></a><p>{headline} {HEADLINES_TH[n - 1]}</p></li>'
        for n, headline in enumerate(HEADLINES_TH)
    )
    prose = "".join(f"<p>{paragraph}</p>" for paragraph in TRAM_TH)
    body = f"<main><h1>{HEADLINES_TH[0]}</h1><div class='content'>{prose}</div><section><ul>{related}</ul></section></main>"
    page = make_page(html_page(body, lang="th"), url="https://www.port.example/a/tram-line")
    assert extract_article(Extractor(ExtractConfig()), page).paragraphs == TRAM_TH


def test_a_chinese_section_page_of_teasers_is_not_an_article(make_page: PageFactory) -> None:
    cards = chinese_cards(BUS_ZH + TRAM_ZH, "/city/")
    body = f"<main><h1>\u57ce\u5e02\u65b0\u95fb</h1><ul>{cards}</ul></main>"
    page = make_page(html_page(body, lang="zh-CN"), url="https://www.port.example/city/")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article"


def dated_section_page(cards: str) -> str:
    """A section page as its template marks every page: og:type article and a date."""
    head = (
        '<title>Harbour</title><meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
    )
    body = f"<main><h1>Harbour</h1><section class='list'>{cards}</section></main>"
    return html_page(body, head, "en")


@pytest.mark.parametrize("how", ["feed date", "template markup", "blog archive"])
def test_a_dated_or_marked_section_page_whose_text_is_its_teasers_is_not_an_article(
    make_page: PageFactory, how: str,
) -> None:
    # A date (here from the feed that announced the page, or the template's own) keeps the
    # section rule back; the page's text, every word of it a teaser of another page, does not.
    url = "https://www.herald.example/news/harbour-and-coast-everything-we-know"
    if how == "feed date":
        hints = PageHints(published_at=datetime(2024, 5, 6, tzinfo=UTC), published_from="feed")
        page = make_page(section_page(cards_template(TEASERS_EN, "/news/"), "Harbour", "en"), url=url, hints=hints)
    elif how == "template markup":
        page = make_page(dated_section_page(cards_template(TEASERS_EN, "/news/")), url=url)
    else:
        page = make_page(dated_section_page(archive_template(TEASERS_EN, "/")), url=url)
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article"
    assert "words of its text stand in 5 teaser cards" in rejection.detail


def test_a_dated_story_with_teasers_inside_its_frame_stays_an_article(make_page: PageFactory) -> None:
    # Two paragraphs of the story's own and five teasers in the same frame: over a fifth of
    # the words are the story's (the case fails with the rule's share at 0.75), too many
    # for a section page.
    own = "".join(f"<p>{text}</p>" for _, text in TEASERS_DE[:2])
    head = '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
    body = f"<main><article><h1>Hafen</h1>{own}{cards_template(TEASERS_EN, '/news/more-')}</article></main>"
    page = make_page(html_page(body, head, "de"), url="https://www.bote.example/stadt/hafen-wird-erweitert-1234")
    article = extract_article(Extractor(ExtractConfig()), page)
    assert any(paragraph.startswith("Die lange verzögerte Querung") for paragraph in article.paragraphs)


def test_teaser_cards_of_several_paragraphs_are_cards(make_page: PageFactory) -> None:
    # A news office's cards carry a headline and a teaser of two or three paragraphs.
    items = "".join(
        f'<li class="col"><div><h4><a href="/news/{n}-item">{title}</a></h4></div>'
        f'<div><time datetime="2024-05-0{n + 1}">0{n + 1}/05/2024</time></div>'
        f'<div><p>{text}</p><p>{text}</p><p>{text}</p></div></li>'
        for n, (title, text) in enumerate(TEASERS_EN)
    )
    page = make_page(section_page(f"<ul class='row'>{items}</ul>", "News", "en"), url="https://www.office.example/news")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert "5 teaser cards" in rejection.detail


def test_a_shop_page_is_not_an_article(make_page: PageFactory) -> None:
    products = "".join(
        f'<div class="item"><h3>Kettle model {n}</h3><span class="amount">€{20 + n},99</span>'
        f"<button>Add</button></div>"
        for n in range(6)
    )
    page = make_page(html_page(f"<main><h1>Kettles</h1>{products}</main>"), url="https://shop.example/kettles")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "prices" in rejection.detail


def test_a_forum_thread_is_not_an_article(make_page: PageFactory) -> None:
    posts = "".join(
        f'<div class="post"><div class="post-author">user{n}</div><time>2024-05-0{n % 9 + 1}</time>'
        f'<div class="post-body"><p>{TEASERS_EN[n % 5][1]}</p></div><a class="reply" href="#r{n}">Reply</a></div>'
        for n in range(12)
    )
    head = '<meta property="og:type" content="website">'
    page = make_page(
        html_page(f"<main><h1>Which bridge opens first?</h1>{posts}</main>", head),
        url="https://forum.example/t/which-bridge-opens-first/123",
    )
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "forum" in rejection.detail


def blog_root(paragraphs: int, dated: bool = True) -> str:
    date = "<p class='meta'>Posted on <time datetime='2024-05-06'>6 May 2024</time></p>" if dated else ""
    prose = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN[:paragraphs])
    return html_page(f"<main><h1>Notes from the harbour</h1>{date}{prose}</main>")


def test_a_dated_post_at_a_blog_root_url_is_an_article(make_page: PageFactory) -> None:
    # A blog whose root URL shows its latest post.
    page = make_page(blog_root(3), url="https://notes.herald.example/")
    assert len(extract_article(Extractor(ExtractConfig()), page).paragraphs) == 3


@pytest.mark.parametrize(("paragraphs", "dated"), [(1, True), (3, False)])
def test_a_root_url_without_a_dated_story_is_a_home_page(make_page: PageFactory, paragraphs: int, dated: bool) -> None:
    page = make_page(blog_root(paragraphs, dated), url="https://notes.herald.example/")
    assert extract_rejection(Extractor(ExtractConfig()), page).detail.startswith("home page")


@pytest.mark.parametrize("dated", [False, True])
def test_a_root_url_declaring_an_article_is_a_home_page_only_without_any_date(
    make_page: PageFactory, dated: bool
) -> None:
    # A template's og:type says "article" on the site's home page too.
    head = '<meta property="og:type" content="article">'
    date = "<p class='meta'>Posted on <time datetime='2024-05-06'>6 May 2024</time></p>" if dated else ""
    prose = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN[:4])
    page = make_page(
        html_page(f"<main><h1>Notes from the harbour</h1>{date}{prose}</main>", head), url="https://notes.herald.example/"
    )
    result = Extractor(ExtractConfig()).extract(page)
    if dated:
        assert isinstance(result, Article), result
    else:
        assert isinstance(result, Rejection) and result.detail.startswith("home page"), result


def topic_story(paragraphs: int) -> str:
    """A story with a byline and one headline, no markup and no date."""
    prose = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN[:paragraphs])
    head = '<meta name="author" content="Jane Doe">'
    return html_page(f"<main><h1>Notes from the harbour</h1><p class='byline'>By Jane Doe</p>{prose}</main>", head)


def test_a_story_with_a_byline_under_a_listing_url_is_an_article(make_page: PageFactory) -> None:
    # A site that files its stories under /topics/: the URL hint yields to a byline over
    # the page's one headline and a body of prose.
    page = make_page(topic_story(3), url="https://www.herald.example/topics/harbour-works")
    assert len(extract_article(Extractor(ExtractConfig()), page).paragraphs) == 3


def test_a_listing_url_with_a_byline_and_little_prose_is_still_a_listing(make_page: PageFactory) -> None:
    page = make_page(topic_story(1), url="https://www.herald.example/topics/harbour-works")
    assert extract_rejection(Extractor(ExtractConfig()), page).detail.startswith("listing URL")


# No date in the path: the page's date is the one its metadata gives, if any.
BRIEF_URL = "https://www.herald.example/news/quay-street-closed"


def brief(head: str) -> str:
    """A dated brief of about 30 words under its one headline."""
    text = (
        "Quay Street is closed between the harbour and the market after a water main burst "
        "this morning; the council expects it to open again on Friday, and buses take the ring road."
    )
    return html_page(f"<article><h1>Quay Street closed</h1><div class='article-body'><p>{text}</p></div></article>", head)


def test_a_dated_brief_that_declares_itself_an_article_is_kept(make_page: PageFactory) -> None:
    head = (
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">'
    )
    article = extract_article(Extractor(ExtractConfig()), make_page(brief(head), url=BRIEF_URL))
    assert article.text.startswith("Quay Street is closed")


@pytest.mark.parametrize(
    "head",
    ['<meta property="og:type" content="article">',
     '<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">'],
)
def test_a_short_page_without_both_markup_and_date_is_too_short(make_page: PageFactory, head: str) -> None:
    page = make_page(brief(head), url=BRIEF_URL)
    assert extract_rejection(Extractor(ExtractConfig()), page).reason == "too_short"


def manual_page(sections: int, head: str = "", byline: str = "") -> str:
    """A software manual's page: each section a paragraph naming options in ``<code>``
    and a code block."""
    blocks = "".join(
        f"<h2>The <code>fold{n}</code> option</h2>"
        f"<p>{byline if n == 0 else ''}Set <code>fold{n}</code> to <code>true</code> to merge the "
        f"<code>left</code> and <code>right</code> tables; <code>limit</code> caps the rows and "
        f"<code>order</code> sorts them. {PROSE_EN}</p>"
        f"<pre><code>merge --fold{n}=true --limit=10 --order=name input.csv</code></pre>"
        for n in range(sections)
    )
    return html_page(f"<main><h1>Merging tables</h1>{blocks}</main>", head)


PROSE_EN = TEASERS_EN[0][1]


def test_a_manual_page_full_of_code_is_not_an_article(make_page: PageFactory) -> None:
    page = make_page(manual_page(14), url="https://tools.example/manual/merging-tables")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "documentation page" in rejection.detail


@pytest.mark.parametrize(
    ("sections", "head", "byline"),
    [
        pytest.param(14, '<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">', "",
                     id="dated"),
        pytest.param(14, '<meta property="og:type" content="article">', "", id="declared-article"),
        pytest.param(14, '<meta name="author" content="Ada Quill">', "", id="signed"),
        pytest.param(8, "", "", id="few-code-blocks"),
    ],
)
def test_a_tutorial_with_code_and_article_metadata_or_few_blocks_stays_an_article(
    make_page: PageFactory, sections: int, head: str, byline: str
) -> None:
    page = make_page(manual_page(sections, head, byline), url="https://tools.example/blog/merging-tables")
    result = Extractor(ExtractConfig()).extract(page)
    assert "documentation page" not in getattr(result, "detail", ""), result


@pytest.mark.parametrize(
    "url",
    [
        "https://tools.example/docs/tables/merging",
        "https://tools.example/en/3.2/guide/merging-tables",
        "https://tools.example/book/v2/merging-tables",
    ],
)
def test_an_unsigned_undated_page_with_code_under_a_manual_path_is_not_an_article(
    make_page: PageFactory, url: str
) -> None:
    page = make_page(manual_page(4), url=url)
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "URL lies under" in rejection.detail


@pytest.mark.parametrize(
    ("url", "head"),
    [
        pytest.param("https://tools.example/blog/how-to-read-the-docs", "", id="docs-word-in-the-slug"),
        pytest.param("https://tools.example/docs", "", id="docs-is-the-slug"),
        pytest.param("https://tools.example/docs/tables/merging",
                     '<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">', id="dated"),
        pytest.param("https://tools.example/docs/tables/merging", '<meta name="author" content="Ada Quill">',
                     id="signed"),
    ],
)
def test_a_page_with_code_outside_a_manual_path_or_with_article_metadata_stays_an_article(
    make_page: PageFactory, url: str, head: str
) -> None:
    page = make_page(manual_page(4, head), url=url)
    extract_article(Extractor(ExtractConfig()), page)


@pytest.mark.parametrize(
    ("head", "rejected"),
    [
        pytest.param('<meta property="og:type" content="article">', True, id="template-og-type"),
        pytest.param('<script type="application/ld+json">{"@context": "https://schema.org", '
                     '"@type": "TechArticle", "headline": "Merging tables"}</script>', False, id="json-ld-article"),
    ],
)
def test_a_manual_path_looks_past_a_template_og_type_but_not_past_a_json_ld_article(
    make_page: PageFactory, head: str, rejected: bool
) -> None:
    page = make_page(manual_page(4, head), url="https://tools.example/docs/tables/merging")
    result = Extractor(ExtractConfig()).extract(page)
    assert ("URL lies under" in getattr(result, "detail", "")) is rejected, result


def anchored_page(head: str = "", mark: str = "¶", code: bool = True) -> str:
    """A guide's page outside any manual path: each section's heading carries a permalink
    to its own anchor (``mark``), and one section names an option in ``<code>``."""
    sections = "".join(
        f'<h2 id="step-{n}">Step {n}<a class="anchor-mark" href="#step-{n}">{mark}</a></h2>'
        f"<p>{'Pass <code>--fold</code> to merge them. ' if code and n == 0 else ''}{PROSE_EN}</p>"
        for n in range(5)
    )
    return html_page(f"<main><h1>Merging tables</h1>{sections}</main>", head)


@pytest.mark.parametrize("mark", ["¶", "#", ""])
def test_a_guide_whose_headings_carry_permalinks_is_not_an_article(make_page: PageFactory, mark: str) -> None:
    page = make_page(anchored_page(mark=mark), url="https://tools.example/guide/merging-tables")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "headings with permalinks" in rejection.detail


@pytest.mark.parametrize(
    ("head", "code"),
    [
        pytest.param('<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">', True,
                     id="dated"),
        pytest.param('<meta name="author" content="Ada Quill">', True, id="signed"),
        pytest.param("", False, id="no-code"),
    ],
)
def test_permalinked_headings_on_a_dated_or_signed_page_or_one_without_code_stay_an_article(
    make_page: PageFactory, head: str, code: bool
) -> None:
    page = make_page(anchored_page(head, code=code), url="https://tools.example/guide/merging-tables")
    result = Extractor(ExtractConfig()).extract(page)
    assert "headings with permalinks" not in getattr(result, "detail", ""), result


def test_a_page_without_code_under_a_manual_path_is_not_judged_a_manual(make_page: PageFactory) -> None:
    story = html_page(f"<main><h1>Merging tables</h1>{''.join(f'<p>{PROSE_EN}</p>' for _ in range(5))}</main>")
    result = Extractor(ExtractConfig()).extract(make_page(story, url="https://tools.example/docs/tables/merging"))
    assert "URL lies under" not in getattr(result, "detail", ""), result


def thread_without_times(posts: int, interface: bool, head: str = "") -> str:
    """A forum thread whose posts show no ``<time>``: each post box a member card and a
    message; ``interface`` adds the forum's own words to each (member since, post count,
    reply and quote buttons, an age)."""
    boxes = "".join(
        f'<div class="post"><div class="postprofile">member{n}'
        + (f"<span>Joined: March 2019</span><span>Posts: {n + 3}</span>" if interface else "")
        + f'</div><div class="postbody"><p>{TEASERS_EN[n % 5][1]}</p></div>'
        + (f"<span>{n + 2} days ago</span><a href='#q{n}'>Quote</a><a href='#r{n}'>Reply</a>" if interface else "")
        + "</div>"
        for n in range(posts)
    )
    return html_page(f"<main><h1>Which bridge opens first?</h1>{boxes}</main>", head)


def test_a_thread_full_of_a_forums_words_is_not_an_article(make_page: PageFactory) -> None:
    page = make_page(thread_without_times(16, interface=True), url="https://talk.example/board/bridges/4711")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "forum phrases" in rejection.detail


@pytest.mark.parametrize(
    ("interface", "head"),
    [
        pytest.param(False, "", id="post-boxes-without-a-forums-words"),
        pytest.param(True, '<meta property="og:type" content="article">', id="declared-article"),
    ],
)
def test_post_boxes_without_a_forums_words_or_under_article_markup_are_not_a_talk_thread(
    make_page: PageFactory, interface: bool, head: str
) -> None:
    page = make_page(thread_without_times(16, interface, head), url="https://talk.example/board/bridges/4711")
    result = Extractor(ExtractConfig()).extract(page)
    assert "forum phrases" not in getattr(result, "detail", ""), result


def thread_with_members(posts: int, members: int, head: str = "", host: str = "talk.example", online: int = 0) -> str:
    """A forum thread whose posts show no ``<time>`` and none of a forum's words: each post
    box a link to its author's member page (``members`` distinct ones, on ``host``) and a
    message; ``online`` more member pages linked in a list beside the thread."""
    boxes = "".join(
        f'<div class="post"><div class="postprofile"><a href="https://{host}/members/poster-{n % members}.{n % members}/">'
        f'poster {n % members}</a></div><div class="postbody"><p>{TEASERS_EN[n % 5][1]}</p></div></div>'
        for n in range(posts)
    )
    listed = "".join(f'<li><a href="https://{host}/members/reader-{n}.{n}/">reader {n}</a></li>' for n in range(online))
    return html_page(f"<main><h1>Which bridge opens first?</h1>{boxes}<ul>{listed}</ul></main>", head)


@pytest.mark.parametrize(
    "head", ["", '<meta property="og:type" content="article">'], ids=["unmarked", "template-og-type"]
)
def test_a_thread_linking_many_members_is_not_an_article(make_page: PageFactory, head: str) -> None:
    page = make_page(thread_with_members(16, 12, head), url="https://talk.example/threads/bridges.4711/")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "member pages" in rejection.detail


@pytest.mark.parametrize(
    ("posts", "members", "head", "host"),
    [
        pytest.param(16, 6, "", "talk.example", id="few-members"),
        pytest.param(4, 4, "", "talk.example", id="few-post-boxes"),
        pytest.param(16, 12, "", "elsewhere.example", id="members-of-another-site"),
        # Links that are no URL (an unbalanced IPv6 bracket) link no page, and break nothing.
        pytest.param(16, 12, "", "[talk.example", id="malformed-links"),
        pytest.param(16, 12, '<script type="application/ld+json">{"@context": "https://schema.org", '
                     '"@type": "BlogPosting", "headline": "Which bridge opens first?"}</script>', "talk.example",
                     id="json-ld-article"),
    ],
)
def test_post_boxes_without_many_members_of_the_site_or_under_json_ld_are_not_judged_by_their_people(
    make_page: PageFactory, posts: int, members: int, head: str, host: str
) -> None:
    html = thread_with_members(posts, members, head, host, online=12 if posts < 5 else 0)
    page = make_page(html, url="https://talk.example/threads/bridges.4711/")
    result = Extractor(ExtractConfig()).extract(page)
    assert "member pages" not in getattr(result, "detail", ""), result


PITCH_EN = [
    "Our help desk brings every customer question from mail, chat and phone into one shared inbox, so "
    "that your team answers faster, never replies twice to the same person and always sees the whole "
    "history of a customer before writing back to them.",
    "Routing rules send each new ticket to the right agent by topic, language and workload, and our "
    "reports show your team how quickly it answers, which questions come back most often and where "
    "customers wait too long for a reply from your staff.",
    "Thousands of growing companies trust our platform to support their customers. Start a free trial "
    "today with no credit card, invite your whole team, connect your mail and chat in minutes and "
    "upgrade to a paid plan whenever you are ready to grow.",
    "Automations close solved tickets, remind agents of open ones and tag each question by its topic, "
    "while the mobile app lets your team answer customers from anywhere, with the same shared inbox, "
    "the same saved replies and the same full customer history.",
    "Integrations connect the help desk to your shop, your billing system and your chat tools, so that "
    "each agent sees orders, invoices and earlier conversations next to the ticket and can solve the "
    "question without switching between several different tools.",
    "Our onboarding team helps you move your old tickets, set up your routing rules and train your "
    "agents, and our support team answers your own questions around the clock, every day of the year, "
    "in English, German, French and Spanish at no extra cost.",
]


def landing_page(prose: int) -> str:
    """A product's landing page: a pitch in a few paragraphs, feature boxes under their own
    headings, buttons that sell, and no article metadata."""
    features = "".join(
        f"<section class='feature'><h2>{name}</h2><p>Plans from 9 a month.</p>"
        f"<a class='button' href='/signup'>Get started</a><button>Request a demo</button></section>"
        for name in ("Shared inbox", "Ticket routing", "Reports", "Automations", "Integrations", "Mobile app")
    )
    pitch = "".join(f"<p>{PITCH_EN[n]}</p>" for n in range(prose))
    head = '<meta property="og:type" content="website">'
    return html_page(f"<main><h1>Help desk software</h1>{pitch}{features}"
                     "<a class='button' href='/trial'>Start a free trial</a></main>", head)


def test_a_landing_page_with_a_few_paragraphs_and_a_one_word_slug_is_not_an_article(make_page: PageFactory) -> None:
    page = make_page(landing_page(3), url="https://desk.example/helpdesk/")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "landing page" in rejection.detail


@pytest.mark.parametrize(
    ("prose", "url"),
    [
        pytest.param(3, "https://desk.example/help/how-we-answer-tickets", id="headline-slug"),
        pytest.param(6, "https://desk.example/helpdesk/", id="many-paragraphs"),
    ],
)
def test_a_landing_rule_needs_a_one_word_slug_and_few_paragraphs(make_page: PageFactory, prose: int, url: str) -> None:
    result = Extractor(ExtractConfig()).extract(make_page(landing_page(prose), url=url))
    assert "landing page" not in getattr(result, "detail", ""), result


def test_a_page_with_no_article_metadata_that_the_model_reads_as_a_pitch_is_not_an_article(
    make_page: PageFactory,
) -> None:
    # A three-word slug: the landing rule does not ask it; the model confirms at its veto line.
    page = make_page(landing_page(2), url="https://desk.example/help-desk-software/")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article" and "no article metadata" in rejection.detail
    assert "page-kind model agrees" in rejection.detail


def test_the_same_pitch_with_few_buttons_is_not_judged_by_the_unmarked_rule(make_page: PageFactory) -> None:
    few = landing_page(2).replace("<button>Request a demo</button>", "", 3)
    result = Extractor(ExtractConfig()).extract(make_page(few, url="https://desk.example/help-desk-software/"))
    assert "no article metadata" not in getattr(result, "detail", ""), result


def test_the_same_pitch_with_a_byline_and_a_date_is_not_judged_by_the_unmarked_rule(make_page: PageFactory) -> None:
    dated = landing_page(2).replace(
        "<head>", '<head><meta property="article:published_time" content="2024-05-07T09:30:00Z">'
        '<meta name="author" content="Ann Writer">', 1)
    result = Extractor(ExtractConfig()).extract(make_page(dated, url="https://desk.example/help-desk-software/"))
    assert "no article metadata" not in getattr(result, "detail", ""), result


def test_a_template_og_type_article_alone_does_not_keep_the_pitch_from_the_rule_but_a_json_ld_article_does(
    make_page: PageFactory,
) -> None:
    def rules_of(html: str) -> dict[str, float]:
        extractor = Extractor(ExtractConfig())
        seen: list[dict[str, float]] = []
        extractor.on_page_vector = seen.append
        extractor.extract(make_page(html, url="https://desk.example/help-desk-software/"))
        return seen[0]

    og_only = landing_page(2).replace('content="website"', 'content="article"', 1)
    assert rules_of(og_only).get("rule_unmarked") == 1.0
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Help desk software"}</script>'
    assert "rule_unmarked" not in rules_of(og_only.replace("<head>", f"<head>{ld}", 1))


def link_index_page(links: int, *, prose: int = 0) -> str:
    """A page dated and marked up as a story by its template, whose text is a list of
    headline links to other stories (an archive of a day, an index of a topic), after
    ``prose`` paragraphs of text of its own."""
    head = (
        '<title>Harbour</title><meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour"}</script>'
    )
    own = "".join(f"<p>{text} {text}</p>" for _, text in TEASERS_EN[:prose])
    items = "".join(
        f'<li><a href="/news/2024/05/{n:02d}/story-{n}">{TEASERS_EN[n % 5][0]}, part {n}</a></li>'
        for n in range(links)
    )
    return html_page(f"<main><h1>Harbour</h1>{own}<ul>{items}</ul></main>", head, "en")


def test_a_page_whose_text_is_a_list_of_links_is_not_an_article_whatever_it_declares(make_page: PageFactory) -> None:
    # Dated, marked up as a NewsArticle, at a dated URL: the model reads such a bare list,
    # with no chrome around it, as a story; the body, all of it link text, is no story.
    page = make_page(link_index_page(30), url="https://www.herald.example/2024/05/07/harbour-stories-of-the-day")
    rejection = extract_rejection(Extractor(ExtractConfig()), page)
    assert rejection.reason == "not_article"
    assert "an index of links" in rejection.detail


def test_a_story_of_short_paragraphs_linking_other_stories_is_not_an_index(make_page: PageFactory) -> None:
    # A live report: short paragraphs, every other one linking the story it sums up, so
    # a sixth of the body's words are link text (the case fails with the rule's share at 0.15).
    head = '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
    items = "".join(
        f'<p>At {n + 8} o\'clock the harbour office said that <a href="/news/2024/05/{n:02d}/story-{n}">'
        f"{TEASERS_EN[n % 5][0].lower()}</a>, as crews worked through the morning.</p>"
        if n % 2 == 0 else
        f"<p>At {n + 8} o'clock the harbour office said that {TEASERS_EN[n % 5][0].lower()}, "
        "as crews worked through the morning.</p>"
        for n in range(10)
    )
    page = make_page(
        html_page(f"<main><h1>Harbour day, as it happened</h1>{items}</main>", head, "en"),
        url="https://www.herald.example/2024/05/07/harbour-day-as-it-happened",
    )
    article = extract_article(Extractor(ExtractConfig()), page)
    assert len(article.paragraphs) == 10


@pytest.mark.parametrize(
    ("share", "paragraphs", "called"),
    [(0.9, 5, True), (1.0, 300, True), (0.89, 50, False), (1.0, 4, False)],
)
def test_an_index_of_links_needs_nine_tenths_link_text_over_five_paragraphs(
    share: float, paragraphs: int, called: bool
) -> None:
    assert (link_index_reason(share, paragraphs) is not None) is called
