"""Authors as pages show them: "By" lines, byline boxes, links to authors' pages, and what
is not a byline (comments, form labels, buttons, other posts' authors)."""

from __future__ import annotations

import pytest
from extract_helpers import PROSE, PageFactory, html_page

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.authors import byline_piece, title_cased

URL = "https://www.herald.example/news/harbour-pier-reopens"


def _story(under_headline: str, head: str = "", after: str = "") -> str:
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    return html_page(
        f"<article><h1>Harbour pier reopens</h1>{under_headline}<div class='article-body'>{paragraphs}</div>"
        f"</article>{after}",
        head,
    )


def _extract(make_page: PageFactory, html: str) -> Article:
    result = Extractor(ExtractConfig()).extract(make_page(html, url=URL))
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize(
    ("under_headline", "expected"),
    [
        # A plain line, no class saying byline.
        ("<div class='info'><span>By Ann Example and Bo Sample</span></div>", ("Ann Example", "Bo Sample")),
        # A part of a date line.
        ("<div class='meta'>Published 3 March 2026, 14:05 · By Ann Example</div>", ("Ann Example",)),
        # A label and a link to the author's page, in no byline-classed box.
        ("<p class='meta'>Autor: <a href='/autor/ann-example'>Ann Example</a></p>", ("Ann Example",)),
        # Names side by side in their own elements, no separator in the text.
        ("<div class='article-byline'><div class='origins'><span>Ann Example</span><span>Bo Sample</span>"
         "<span>Cy Tester</span></div></div>", ("Ann Example", "Bo Sample", "Cy Tester")),
        # The box also holds the article's type and the writer's job.
        ("<div class='byline'><span class='kind'>Guide</span> <span>by</span> <span class='author'>Ann Example"
         "</span> <span class='job_title'>Former Deputy Tech Editor</span></div>", ("Ann Example",)),
        # A link to the author's page says more than the name: the address spells it.
        ("<div class='author'><a href='/author/ann-example'>Written by Ann Example Content Coordinator</a></div>",
         ("Ann Example",)),
        # Parts of a byline set in adjacent elements with no space between them in the markup.
        ("<p>By <a href='/team/'>Ann Example</a><span>Co-founder</span> and Chief Architect</p>", ("Ann Example",)),
    ],
)
def test_a_byline_on_the_page_names_the_authors(make_page: PageFactory, under_headline: str,
                                                expected: tuple[str, ...]) -> None:
    article = _extract(make_page, _story(under_headline))
    assert article.authors == expected
    # The line that says who wrote it is metadata, not a paragraph of the story.
    assert not any(p.startswith(("By Ann", "Ann Example")) for p in article.paragraphs)


@pytest.mark.parametrize(
    "under_headline",
    [
        # A teaser whose headline opens with "By", all of it link text.
        "<ul><li><a href='/news/by-land-and-sea'>By Land and Sea</a></li></ul>",
        # A sentence opening with "By".
        "<p class='standfirst'>By Tuesday the council had voted</p>",
        # Labels and buttons in boxes whose class says author.
        "<p class='author'>Author</p><a class='followAuthorBtn' href='/me/topics'>Edit topics</a>",
    ],
)
def test_what_only_looks_like_a_byline_names_no_author(make_page: PageFactory, under_headline: str) -> None:
    assert _extract(make_page, _story(under_headline)).authors == ()


def test_commenters_and_the_comment_form_are_not_authors(make_page: PageFactory) -> None:
    comments = (
        "<section id='comments'><ol class='commentlist'><li><div class='comment-author vcard'>"
        "<cite class='fn'>Rex Reader</cite> <span class='says'>says:</span></div><p>Great piece.</p></li></ol>"
        "<form><p class='comment-form-author'><label for='author'>Name *</label><input id='author'></p></form>"
        "</section>"
    )
    assert _extract(make_page, _story("", after=comments)).authors == ()


def test_a_newsroom_credit_stops_the_search_for_other_names(make_page: PageFactory) -> None:
    # The article is credited to the newsroom; the related posts below carry their own
    # authors' links, which are not this article's.
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Herald Staff"}}</script>'
    related = "".join(
        f"<li><a href='/news/other-{i}'>Other story {i}</a> <a rel='author' href='/author/{name}'>{name}</a></li>"
        for i, name in enumerate(("Cleo Other", "Dan Other", "Eve Other"))
    )
    article = _extract(make_page, _story("", head=ld, after=f"<aside><ul>{related}</ul></aside>"))
    assert article.authors == ()


def test_a_blogger_who_publishes_their_own_site_is_its_author(make_page: PageFactory) -> None:
    # The JSON-LD graph declares the publisher a Person: a person, not an outlet to drop.
    ld = (
        '<script type="application/ld+json">{"@graph": ['
        '{"@type": "Article", "headline": "Harbour pier reopens", "author": {"@id": "#me", "name": "Ann Example"},'
        ' "publisher": {"@id": "#me"}},'
        '{"@type": ["Person", "Organization"], "@id": "#me", "name": "Ann Example"}]}</script>'
    )
    assert _extract(make_page, _story("", head=ld)).authors == ("Ann Example",)


_ORGANISATION = '{"@type": "Organization", "name": "Herald"}'


@pytest.mark.parametrize(
    ("author", "creator", "expected"),
    [
        pytest.param(_ORGANISATION, '["\u5c71\u7530\u592a\u90ce"]', ("\u5c71\u7530\u592a\u90ce",), id="strings"),
        pytest.param(_ORGANISATION, '{"@type": "Person", "name": "Ann Example"}', ("Ann Example",), id="person"),
        # An empty author gives way to the creator too.
        pytest.param('""', '{"@type": "Person", "name": "Ann Example"}', ("Ann Example",), id="empty-author"),
        # A creator that is the organisation again names nobody.
        pytest.param(_ORGANISATION, '{"@type": "NewsMediaOrganization", "name": "Herald"}', (), id="organisation"),
    ],
)
def test_a_reporter_named_as_creator_is_the_author_when_the_author_is_the_organisation(
    make_page: PageFactory, author: str, creator: str, expected: tuple[str, ...]
) -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour pier reopens",'
        f' "author": {author}, "creator": {creator}}}</script>'
    )
    # The site shows the reporter's name alone under the headline: once the name is known,
    # that line is a byline, not the story's first paragraph.
    shown = f"<div class='meta'><span>{expected[0]}</span></div>" if expected else ""
    article = _extract(make_page, _story(shown, head=ld))
    assert article.authors == expected
    assert all(name not in article.paragraphs for name in expected)


def test_a_name_a_cms_wrote_in_lower_case_is_capitalised(make_page: PageFactory) -> None:
    article = _extract(make_page, _story("", head='<meta name="author" content="ann van example">'))
    assert article.authors == ("Ann van Example",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Ann Example", "By Ann Example"),
        ("Published 3 May 2026 · By Ann Example | 4 min read", "By Ann Example"),
        ("Von Erika Beispiel und Max Muster", "Von Erika Beispiel und Max Muster"),
        ("By the numbers: what the pier cost", None),
        ("By 2030 the pier will be rebuilt", None),
        ("Ann Example", None),
        ("Autorin: Erika Beispiel", "Autorin: Erika Beispiel"),
        ("Author: Ann Example · 3 min read", "Author: Ann Example"),
        ("Author: a guide to the harbour walk", None),
        ("Authors:", None),
        # Scripts without capitals: the by-word or the label is the evidence, and a
        # byline there is a name or two, not a sentence.
        ("بقلم سامي مثال", "بقلم سامي مثال"),
        ("מאת דנה דוגמה", "מאת דנה דוגמה"),
        ("作者：李示例", "作者：李示例"),
        ("記者：山田例", "記者：山田例"),
        ("نویسنده: علی نمونه", "نویسنده: علی نمونه"),
        ("بقلم سامي مثال وعدد كبير من الصحفيين في المدينة القديمة", None),
        ("作者", None),
        # Korean names the reporter first, the job after.
        ("홍예시 기자", "홍예시"),
        ("[서울=예시뉴스] 홍예시 기자 = ", "홍예시"),
        ("입력 2026.03.03 09:15 · 홍예시·김예시 기자", "홍예시·김예시"),
        ("기자회견에서 시장은 말했다", None),
        # Hindi and Bengali put "by" after the names ("द्वारा", "... लिखित": written by), or
        # label them ("लेखक:", author).
        ("अनीता उदाहरण द्वारा", "अनीता उदाहरण"),
        ("प्रकाशित: 3 मार्च 2026 · अनीता उदाहरण द्वारा लिखित", "अनीता उदाहरण"),
        ("লিপি নমুনা ও অমল নমুনা দ্বারা", "লিপি নমুনা ও অমল নমুনা"),
        ("लेखक: अनीता उदाहरण", "लेखक: अनीता उदाहरण"),
        ("تحریر: سلمیٰ مثال", "تحریر: سلمیٰ مثال"),
        # A clause that ends in "by" ("this plan, by the government"), and one name alone.
        ("यह योजना सरकार द्वारा", None),
        ("अनीता द्वारा", None),
        # An institution is no byline ("by the Election Commission", "by the metropolitan
        # police"), nor is a kicker after a word like a label ("Report: unemployment rose").
        ("केंद्रीय चुनाव आयोग द्वारा", None),
        ("ঢাকা মহানগর পুলিশ দ্বারা", None),
        ("लेखक: भारत में बेरोजगारी बढ़ी", None),
        ("लेखक: परिचय", None),
    ],
)
def test_byline_piece(line: str, expected: str | None) -> None:
    assert byline_piece(line) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ann example", "Ann Example"), ("Ann Example", "Ann Example"), ("admin", "admin"), ("ann.example", "ann.example")],
)
def test_title_cased(name: str, expected: str) -> None:
    assert title_cased(name) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("अनीता उदाहरण और विजय नमूना द्वारा", ("अनीता उदाहरण", "विजय नमूना")),
        # A name that starts with the letters of "और" (and) is one name.
        ("लेखक: औरंगज़ेब उदाहरण", ("औरंगज़ेब उदाहरण",)),
        # "<paper>'s correspondent" names a desk, not a person; a person's name and the job
        # after it name the person.
        ("हार्बर संवाददाता द्वारा", ()),
        ("लेखक: अनीता उदाहरण संवाददाता", ("अनीता उदाहरण",)),
    ],
)
def test_a_hindi_byline_names_its_authors(make_page: PageFactory, line: str, expected: tuple[str, ...]) -> None:
    article = _extract(make_page, _story(f"<div class='meta'>{line}</div>"))
    assert article.authors == expected


def test_a_hindi_byline_line_is_not_a_paragraph_of_the_story(make_page: PageFactory) -> None:
    # The author comes from the page's metadata; the line that credits her opens the body.
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    html = html_page(
        f"<article><h1>Harbour pier reopens</h1><div class='article-body'><p>अनीता उदाहरण द्वारा लिखित</p>"
        f"{paragraphs}</div></article>",
        '<meta name="author" content="अनीता उदाहरण">',
    )
    article = _extract(make_page, html)
    assert article.authors == ("अनीता उदाहरण",)
    assert article.paragraphs[0].startswith(PROSE[:20])


def test_the_byline_is_read_under_the_story_headline_not_the_logo(make_page: PageFactory) -> None:
    # The site sets its logo as the first <h1>; a long menu follows it, then the story's
    # own <h1> (the title: og:title shows it), its byline and its date line.
    menu = "".join(f"<li><a href='/section-{i}'>Section {i}</a></li>" for i in range(40))
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    html = html_page(
        f"<header><h1 class='brand'><a href='/'>Herald</a></h1><ul class='menu'>{menu}</ul></header>"
        "<main><h1>Harbour pier reopens</h1><p class='muted'>By Ann Example</p><p class='muted'>3 March 2026</p>"
        f"<div class='story'>{paragraphs}</div></main>",
        '<meta property="og:title" content="Harbour pier reopens">',
    )
    article = _extract(make_page, html)
    assert article.title == "Harbour pier reopens"
    assert article.authors == ("Ann Example",)
    assert article.published_at is not None and article.published_at.date().isoformat() == "2026-03-03"


def _byline_above(above: str, before_header: str = "") -> str:
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    return html_page(
        f"{before_header}<article><header class='story-head'><div class='kicker'>{above}</div>"
        f"<h1>Harbour pier reopens</h1></header><div class='article-body'>{paragraphs}</div></article>"
    )


@pytest.mark.parametrize(
    "above",
    [
        "By <a href='/people/ann-example'>Ann Example</a>",
        "<span>Harbour</span> <span class='sep'>|</span> <span>By Ann Example</span>",
    ],
)
def test_a_by_line_set_above_the_headline_names_the_author(make_page: PageFactory, above: str) -> None:
    article = _extract(make_page, _byline_above(above))
    assert article.authors == ("Ann Example",)
    assert not any("By Ann" in p for p in article.paragraphs)


def test_a_teaser_byline_in_a_column_before_the_story_is_not_its_author(make_page: PageFactory) -> None:
    # A column of other stories' teasers stands before the story in the markup, each with
    # its writer's "By" line: a box of many elements, not the headline's own header.
    teasers = "".join(
        f"<div class='teaser'><a href='/news/story-{i}'>Another story {i}</a><p>By Bo Sample</p></div>"
        for i in range(12)
    )
    html = _byline_above("Harbour", f"<aside class='column'>{teasers}</aside>")
    assert _extract(make_page, html).authors == ()


def test_an_arabic_byline_under_the_headline_names_the_author(make_page: PageFactory) -> None:
    article = _extract(make_page, _story("<div class='meta'>بقلم سامي مثال</div>"))
    assert article.authors == ("سامي مثال",)
    assert not any("بقلم" in p for p in article.paragraphs)


def test_a_by_line_far_above_the_headline_in_a_flat_page_is_not_its_author(make_page: PageFactory) -> None:
    # A flat page: a teaser's "By" line, then 25 boxes of links (passed over whole, each
    # too big to be a header line), then the headline. Only the siblings nearest the
    # headline are looked at.
    boxes = "".join(
        "<ul class='links'>" + "".join(f"<li><a href='/p{i}-{j}'>Note {j}</a></li>" for j in range(16)) + "</ul>"
        for i in range(25)
    )
    paragraphs = "".join(f"<p>{PROSE} ({i})</p>" for i in range(5))
    html = html_page(f"<p>By Bo Sample</p>{boxes}<h1>Harbour pier reopens</h1>{paragraphs}")
    assert _extract(make_page, html).authors == ()
