"""Measured signals of what kind of page a document is: article, listing, forum, shop, docs.

Read from the parsed page before chrome is pruned and from its metadata; nothing here
names a site. ``newsdedup.pipeline.extract.page_kind`` turns the signals into a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.core.urls import host_of
from newsdedup.pipeline.extract.metadata import PageMetadata
from newsdedup.pipeline.extract.page_layout import PageLayout, read_layout
from newsdedup.pipeline.extract.page_words import PageWords, read_words
from newsdedup.pipeline.extract.prune import CHROME_REGIONS, CHROME_ROLES
from newsdedup.pipeline.extract.text import CJK, HANGUL, WORD

__all__ = ["MEMBER_MIN_BOXES", "PageSignals", "read_signals"]

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "select", "option"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A teaser's own text: words that sit next to a headline link, in the same card.
_MIN_CARDS = 4
_NUMBER = re.compile(r"\d+")
# Bounds on the work for huge pages: signals come from the first elements and children.
_MAX_SCANNED = 20_000
_MAX_CHILDREN = 300
# Dates the page's own text shows; on a listing they are the teasers' dates.
_WEAK_DATE_ORIGINS = frozenset({"text", "time"})
_MIN_DATED_CARDS = 3
_CARD_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d\b|\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d\b")
# A card holds a headline and a teaser of a paragraph or two (on the tuning part, a news
# office's cards of two paragraphs passed 120 words); a story's own sections are longer.
_MAX_CARD_WORDS = 250
_MAX_CARD_CHARS = 2000
_CARD_HEADLINE_WORDS = 3
# A teaser's headline link holds at least a quarter of its words.
_CARD_LINK_SHARE = 4
_HEADLINE_OPENS = 24
_TEASER_MIN_WORDS = 8
_HEADLINE_MIN_WORDS = 4
# Scripts written without spaces count characters, not words (a word is about 2 of them);
# Hangul too, as the model was trained (see ``text.HANGUL``).
_CJK = re.compile(rf"[{CJK}{HANGUL}]")
_PRICE = re.compile(r"(?:[$€£¥₹]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|USD|EUR|GBP)\b)")
_PRICE_TAGS = frozenset({"span", "div", "strong", "b", "bdi", "ins", "p", "td", "dd"})
_MAX_PRICE_CHARS = 24
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d/)?")
_SLUG_WORD = re.compile(r"[a-z\u00c0-\uffff]{2,}", re.IGNORECASE)
# A forum links each post's author to their member page on the forum's own site; counted
# only on a page with this many post boxes (a thread), on its first ``_MAX_MEMBER_ANCHORS`` links.
MEMBER_MIN_BOXES = 15
_MAX_MEMBER_ANCHORS = 5_000
_MEMBER_PATH = re.compile(r"/(?:users?|members?|profiles?|u|memberlist|people)/", re.IGNORECASE)
# A heading's permalink: a link to a fragment whose text is a mark (or nothing) or whose
# class names a permalink; the first ``_MAX_HEADINGS`` h2-h4 only.
_MAX_HEADINGS = 500
_PERMALINK_MARKS = frozenset({"", "¶", "#", "§", "🔗", "link"})
_CLASS_PERMALINK = re.compile(r"anchor|permalink|headerlink|heading-link|header-link|hash-link", re.IGNORECASE)
_CLASS_FORUM = re.compile(
    r"(?:^|[\s_-])(?:post|posts|postbody|message|reply|replies|thread|topic|answer|answers|question|"
    r"comment-body|forum|discussion|messagelist|usercard|user-?info|postprofile)(?:$|[\s_-])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PageSignals:
    """Counts and flags measured on one page. Words are ``\\w+`` runs (CJK: 2 chars a word)."""

    declared_article: bool
    ld_types: frozenset[str]
    og_type: str | None
    #: A publication date of the page's own: from its metadata or URL, or a date in its
    #: text or ``<time>`` elements unless the page is paginated or its teasers show dates.
    has_date: bool
    #: A date from metadata, JSON-LD, the URL or the feed/sitemap (not the visible text).
    strong_date: bool
    has_author: bool
    paginated: bool
    #: The largest run of teaser cards outside the page's chrome: sibling boxes with the
    #: same tag and class, each with a headline link to a page of its own.
    cards: int
    card_words: int
    #: Cards whose text goes beyond the headline by a sentence or so.
    card_sentences: int
    #: The cards' texts, whitespace-normalised: a teaser's paragraph is not the page's prose.
    card_texts: tuple[str, ...]
    prices: int
    times: int
    forum_boxes: int
    code_blocks: int
    slug_words: int
    date_in_path: bool
    #: The page's final URL.
    url: str = ""
    has_modified: bool = False
    #: Counts over the whole unpruned page (links, headings, forms, tables...).
    layout: PageLayout = field(default_factory=PageLayout)
    #: The interface phrases of the page's visible text, by the kind of page that says them.
    words: PageWords = field(default_factory=PageWords)
    #: Distinct member pages of the page's own site it links to (``/members/...``,
    #: ``/users/...``): counted only on a page with ``MEMBER_MIN_BOXES`` post boxes or more.
    member_links: int = 0
    #: Headings (h2-h4) that carry a permalink to their own anchor: a link to ``#...`` that
    #: shows no words (``¶``, ``#``, ``§``, an icon) or whose class names an anchor.
    heading_permalinks: int = 0


def _words(text: str) -> int:
    words = len(WORD.findall(text))
    if text.isascii():
        return words
    return words + len(_CJK.findall(text)) // 2


_TEXT = etree.XPath("normalize-space(.)")
_CHROME_ROLE_REGIONS = etree.XPath(".//*[" + " or ".join(f"@role='{role}'" for role in sorted(CHROME_ROLES)) + "]")


def _own_text(element: HtmlElement) -> str:
    """The element's text, whitespace runs as one space (in C: block boundaries add none)."""
    return str(_TEXT(element))


def _chrome_elements(root: HtmlElement) -> set[HtmlElement]:
    chrome: set[HtmlElement] = set()
    for region in root.iter(*CHROME_REGIONS):
        if region not in chrome:
            chrome.update(region.iter())
    for region in _CHROME_ROLE_REGIONS(root):
        if region not in chrome:
            chrome.update(region.iter())
    return chrome


@lru_cache(maxsize=8192)
def _page_link(href: str | None, base: str) -> str | None:
    """The page ``href`` links to (absolute, without its fragment), or None: none for an
    anchor in the page, a script or a mail link, or a link that is no URL at all."""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        absolute = urljoin(base, href)
    except ValueError:  # unbalanced brackets of an IPv6 host: a link on a page is any text
        return None
    return absolute.split("#", 1)[0]


def _slug_words(path: str) -> int:
    segments = [s for s in path.split("/") if s]
    if not segments:
        return 0
    last = re.sub(r"\.\w{2,5}$", "", segments[-1])
    return len(_SLUG_WORD.findall(last.replace("_", "-")))


@dataclass(slots=True)
class _Cards:
    """The largest run of sibling cards: same tag and class, each linking to its own page."""

    count: int = 0
    words: int = 0
    sentences: int = 0
    dated: int = 0
    texts: tuple[str, ...] = ()


def _card_date(card: HtmlElement, text: str) -> bool:
    return card.find(".//time") is not None or bool(_CARD_DATE.search(text))


def _signature(element: HtmlElement) -> tuple[str, str]:
    """The tag and first class of a card, numbers read alike: a blog's archive numbers
    its cards by the post they show (``post-4521 post type-post ...``)."""
    klass = (element.get("class") or "").split()
    return element.tag, _NUMBER.sub("#", klass[0]) if klass else ""


def _in_heading(anchor: HtmlElement, member: HtmlElement) -> bool:
    if any(d.tag in _HEADINGS for d in anchor.iterdescendants()):
        return True
    for ancestor in anchor.iterancestors():
        if ancestor.tag in _HEADINGS:
            return True
        if ancestor is member:
            break
    return False


def _headline_of(member: HtmlElement, text: str, base: str) -> str | None:
    """The page a teaser card links to: its headline link, which sits in a heading, holds
    a good share of the card's words or opens the card (after a date or label)."""
    anchors = [member] if member.tag == "a" else member.iter("a")
    total = 0
    for anchor in anchors:
        link = _page_link(anchor.get("href"), base)
        if link is None:
            continue
        headline = _own_text(anchor)
        words = _words(headline)
        if words < _CARD_HEADLINE_WORDS:
            continue
        if anchor is member or _in_heading(anchor, member):
            return link
        total = total or _words(text)
        if words * _CARD_LINK_SHARE >= total or 0 <= text.find(headline) <= _HEADLINE_OPENS:
            return link
    return None


def _card_run(parent: HtmlElement, own_page: str, base: str) -> _Cards:
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for number, child in enumerate(parent):
        if number >= _MAX_CHILDREN:
            break
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            groups.setdefault(_signature(child), []).append(child)
    best = _Cards()
    for members in groups.values():
        if len(members) < _MIN_CARDS:
            continue
        links: set[str] = set()
        cards: list[HtmlElement] = []
        texts: list[str] = []
        for member in members:
            text = _own_text(member)
            if len(text) > _MAX_CARD_CHARS or _words(text) > _MAX_CARD_WORDS:
                continue
            link = _headline_of(member, text, base)
            if link is None or link == own_page or link in links:
                continue
            links.add(link)
            cards.append(member)
            texts.append(text)
        if len(cards) < _MIN_CARDS:
            continue
        words = sum(_words(text) for text in texts)
        if words > best.words:
            sentences = sum(1 for text in texts if _words(text) >= _TEASER_MIN_WORDS + _HEADLINE_MIN_WORDS)
            dated = sum(1 for card, text in zip(cards, texts, strict=True) if _card_date(card, text))
            best = _Cards(len(cards), words, sentences, dated, tuple(texts))
    return best


@dataclass
class _Scan:
    """What one walk over the page counts."""

    times: int = 0
    prices: int = 0
    code_blocks: int = 0
    forum_boxes: int = 0
    cards: _Cards = field(default_factory=_Cards)


def _is_price(element: HtmlElement, tag: str) -> bool:
    if element.get("itemprop") == "price":
        return True
    if not element.text or len(element) or tag not in _PRICE_TAGS:
        return False
    text = element.text.strip()
    return len(text) < _MAX_PRICE_CHARS and bool(_PRICE.fullmatch(text))


def _count_element(scan: _Scan, element: HtmlElement, tag: str) -> None:
    if tag == "time":
        scan.times += 1
    elif tag == "pre":
        scan.code_blocks += 1
    elif _is_price(element, tag):
        scan.prices += 1


def _scan(root: HtmlElement, own_page: str, url: str) -> _Scan:
    """Post boxes anywhere; outside the chrome, the best run of teaser cards, timestamps,
    code blocks and prices (the first ``_MAX_SCANNED`` elements)."""
    scan = _Scan()
    chrome = _chrome_elements(root)
    for scanned, element in enumerate(root.iter()):
        if scanned >= _MAX_SCANNED:
            break
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        klass = element.get("class")
        if klass and _CLASS_FORUM.search(klass):
            scan.forum_boxes += 1
        if element in chrome:
            continue
        if len(element) >= _MIN_CARDS:
            run = _card_run(element, own_page, url)
            if run.words > scan.cards.words:
                scan.cards = run
        _count_element(scan, element, tag)
    return scan


def read_signals(
    tree: HtmlElement, meta: PageMetadata, url: str, *, declared_article: bool, hinted_date: bool
) -> PageSignals:
    """The signals of ``tree`` (unpruned) and its metadata; ``url`` is the page's final URL.

    ``hinted_date``: the feed or sitemap that announced the page gave it a date. A date
    read from the page's visible text or ``<time>`` elements does not count on a paginated
    page or when several teaser cards show dates of their own: it is a teaser's date.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    own = urlsplit(url)
    scan = _scan(root, own._replace(fragment="").geturl(), url)
    cards = scan.cards
    path = own.path or "/"
    paginated = bool(tree.xpath(_PAGINATION))
    strong_date = hinted_date or (
        meta.published_at is not None and meta.published_from not in _WEAK_DATE_ORIGINS
    )
    return PageSignals(
        declared_article=declared_article,
        ld_types=meta.linked.types,
        og_type=meta.og_type,
        has_date=strong_date or (
            meta.published_at is not None and not paginated and cards.dated < _MIN_DATED_CARDS
        ),
        strong_date=strong_date,
        has_author=bool(meta.authors),
        paginated=paginated,
        cards=cards.count,
        card_words=cards.words,
        card_sentences=cards.sentences,
        card_texts=cards.texts,
        prices=scan.prices,
        times=scan.times,
        forum_boxes=scan.forum_boxes,
        code_blocks=scan.code_blocks,
        slug_words=_slug_words(path),
        date_in_path=bool(_DATE_IN_PATH.search(path)),
        url=url,
        has_modified=meta.modified_at is not None,
        layout=read_layout(root),
        words=read_words(root),
        member_links=_member_links(root, url) if scan.forum_boxes >= MEMBER_MIN_BOXES else 0,
        heading_permalinks=_heading_permalinks(root),
    )


def _member_links(root: HtmlElement, url: str) -> int:
    """Distinct member pages (a path segment ``users``, ``members``, ``profile``, ``u``...
    before the member's name) on the host of ``url`` that ``root`` links to."""
    host = host_of(url)
    members: set[str] = set()
    for count, anchor in enumerate(root.iter("a")):
        if count >= _MAX_MEMBER_ANCHORS:
            break
        if (page := _page_link(anchor.get("href"), url)) is None or host_of(page) != host:
            continue
        if _MEMBER_PATH.search(path := urlsplit(page).path):
            members.add(path)
    return len(members)


def _is_permalink(anchor: HtmlElement) -> bool:
    href = anchor.get("href") or ""
    if len(href) < 2 or not href.startswith("#"):
        return False
    mark = anchor.text_content().strip().strip("\u200b").lower()
    return mark in _PERMALINK_MARKS or _CLASS_PERMALINK.search(anchor.get("class") or "") is not None


def _heading_permalinks(root: HtmlElement) -> int:
    """h2-h4 headings that link to a fragment with a permalink's mark (see ``_is_permalink``)."""
    count = 0
    for seen, heading in enumerate(root.iter("h2", "h3", "h4")):
        if seen >= _MAX_HEADINGS:
            break
        count += any(_is_permalink(anchor) for anchor in heading.iter("a"))
    return count


_PAGINATION = (
    '//link[@rel="next" or @rel="prev"] | //a[@rel="next" or @rel="prev"] | '
    '//*[contains(concat(" ", normalize-space(@class), " "), " pagination ")] | '
    '//nav[contains(@class, "pagination") or contains(@aria-label, "agination")]'
)
