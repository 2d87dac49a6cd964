"""The Extractor's decisions: rejections and their reasons, identity, dates, language, stats."""

from __future__ import annotations

from datetime import UTC, datetime

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
import pytest
from extract_helpers import PROSE, PageFactory, article_html, html_page

from newsdedup.core.config import ExtractConfig, SelectorsConfig, SourceConfig
from newsdedup.core.records import REJECTION_REASONS, Article, PageHints, Rejection
from newsdedup.pipeline.extract import Extractor


@pytest.fixture
def extractor() -> Extractor:
    return Extractor(ExtractConfig())


def extract_article(extractor: Extractor, page: object) -> Article:
    result = extractor.extract(page)  # type: ignore[arg-type]
    assert isinstance(result, Article), f"expected an article, got {result}"
    return result


def extract_rejection(extractor: Extractor, page: object) -> Rejection:
    result = extractor.extract(page)  # type: ignore[arg-type]
    assert isinstance(result, Rejection), f"expected a rejection, got {result}"
    assert result.reason in REJECTION_REASONS
    assert result.detail
    return result


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 503])
def test_error_status_is_http_error_whatever_the_text(extractor: Extractor, make_page: PageFactory, status: int) -> None:
    rejection = extract_rejection(extractor, make_page(article_html(), status=status))
    assert rejection.reason == "http_error"
    assert str(status) in rejection.detail
    assert rejection.http_status == status


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/pdf", b"%PDF-1.7 ..."), ("image/jpeg", b"\xff\xd8\xff\xe0"), ("application/json", b'{"a": 1}')],
)
def test_non_html_content_type(extractor: Extractor, make_page: PageFactory, content_type: str, body: bytes) -> None:
    rejection = extract_rejection(extractor, make_page(body, headers={"content-type": content_type}))
    assert rejection.reason == "not_html"
    assert content_type in rejection.detail


def test_pdf_served_as_html_is_not_html(extractor: Extractor, make_page: PageFactory) -> None:
    rejection = extract_rejection(extractor, make_page(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3 binary"))
    assert rejection.reason == "not_html"
    assert "PDF" in rejection.detail


def test_binary_body_is_undecodable(extractor: Extractor, make_page: PageFactory) -> None:
    assert extract_rejection(extractor, make_page(bytes(range(256)) * 40)).reason == "undecodable"


def test_double_encoded_page_is_repaired_and_marked(extractor: Extractor, make_page: PageFactory) -> None:
    sentence = "Le conseil a voté le budget de l’année prochaine après un débat très animé."
    body = "".join(f"<p>{sentence} ({i})</p>" for i in range(6))
    mojibake = html_page(f"<article><h1>Budget voté</h1>{body}</article>", lang="fr")
    mojibake = mojibake.encode("utf-8").decode("sloppy-windows-1252")
    article = extract_article(extractor, make_page(mojibake))
    assert article.encoding_repaired
    assert sentence in article.text
    assert extractor.stats["extract/encoding_repaired"] == 1
    clean = extract_article(extractor, make_page(article_html()))
    assert not clean.encoding_repaired


def test_an_iso_2022_jp_page_is_extracted_as_japanese(extractor: Extractor, make_page: PageFactory) -> None:
    # 7-bit bytes, every one ASCII: the escape sequences, not a declaration, name the encoding.
    sentence = "東京都議会は火曜日、市の中心部を走る新しい路面電車の計画を賛成多数で承認した。"
    body = "".join(f"<p>{sentence}（{i}）</p>" for i in range(6))
    html = html_page(f"<article><h1>路面電車の計画を承認</h1>{body}</article>", lang="ja")
    article = extract_article(extractor, make_page(html.encode("iso2022_jp")))
    assert article.encoding == "iso-2022-jp"
    assert article.title == "路面電車の計画を承認"
    assert article.paragraphs[0] == f"{sentence}（0）"


def test_a_utf16_page_without_a_byte_order_mark_is_extracted(extractor: Extractor, make_page: PageFactory) -> None:
    html = article_html()
    article = extract_article(extractor, make_page(html.encode("utf-16-le")))
    assert article.encoding == "utf-16-le"
    assert article.text == extract_article(extractor, make_page(html)).text


def test_article_fields(extractor: Extractor, make_page: PageFactory) -> None:
    head = (
        '<meta property="article:published_time" content="2024-05-07T09:30:00+02:00">'
        '<meta name="author" content="By Jane Doe">'
    )
    article = extract_article(extractor, make_page(article_html(head=head)))
    assert article.title == "Council agrees budget"
    assert article.published_at == datetime(2024, 5, 7, 7, 30, tzinfo=UTC)
    assert article.published_from == "meta"
    assert article.authors == ("Jane Doe",)
    assert article.language == "en"
    assert article.encoding == "utf-8"
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith(PROSE)
    assert article.canonical_url == "https://www.herald.example/news/2024/05/07/budget"


def test_too_short_unless_marked_up_as_article_with_body(extractor: Extractor, make_page: PageFactory) -> None:
    short = html_page("<h1>Road closed</h1><p>Quay Street is closed after a burst water main.</p>")
    assert extract_rejection(extractor, make_page(short)).reason == "too_short"
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Road closed",'
        ' "articleBody": "Quay Street is closed after a burst water main."}</script>'
    )
    marked = html_page(
        "<article><h1>Road closed</h1><div class='article-body'><p>Quay Street is closed after a burst water main.</p></div></article>",
        head=ld,
    )
    article = extract_article(extractor, make_page(marked))
    assert article.paragraphs == ("Quay Street is closed after a burst water main.",)


def test_min_words_is_configurable(make_page: PageFactory) -> None:
    page = make_page(article_html(paragraphs=2))
    assert isinstance(Extractor(ExtractConfig(min_words=40)).extract(page), Article)
    rejection = Extractor(ExtractConfig(min_words=500)).extract(page)
    assert isinstance(rejection, Rejection) and rejection.reason == "too_short"


@pytest.mark.parametrize(
    "url",
    ["https://www.herald.example/", "https://www.herald.example/en/", "https://www.herald.example/tag/budget",
     "https://www.herald.example/author/jane-doe", "https://www.herald.example/search?q=budget",
     "https://www.herald.example/argomenti/bilancio", "https://www.herald.example/onderwerpen/begroting",
     "https://www.herald.example/kategoria/budzet", "https://www.herald.example/yazar/ayse-ornek"],
)
def test_home_tag_author_and_search_pages_are_not_articles(extractor: Extractor, make_page: PageFactory, url: str) -> None:
    page = make_page(html_page("<h1>Herald</h1>" + "".join(f"<p>{PROSE}</p>" for _ in range(4))), url=url)
    assert extract_rejection(extractor, page).reason == "not_article"


def test_article_markup_overrides_a_listing_like_url(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<meta property="og:type" content="article">'
    page = make_page(article_html(head=head), url="https://www.herald.example/topics/budget-2024")
    assert isinstance(extractor.extract(page), Article)


def test_collection_page_json_ld_is_not_an_article(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Budget"}</script>'
    rejection = extract_rejection(extractor, make_page(article_html(head=head)))
    assert rejection.reason == "not_article"
    assert "collectionpage" in rejection.detail


@pytest.mark.parametrize(
    "canonical",
    ["/news/2024/05/07/budget?utm_source=x", "https://herald.example/news/2024/05/07/budget"],
)
def test_same_site_canonical_is_the_identity(extractor: Extractor, make_page: PageFactory, canonical: str) -> None:
    head = f'<link rel="canonical" href="{canonical}">'
    page = make_page(article_html(head=head), url="https://www.herald.example/amp/news/2024/05/07/budget")
    article = extract_article(extractor, page)
    assert article.canonical_url in (
        "https://www.herald.example/news/2024/05/07/budget",
        "https://herald.example/news/2024/05/07/budget",
    )
    assert article.url == "https://www.herald.example/amp/news/2024/05/07/budget"


def test_cross_site_canonical_keeps_the_copy_its_own_identity(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<link rel="canonical" href="https://original.example/story/1"><meta property="og:url" content="https://original.example/story/1">'
    page = make_page(article_html(head=head), url="https://copy.example/2024/05/07/budget?utm_medium=rss")
    article = extract_article(extractor, page)
    assert article.canonical_url == "https://copy.example/2024/05/07/budget"
    assert extractor.stats["extract/cross_site_canonical"] == 1


def test_source_domains_make_sister_hosts_one_site(make_page: PageFactory) -> None:
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/",),
                          allowed_domains=("herald.example", "herald-news.example"))
    extractor = Extractor(ExtractConfig(), {"herald": source})
    head = '<link rel="canonical" href="https://herald-news.example/story/1">'
    article = extract_article(extractor, make_page(article_html(head=head)))
    assert article.canonical_url == "https://herald-news.example/story/1"


@pytest.mark.parametrize(
    ("canonical", "reason"),
    [
        ("https://www.herald.example/", "canonical_root"),
        ("/", "canonical_root"),
        ("https://www.herald.example/news", "canonical_section"),
        ("https://www.herald.example/news/2024/", "canonical_section"),
        ("https://www.herald.example/business/", "canonical_section"),  # a start URL
    ],
)
def test_canonical_naming_the_root_or_a_section_is_not_the_identity(
    make_page: PageFactory, canonical: str, reason: str
) -> None:
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/business",))
    extractor = Extractor(ExtractConfig(), {"herald": source})
    head = f'<link rel="canonical" href="{canonical}">'
    article = extract_article(extractor, make_page(article_html(head=head)))
    assert article.canonical_url == "https://www.herald.example/news/2024/05/07/budget"
    assert article.canonical_note is not None and article.canonical_note.startswith(reason)
    assert extractor.stats[f"extract/canonical_ignored/{reason}"] == 1


def test_a_sibling_canonical_is_still_taken(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<link rel="canonical" href="https://www.herald.example/news/2024/05/07/budget-plan">'
    article = extract_article(extractor, make_page(article_html(head=head)))
    assert article.canonical_url == "https://www.herald.example/news/2024/05/07/budget-plan"
    assert article.canonical_note is None


def test_source_tracking_params_are_stripped_from_the_identity(make_page: PageFactory) -> None:
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/",),
                          tracking_params=("trk", "campaign_*"))
    extractor = Extractor(ExtractConfig(), {"herald": source})
    # A headline slug: the page-kind rules take a one-word slug without article markup,
    # date or author for a landing page.
    url = "https://www.herald.example/news/council-agrees-budget?id=7&trk=a&campaign_x=1"
    page = make_page(article_html(), url=url)
    assert (extract_article(extractor, page).canonical_url
            == "https://www.herald.example/news/council-agrees-budget?id=7")


def test_page_from_an_amp_cache_takes_its_canonical(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<link rel="canonical" href="https://www.herald.example/news/2024/05/07/budget">'
    url = "https://www-herald-example.cdn.ampproject.org/c/s/www.herald.example/news/2024/05/07/budget"
    article = extract_article(extractor, make_page(article_html(head=head).replace("<html", "<html amp"), url=url))
    assert article.canonical_url == "https://www.herald.example/news/2024/05/07/budget"


@pytest.mark.parametrize(("origin", "expected"), [("feed", "feed"), ("sitemap", "sitemap"), (None, "feed")])
def test_feed_and_sitemap_dates_are_the_last_resort(make_page: PageFactory, origin: str | None, expected: str) -> None:
    extractor = Extractor(ExtractConfig())
    stamp = datetime(2024, 5, 6, 22, 0, tzinfo=UTC)
    hints = PageHints(title="Budget", published_at=stamp, published_from=origin)  # type: ignore[arg-type]
    article = extract_article(extractor, make_page(article_html(), url="https://www.herald.example/news/budget", hints=hints))
    assert (article.published_at, article.published_from) == (stamp, expected)


def test_page_dates_beat_feed_dates(extractor: Extractor, make_page: PageFactory) -> None:
    hints = PageHints(published_at=datetime(2020, 1, 1, tzinfo=UTC), published_from="feed")
    head = '<meta property="article:published_time" content="2024-05-07T09:30:00Z">'
    article = extract_article(extractor, make_page(article_html(head=head), hints=hints))
    assert article.published_from == "meta"


def test_source_language_hint_when_the_page_declares_none(make_page: PageFactory) -> None:
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/",), language="en")
    extractor = Extractor(ExtractConfig(), {"herald": source})
    html = article_html().replace(' lang="en"', "")
    assert extract_article(extractor, make_page(html)).language == "en"


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        (None, datetime(2024, 5, 7, 18, 17, tzinfo=UTC)),  # English: no zone to guess, UTC
        ("Europe/Kyiv", datetime(2024, 5, 7, 15, 17, tzinfo=UTC)),  # EEST, +03:00
        ("America/New_York", datetime(2024, 5, 7, 22, 17, tzinfo=UTC)),  # EDT, -04:00
    ],
)
def test_source_timezone_reads_dates_printed_without_one(
        make_page: PageFactory, timezone: str | None, expected: datetime) -> None:
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/",),
                          timezone=timezone)
    extractor = Extractor(ExtractConfig(), {"herald": source})
    html = html_page(
        "<article><h1>Council agrees budget</h1><p class='date'>7 May 2024, 18:17</p>"
        f"<div class='article-body'><p>{PROSE}</p><p>{PROSE} (2)</p></div></article>"
    )
    page = make_page(html, url="https://www.herald.example/news/council-budget")
    article = extract_article(extractor, page)
    assert (article.published_at, article.published_from) == (expected, "text")


def test_unknown_timezone_is_a_config_error() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown time zone 'Europe/Kiev2'"):
        SourceConfig(name="herald", start_urls=("https://h.example/",), timezone="Europe/Kiev2")


def test_language_is_detected_when_nothing_declares_it(extractor: Extractor, make_page: PageFactory) -> None:
    text = "Die Landesregierung verweist auf die gestiegene Lebenserwartung und auf den Personalmangel in den Wachen. "
    body = "<article><h1>Feuerwehr</h1><div class='article-body'>" + f"<p>{text * 3}</p>" * 3 + "</div></article>"
    html = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    assert extract_article(extractor, make_page(html)).language == "de"


def test_selectors_override_the_heuristics(make_page: PageFactory) -> None:
    source = SourceConfig(
        name="herald",
        start_urls=("https://www.herald.example/",),
        selectors=SelectorsConfig(body="div.txt", title="h2.hl", author="span.who", date="span.when", remove=("div.ad",)),
    )
    extractor = Extractor(ExtractConfig(), {"herald": source})
    html = html_page(
        "<h1>Site name</h1><h2 class='hl'>Real headline</h2><span class='who'>Jane Doe</span>"
        "<span class='when'>7 May 2024</span>"
        f"<div class='txt'>{PROSE}<br><br>{PROSE}<div class='ad'>BUY NOW</div></div>"
    )
    article = extract_article(extractor, make_page(html))
    assert article.title == "Real headline"
    assert article.authors == ("Jane Doe",)
    assert article.published_at == datetime(2024, 5, 7, tzinfo=UTC)
    assert article.paragraphs == (PROSE, PROSE)


def test_selectors_use_has_and_soup_contains(make_page: PageFactory) -> None:
    # The body box is the one holding the headline; a sponsor's box is known by its words,
    # not by a class. lxml's cssselect supports neither; soupsieve does.
    source = SourceConfig(
        name="herald",
        start_urls=("https://www.herald.example/",),
        selectors=SelectorsConfig(
            body="section:has(> h2.hl) > div",
            remove=("div:has(> p:-soup-contains('Sponsored content'))", "p:has(> a:only-child)"),
        ),
    )
    extractor = Extractor(ExtractConfig(), {"herald": source})
    teaser = f"<section><h3>Other news</h3><div>{PROSE} Teaser.</div></section>"
    story = (
        f"<section><h2 class='hl'>Real headline</h2><div><p>{PROSE}</p>"
        "<div><p>Sponsored content: a kitchen shop opens on the high street this week.</p></div>"
        f"<p><a href='/next'>Next story in this series</a></p><p>{PROSE} Second.</p></div></section>"
    )
    article = extract_article(extractor, make_page(html_page(teaser + story)))
    assert article.paragraphs == (PROSE, f"{PROSE} Second.")


def test_lead_and_headings_are_marked(extractor: Extractor, make_page: PageFactory) -> None:
    head = '<meta name="description" content="Councillors agreed the budget after six hours of debate on Tuesday night.">'
    body = (
        "<article><h1>Council agrees budget</h1>"
        "<p class='standfirst'>Councillors agreed the budget after six hours of debate on Tuesday night.</p>"
        f"<div class='article-body'><p>{PROSE}</p><h2>Schools get most</h2><p>{PROSE} Again.</p><p>{PROSE} Third.</p></div></article>"
    )
    article = extract_article(extractor, make_page(html_page(body, head)))
    assert article.kinds[0] == "lead"
    assert article.lead == "Councillors agreed the budget after six hours of debate on Tuesday night."
    assert ("heading", "Schools get most") in zip(article.kinds, article.paragraphs, strict=True)


def test_a_lead_the_body_sets_in_lines_is_not_put_first_again(extractor: Extractor, make_page: PageFactory) -> None:
    # The summary block repeats the meta description, set in lines (<br>): the body holds
    # it over several paragraphs, so the lead is already there.
    lines = [
        "The harbour board met on Monday to hear the plans for a new ferry terminal.",
        "Its members asked for a second survey of the seabed before any work begins.",
        "A decision is due in the spring, after the public has had its say on the design.",
    ]
    head = f'<meta name="description" content="{" ".join(lines)}">'
    body = (
        "<article><h1>Ferry terminal plans heard</h1>"
        f"<div class='article-body'><blockquote class='summary'>{'<br>'.join(lines)}</blockquote>"
        f"<p>{PROSE}</p><p>{PROSE} Again.</p><p>{PROSE} Third.</p></div></article>"
    )
    article = extract_article(extractor, make_page(html_page(body, head)))
    assert article.text.count(lines[1]) == 1


def test_stats_count_outcomes(extractor: Extractor, make_page: PageFactory) -> None:
    extractor.extract(make_page(article_html()))
    extractor.extract(make_page(article_html(), status=404))
    extractor.extract(make_page(b"", headers={"content-type": "text/html"}))
    assert extractor.stats["extract/article"] == 1
    assert extractor.stats["extract/http_error"] == 1
    assert extractor.stats["extract/too_short"] == 1


def test_run_streams_pages(extractor: Extractor, make_page: PageFactory) -> None:
    results = list(extractor.run([make_page(article_html()), make_page(article_html(), status=500)]))
    assert [type(r) for r in results] == [Article, Rejection]


def test_a_redirected_page_keeps_the_url_that_served_it(extractor: Extractor, make_page: PageFactory) -> None:
    """Fetched through an alias that redirects (a bare host), the article's url is where
    the story was served, so it does not change with which alias was fetched last."""
    page = make_page(article_html(), url="https://herald.example/news/2024/05/07/budget",
                     final_url="https://WWW.herald.example/news/2024/05/07/budget")
    assert extract_article(extractor, page).url == "https://www.herald.example/news/2024/05/07/budget"
    direct = make_page(article_html(), url="https://herald.example/news/2024/05/07/budget")
    assert extract_article(extractor, direct).url == "https://herald.example/news/2024/05/07/budget"


def test_a_redirect_target_loses_the_sources_tracking_params(make_page: PageFactory) -> None:
    """The URL that served a redirected page is canonicalised as its identity is: a
    tracking parameter the source configures is stripped from the article's url too."""
    source = SourceConfig(name="herald", start_urls=("https://www.herald.example/",),
                          tracking_params=("trk",))
    extractor = Extractor(ExtractConfig(), {"herald": source})
    page = make_page(article_html(), url="https://herald.example/news/2024/05/07/budget",
                     final_url="https://www.herald.example/news/2024/05/07/budget?trk=home&id=7")
    article = extract_article(extractor, page)
    assert article.url == "https://www.herald.example/news/2024/05/07/budget?id=7"
    assert article.url == article.canonical_url


def test_the_shown_headline_is_dropped_from_the_body_when_the_metadata_title_differs(
    extractor: Extractor, make_page: PageFactory,
) -> None:
    # The page shows one headline (<h1>) and declares another in its metadata; the body
    # must not open with the shown one.
    head = "<meta property='og:title' content='Budget 2025: what the council decided'>"
    shown = "Council agrees a budget after six hours of debate"
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    article = extract_article(extractor, make_page(html_page(f"<article><div><h1>{shown}</h1></div>{paragraphs}</article>", head)))
    assert article.title == "Budget 2025: what the council decided"
    assert article.paragraphs[0].startswith(PROSE)
    assert shown not in article.text


def test_a_line_naming_only_the_author_leaves_the_body(extractor: Extractor, make_page: PageFactory) -> None:
    # The byline set as a paragraph of its own under the headline: it is the article's
    # ``authors``, not its text. The same name inside a sentence stays.
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Ann Example"}}</script>'
    body = "".join(f"<p>{PROSE} ({i})</p>" for i in range(4))
    page = html_page(
        f"<article><h1>Council agrees budget</h1><p>Ann Example</p>{body}"
        f"<p>Ann Example reported from the council chamber, where the vote took an hour.</p></article>",
        f"<title>Council agrees budget</title>{ld}",
    )
    result = extractor.extract(make_page(page))
    assert isinstance(result, Article), result
    assert result.authors == ("Ann Example",)
    assert "Ann Example" not in result.paragraphs
    assert any(p.startswith("Ann Example reported") for p in result.paragraphs)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("pt", "Página não encontrada"),
        ("cs", "Stránka nebyla nalezena"),
        ("sv", "Sidan kunde inte hittas"),
        ("el", "Η σελίδα δεν βρέθηκε"),
        ("he", "הדף לא נמצא"),
        ("ar", "الصفحة غير موجودة"),
        ("zh", "页面不存在"),
        ("id", "Halaman tidak ditemukan"),
    ],
)
def test_a_page_whose_headline_says_not_found_is_a_soft_404(
    extractor: Extractor, make_page: PageFactory, lang: str, heading: str,
) -> None:
    html = html_page(f"<main><h1>{heading}</h1><p>{PROSE}</p></main>", f"<title>{heading}</title>", lang=lang)
    rejection = extract_rejection(extractor, make_page(html))
    assert rejection.reason == "soft_404"
    assert heading.lower() in rejection.detail.lower()
