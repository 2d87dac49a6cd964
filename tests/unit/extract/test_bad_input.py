"""Bad input never crashes or hangs: explicit nasty pages, and hypothesis over random and
mutated HTML. The per-call bound on CPU time is a hang guard, not a performance assertion."""

from __future__ import annotations

import pytest
from extract_helpers import PROSE, PageFactory, article_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import cpu_hang_guard

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article, FetchedPage, Rejection
from newsdedup.pipeline.extract import Extractor

# CPU seconds per call that only a runaway extractor (a loop that never ends, a quadratic
# blow-up) would spend: ~10x the worst case measured (0.8 s for the page of 20,000
# attributes; 3.8 s for 5 MB of paragraphs). Not a performance assertion.
HANG_GUARD_CPU_SECONDS = 10.0
BIG_PAGE_GUARD_CPU_SECONDS = 40.0

EXTRACTOR = Extractor(ExtractConfig())


def guarded_extract(page: FetchedPage, bound: float = HANG_GUARD_CPU_SECONDS) -> Article | Rejection:
    with cpu_hang_guard(bound, "extract"):
        result = EXTRACTOR.extract(page)
    assert isinstance(result, (Article, Rejection))
    return result


PARAGRAPH = f"<p>{PROSE}</p>\n"
NASTY = {
    "empty body": b"",
    "whitespace": b"   \n\t  ",
    "binary": bytes(range(256)) * 64,
    "high bytes": bytes((i * 37 + 11) % 255 + 1 for i in range(40_000)),
    "10,000 nested divs": ("<html><body>" + "<div>" * 10_000 + PARAGRAPH * 3 + "</div>" * 10_000 + "</body></html>").encode(),
    "nested tables": ("<html><body>" + "<table><tr><td>" * 3_000 + PARAGRAPH + "</td></tr></table>" * 3_000 + "</body></html>").encode(),
    "broken markup": b"<html><body><p>unclosed <b>bold <i>italic <div><table><tr><td>cell <p>" + PARAGRAPH.encode() * 3 + b"</td></span></html></body><<<>>>",
    "script only": b"<html><head><script>document.write('<p>hello</p>')</script></head><body><script>var x = 1;</script></body></html>",
    "style only": b"<html><head><style>p{color:red}</style></head><body><style>div{}</style></body></html>",
    "xml declaration": b'<?xml version="1.0" encoding="utf-8"?><html><body>' + PARAGRAPH.encode() * 4 + b"</body></html>",
    "nul in the middle": b"<html><body>" + PARAGRAPH.encode() * 2 + b"\x00" * 5 + PARAGRAPH.encode() * 2 + b"</body></html>",
    "broken json-ld": b'<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script></head><body>' + PARAGRAPH.encode() * 4 + b"</body></html>",
    "many attributes": ("<html><body><p " + " ".join(f'a{i}="{i}"' for i in range(20_000)) + ">text</p></body></html>").encode(),
    "only a comment": b"<!-- nothing here -->",
    "plain text": (PROSE + "\n") .encode() * 20,
}


@pytest.mark.parametrize("body", NASTY.values(), ids=NASTY.keys())
def test_nasty_inputs_give_a_record_or_a_rejection(make_page: PageFactory, body: bytes) -> None:
    guarded_extract(make_page(body))


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        ("<html><body><article>" + PARAGRAPH * (5_000_000 // len(PARAGRAPH)) + "</article></body></html>").encode(),
        ("<html><body>" + "<div><span>x</span> menu item</div>" * 150_000 + "</body></html>").encode(),
        ("<html><head><script>" + "var a=1;" * 650_000 + "</script></head><body>" + PARAGRAPH * 3 + "</body></html>").encode(),
    ],
    ids=["5 MB of paragraphs", "5 MB of tiny divs", "5 MB of script"],
)
def test_five_megabyte_pages_finish(make_page: PageFactory, body: bytes) -> None:
    assert len(body) > 4_500_000
    guarded_extract(make_page(body), BIG_PAGE_GUARD_CPU_SECONDS)


TAGS = ["p", "div", "span", "a", "h1", "h2", "li", "ul", "table", "td", "article", "section",
        "script", "style", "figure", "aside", "nav", "br", "time", "meta", "title", "head", "body"]
ATTRIBUTES = ['class="article-body"', 'class="share"', 'itemprop="articleBody"', 'href="/x"',
              'rel="canonical" href="//x"', 'property="og:title" content="T"', 'lang="de"', 'datetime="2024-05-07"',
              'charset="windows-1251"', 'type="application/ld+json"', ""]
WORDS = st.sampled_from(["the", "council", "Страница", "не", "найдена", "404", "Read more", "©", "&amp;", "&#0;",
                         "<", ">", "\"", "'", "日本語", "🙂", "\u200b", "\ufffd", "Share", PROSE])


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))} {draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        else:
            parts.append(" ".join(draw(st.lists(WORDS, max_size=12))))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(fragment=html_fragments(), charset=st.sampled_from(["utf-8", "windows-1251", "latin-1", ""]), status=st.sampled_from([200, 200, 200, 404]))
def test_random_html_never_crashes(make_page: PageFactory, fragment: str, charset: str, status: int) -> None:
    headers = {"content-type": f"text/html; charset={charset}" if charset else "text/html"}
    guarded_extract(make_page(fragment.encode("utf-8", "surrogatepass"), headers=headers, status=status))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_articles_never_crash(make_page: PageFactory, data: st.DataObject) -> None:
    body = bytearray(article_html(paragraphs=4, head='<meta name="description" content="Councillors agreed the budget.">').encode())
    for _ in range(data.draw(st.integers(1, 25))):
        operation = data.draw(st.integers(0, 3))
        position = data.draw(st.integers(0, max(0, len(body) - 1)))
        if operation == 0 and body:
            del body[position : position + data.draw(st.integers(1, 40))]
        elif operation == 1:
            body[position:position] = data.draw(st.binary(max_size=30))
        elif operation == 2:
            body[position:position] = data.draw(st.sampled_from([b"<", b">", b"</div>", b"<script>", b"<!--", b"\xff\xfe", b"&#x0;", b"<html amp>"]))
        elif body:
            start = data.draw(st.integers(0, len(body) - 1))
            body[position:position] = body[start : start + data.draw(st.integers(1, 200))]
    guarded_extract(make_page(bytes(body)))


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>")],
    ids=["nested divs", "nested table cells"],
)
def test_an_article_set_deep_in_its_template_keeps_its_text(make_page: PageFactory, opening: str, closing: str) -> None:
    """libxml2 stops parsing at 256 levels unless told that the tree may be huge: a page
    nested deeper (a template's wrappers, a table of tables, tags never closed) lost its
    story and everything after it, and was rejected as too short."""
    depth = 600
    story = "".join(f"<p>{PROSE} ({i})</p>" for i in range(4))
    after = "".join(f"<p>{PROSE} [after {i}]</p>" for i in range(2))
    html = (
        "<html><head><title>Council agrees budget</title></head><body><h1>Council agrees budget</h1>"
        + opening * depth + story + closing * depth + after + "</body></html>"
    )
    result = guarded_extract(make_page(html.encode()))
    assert isinstance(result, Article), result
    text = "\n".join(result.paragraphs)
    assert "(3)" in text
    assert "[after 1]" in text


def test_json_ld_nested_past_the_parser_stack_is_ignored(make_page: PageFactory) -> None:
    """A JSON-LD block of arrays nested 100,000 deep raised RecursionError in the JSON
    parser: the page was lost to an exception. The block is unreadable, the story is not."""
    nested = "[" * 100_000 + "]" * 100_000
    html = article_html(head=f'<script type="application/ld+json">{nested}</script>')
    result = guarded_extract(make_page(html.encode()))
    assert isinstance(result, Article), result
    assert "(4)" in "\n".join(result.paragraphs)


def test_control_characters_spelled_in_json_ld_reach_no_field(make_page: PageFactory) -> None:
    """The parser cuts control characters from the page, but JSON on it spells them as
    "\\u0000": a NUL in the headline or an author's name made Postgres refuse the article."""
    ld = ('{"@type": "NewsArticle", "headline": "Council \\u0000agrees\\u0007 budget", '
          '"author": {"@type": "Person", "name": "Daria \\u0000Shulzhenko"}, '
          '"datePublished": "2025-06-07T15:17:00Z"}')
    html = article_html(head=f'<script type="application/ld+json">{ld}</script>')
    result = guarded_extract(make_page(html.encode()))
    assert isinstance(result, Article), result
    assert result.title == "Council agrees budget"
    assert result.authors == ("Daria Shulzhenko",)
    fields = [result.title or "", *result.authors, *result.paragraphs]
    assert not [text for text in fields if any(ord(c) < 32 and c not in "\t\n\r" for c in text)]
