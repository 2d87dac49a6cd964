"""Signals of listing and collection pages: repeated link boxes, pagers, linked headings.

A section, tag or category page and a product grid repeat one box template many times,
each box linking to a page of its own; an article holds at most a box or two of related
links. One walk over the unpruned page outside its chrome (the first ``_MAX_SCANNED``
elements) counts those repeated boxes loosely (any link, an image tile too, unlike the
headline cards of ``page_signals``), the text they hold, the prices and dates inside
them, the pager links, the distinct links of the page's own site, and the texts of
linked headings (which ``page_model`` looks for in the extracted body). Nothing here
names a site.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["ListingCounts", "read_listing"]

_MAX_SCANNED = 20_000
_MAX_CHILDREN = 300
_MIN_BOXES = 4
_MAX_HEADINGS = 400
# A box's price or date shows in its first characters.
_MAX_BOX_CHARS = 400
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "select", "option"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_PAGE_HREF = re.compile(r"[?&](?:page|paged|pg|p|start|offset)=\d|/page/\d|/p\d+/?$", re.IGNORECASE)
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|\$|£|usd|eur|gbp)(?!\w)", re.IGNORECASE)
_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d\b|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b|"
                   r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? [0-3]?\d\b", re.IGNORECASE)
_TEXT = etree.XPath("normalize-space(.)")


@dataclass(slots=True)
class ListingCounts:
    """Counts of one page's repeated link boxes and pagers (outside its chrome)."""

    #: Runs of at least ``_MIN_BOXES`` sibling boxes of one tag and first class, each
    #: linking to a page no earlier box of the run links to.
    runs: int = 0
    boxes: int = 0
    #: Boxes in the largest run.
    largest: int = 0
    #: Characters of text inside the boxes (a box inside a counted box is not counted again).
    box_chars: int = 0
    #: Boxes (not inside another counted box) showing a price, and a date.
    priced: int = 0
    dated: int = 0
    #: Links whose text is a page number or whose URL asks for a page of a list.
    pager_links: int = 0
    #: Distinct URLs of the page's own site linked from outside the chrome.
    own_links: int = 0
    #: ``<article>`` elements holding a link, outside the chrome.
    linked_articles: int = 0
    #: Texts of the headings that are links (or hold one), whitespace-normalised.
    linked_headings: frozenset[str] = field(default_factory=frozenset)


def _href(element: HtmlElement) -> str | None:
    for anchor in [element] if element.tag == "a" else element.iter("a"):
        href = anchor.get("href")
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return href.split("#", 1)[0]
    return None


def _inside(element: HtmlElement, counted: set[HtmlElement]) -> bool:
    return element in counted or any(ancestor in counted for ancestor in element.iterancestors())


def _runs(parent: HtmlElement, counts: ListingCounts, counted: set[HtmlElement]) -> None:
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for number, child in enumerate(parent):
        if number >= _MAX_CHILDREN:
            break
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP:
            klass = (child.get("class") or "").split()
            groups.setdefault((tag, klass[0] if klass else ""), []).append(child)
    nested: bool | None = None
    for members in groups.values():
        if len(members) < _MIN_BOXES:
            continue
        links: set[str] = set()
        boxes = [m for m in members if (href := _href(m)) is not None and not (href in links or links.add(href))]
        if len(boxes) < _MIN_BOXES:
            continue
        counts.runs += 1
        counts.boxes += len(boxes)
        counts.largest = max(counts.largest, len(boxes))
        if nested is None:
            nested = _inside(parent, counted)
        if nested:
            continue
        for box in boxes:
            text = str(_TEXT(box))
            head = text[:_MAX_BOX_CHARS]
            counts.priced += bool(_PRICE.search(head))
            counts.dated += box.find(".//time") is not None or bool(_DATE.search(head))
            counts.box_chars += len(text)
            counted.add(box)


@lru_cache(maxsize=8192)
def _link_of(href: str, host: str) -> tuple[str | None, bool]:
    """The link's address on the page's own site (None: another site's) and whether it
    asks for a page of a list."""
    pager = bool(_PAGE_HREF.search(href))
    if not href.startswith(("http:", "https:", "//")):
        return href.split("#", 1)[0], pager
    parts = urlsplit(href)
    if (parts.hostname or "").removeprefix("www.") != host:
        return None, pager
    return parts._replace(scheme="", netloc="", fragment="").geturl(), pager


def _count_anchor(anchor: HtmlElement, host: str, counts: ListingCounts, links: set[str]) -> None:
    href = anchor.get("href")
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return
    link, pager = _link_of(href, host)
    text = anchor.text if len(anchor) == 0 else None
    if pager or (text is not None and _PAGE_NUMBER.fullmatch(text.strip())):
        counts.pager_links += 1
    if link is not None:
        links.add(link)


def _heading_text(element: HtmlElement) -> str | None:
    if element.find(".//a") is None and not any(a.tag == "a" for a in element.iterancestors()):
        return None
    text = str(_TEXT(element))
    return text or None


def read_listing(root: HtmlElement, chrome: Collection[HtmlElement], url: str) -> ListingCounts:
    """The counts of ``root`` (the page's body, unpruned) outside the ``chrome`` elements."""
    counts = ListingCounts()
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    counted: set[HtmlElement] = set()
    links: set[str] = set()
    headings: set[str] = set()
    for scanned, element in enumerate(root.iter()):
        if scanned >= _MAX_SCANNED:
            break
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP or element in chrome:
            continue
        if tag == "a":
            _count_anchor(element, host, counts, links)
        elif tag in _HEADINGS and len(headings) < _MAX_HEADINGS and (text := _heading_text(element)):
            headings.add(text)
        elif tag == "article" and element.find(".//a") is not None:
            counts.linked_articles += 1
        if len(element) >= _MIN_BOXES:
            _runs(element, counts, counted)
    counts.own_links = len(links)
    counts.linked_headings = frozenset(headings)
    return counts
