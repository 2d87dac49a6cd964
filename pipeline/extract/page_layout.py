"""How a whole page is laid out: its text inside and outside links, headings, forms, tables.

One walk over the parsed page before chrome is pruned (the first ``_MAX_SCANNED``
elements). The counts feed the page-kind model (``page_model``); nothing here names a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.prune import CHROME_REGIONS, CHROME_ROLES
from newsdedup.pipeline.extract.text import PROSE_WORDS, SENTENCE_END, WORD, length_in_words

__all__ = ["PageLayout", "read_layout"]

_MAX_SCANNED = 20_000
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "select", "option"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FORM_FIELDS = frozenset({"input", "textarea", "select"})
_DATE_MIN_CHARS = 6
_HEADLINE_WORDS = 4
_DIGIT = re.compile(r"\d")
_DATE = re.compile(
    r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b|\b[0-3]?\d[./][01]?\d[./](?:19|20)?\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? [0-3]?\d,? (?:19|20)\d\d\b|"
    r"\b[0-3]?\d\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (?:19|20)\d\d\b",
    re.IGNORECASE,
)
_CLASS_COMMENT = re.compile(r"comment|reply|replies|respon", re.IGNORECASE)
_CLASS_DOCS = re.compile(r"(?:^|[\s_-])(?:toc|docs?|documentation|api|sidebar-nav|menu-item|breadcrumbs?)(?:$|[\s_-])",
                         re.IGNORECASE)
_CLASS_PRODUCT = re.compile(r"product|price|cart|basket|checkout|sku|add-to|buy", re.IGNORECASE)
_CLASS_CARD = re.compile(r"card|teaser|tile|item|entry|excerpt|summary|preview", re.IGNORECASE)
_ITEMPROP_PRODUCT = frozenset({"price", "offers", "pricecurrency", "sku", "availability", "brand", "gtin13"})
_ITEMPROP_ARTICLE = frozenset({"articlebody", "datepublished", "author", "headline"})
_ITEMPROP_FORUM = frozenset({"comment", "suggestedanswer", "acceptedanswer", "answer", "upvotecount", "commentcount"})


@dataclass(slots=True)
class PageLayout:
    """Counts over the page; ``*_chars`` are characters of visible text."""

    chars: int = 0
    link_chars: int = 0
    chrome_chars: int = 0
    content_link_chars: int = 0
    table_chars: int = 0
    heading_chars: int = 0
    anchors: int = 0
    headline_anchors: int = 0
    headings: int = 0
    h1: int = 0
    h2: int = 0
    h3: int = 0
    linked_headings: int = 0
    paragraphs: int = 0
    prose_paragraphs: int = 0
    paragraph_words: int = 0
    sentence_paragraphs: int = 0
    list_items: int = 0
    linked_items: int = 0
    forms: int = 0
    fields: int = 0
    buttons: int = 0
    tables: int = 0
    pres: int = 0
    codes: int = 0
    images: int = 0
    iframes: int = 0
    articles: int = 0
    comment_boxes: int = 0
    docs_boxes: int = 0
    product_boxes: int = 0
    card_boxes: int = 0
    product_props: int = 0
    article_props: int = 0
    forum_props: int = 0
    dates: int = 0
    rel_author: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Where a piece of text sits: bit flags carried down the walk.
_IN_LINK, _IN_CHROME, _IN_TABLE, _IN_HEADING = 1, 2, 4, 8


def _flags_of(element: HtmlElement, tag: str, inherited: int) -> int:
    flags = inherited
    if tag == "a":
        flags |= _IN_LINK
    elif tag in CHROME_REGIONS or element.get("role") in CHROME_ROLES:
        flags |= _IN_CHROME
    elif tag == "table":
        flags |= _IN_TABLE
    elif tag in _HEADINGS:
        flags |= _IN_HEADING
    return flags


def _add_text(layout: PageLayout, text: str | None, flags: int) -> None:
    if not text:
        return
    size = len(text.strip())
    if not size:
        return
    layout.chars += size
    if flags & _IN_LINK:
        layout.link_chars += size
        if not flags & _IN_CHROME:
            layout.content_link_chars += size
    if flags & _IN_CHROME:
        layout.chrome_chars += size
    if flags & _IN_TABLE:
        layout.table_chars += size
    if flags & _IN_HEADING:
        layout.heading_chars += size
    if size >= _DATE_MIN_CHARS and _DIGIT.search(text):
        layout.dates += len(_DATE.findall(text))


def _words(element: HtmlElement) -> tuple[int, str]:
    text = " ".join(element.text_content().split())
    return length_in_words(text), text


def _count_paragraph(layout: PageLayout, element: HtmlElement) -> None:
    words, text = _words(element)
    if not words:
        return
    layout.paragraphs += 1
    layout.paragraph_words += words
    if words >= PROSE_WORDS:
        layout.prose_paragraphs += 1
    if SENTENCE_END.search(text):
        layout.sentence_paragraphs += 1


def _count_heading(layout: PageLayout, element: HtmlElement, tag: str, flags: int) -> None:
    layout.headings += 1
    if tag == "h1":
        layout.h1 += 1
    elif tag == "h2":
        layout.h2 += 1
    elif tag == "h3":
        layout.h3 += 1
    if flags & _IN_LINK or element.find(".//a") is not None:
        layout.linked_headings += 1


def _count_anchor(layout: PageLayout, element: HtmlElement) -> None:
    layout.anchors += 1
    if element.get("rel") == "author":
        layout.rel_author += 1
    if len(WORD.findall(element.text_content())) >= _HEADLINE_WORDS:
        layout.headline_anchors += 1


def _count_item(layout: PageLayout, element: HtmlElement) -> None:
    layout.list_items += 1
    anchor = element.find(".//a")
    if anchor is not None:
        total = len(element.text_content().strip())
        if total and len(anchor.text_content().strip()) * 2 >= total:
            layout.linked_items += 1


_SIMPLE_TAGS = {
    "form": "forms", "button": "buttons", "table": "tables", "pre": "pres", "code": "codes",
    "img": "images", "picture": "images", "iframe": "iframes", "video": "iframes", "article": "articles",
}


def _count_tag(layout: PageLayout, element: HtmlElement, tag: str, flags: int) -> None:
    if tag == "p":
        _count_paragraph(layout, element)
    elif tag in _HEADINGS:
        _count_heading(layout, element, tag, flags)
    elif tag == "a":
        _count_anchor(layout, element)
    elif tag == "li":
        _count_item(layout, element)
    elif tag in _FORM_FIELDS:
        layout.fields += 1
    elif (name := _SIMPLE_TAGS.get(tag)) is not None:
        setattr(layout, name, getattr(layout, name) + 1)


@lru_cache(maxsize=8192)
def _class_marks(klass: str) -> tuple[bool, bool, bool, bool]:
    """Which box kinds a class attribute names (pages repeat the same few class strings)."""
    return (
        _CLASS_COMMENT.search(klass) is not None,
        _CLASS_DOCS.search(klass) is not None,
        _CLASS_PRODUCT.search(klass) is not None,
        _CLASS_CARD.search(klass) is not None,
    )


def _count_marks(layout: PageLayout, element: HtmlElement) -> None:
    klass = element.get("class")
    if klass:
        comment, docs, product, card = _class_marks(klass)
        layout.comment_boxes += comment
        layout.docs_boxes += docs
        layout.product_boxes += product
        layout.card_boxes += card
    prop = element.get("itemprop")
    if prop:
        prop = prop.lower()
        layout.product_props += prop in _ITEMPROP_PRODUCT
        layout.article_props += prop in _ITEMPROP_ARTICLE
        layout.forum_props += prop in _ITEMPROP_FORUM


def read_layout(root: HtmlElement) -> PageLayout:
    """The counts of ``root`` (the page's body, unpruned)."""
    layout = PageLayout()
    stack: list[tuple[HtmlElement, int]] = [(root, 0)]
    scanned = 0
    while stack and scanned < _MAX_SCANNED:
        element, inherited = stack.pop()
        scanned += 1
        tag = element.tag
        if not isinstance(tag, str):
            _add_text(layout, element.tail, inherited)
            continue
        _add_text(layout, element.tail, inherited)
        if tag in _SKIP:
            continue
        flags = _flags_of(element, tag, inherited)
        _add_text(layout, element.text, flags)
        _count_tag(layout, element, tag, flags)
        _count_marks(layout, element)
        if tag == "time":
            layout.dates += 1
        stack.extend((child, flags) for child in element)
    return layout

