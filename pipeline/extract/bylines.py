"""Author names as the page's HTML shows them: marked-up names, byline boxes, "By" lines
(and the short lines under the headline, where date lines sit too).

Each finder returns raw strings for ``authors.clean_authors``; the caller takes the first
finder whose strings clean into names, so a finder may offer several readings of one
byline, the most specific first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain, islice

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.pipeline.extract.authors import byline_piece, is_by_word, is_label, name_shaped
from newsdedup.pipeline.extract.text import normalize_space

__all__ = [
    "byline_box", "byline_box_names", "byline_box_pieces", "byline_box_text", "headline_by_line", "headline_element",
    "lines_above_headline", "lines_under_headline", "marked_up_names",
]

_BYLINE_CLASS = re.compile(r"byline|author|autor|auteur|writer|reporter|creator", re.IGNORECASE)
# A box of these is a comment's, a photo's or a form's, not the article's byline.
_NOT_BYLINE = re.compile(r"comment|reply|photo|foto|bild|image|img|credit|caption|avatar|tooltip|form|btn|button|follow", re.IGNORECASE)
# An ancestor's class or id word that opens a comment section ("comments", "comment-list").
_COMMENTS = re.compile(r"(?:^|\s)(?:comments?|commentlist|comment-list|comments-area|replies)(?:$|\s|[_-])", re.IGNORECASE)
# Inside a byline box, an element naming one person: its class says name or author.
_NAME_CLASS = re.compile(
    r"(?:^|\s)(?:fn|[\w-]*name|(?:[\w-]*[_-])?(?:author|autor|auteur|writer|reporter))(?:$|\s)", re.IGNORECASE
)
# A link to a person's page on the site: /author/jane-doe, /autoren/..., /people/..., /profile/...
_AUTHOR_HREF = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autores?|autore|people|persons?|profiles?|staff|journalists?|"
    r"writers?|reporters?|contributors?|redakteur(?:in)?|team)/[^/?#]+",
    re.IGNORECASE,
)
_MAX_BOX_CHARS = 120
# A byline box's elements read at most (a short text may still hide many empty elements).
_MAX_BOX_ELEMENTS = 200
_MAX_LINE_CHARS = 100
# Bylines sit near the top: scans stop after this many elements.
_MAX_SCANNED = 5000
# A "By" line is one of the first elements after the headline.
_AFTER_HEADLINE = 40
# ... or one of the few before it, in the header it shares with the headline.
_BEFORE_HEADLINE = 12
_ABOVE_LEVELS = 3
_MAX_ABOVE_BOX = 30
# Siblings looked at on each level, at most (a flat page may hold thousands before the h1).
_MAX_ABOVE_SIBLINGS = 20
_SKIPPED = frozenset({"script", "style", "noscript", "template", "a", "h1", "h2", "h3", "nav", "button"})


def marked_up_names(tree: HtmlElement) -> list[str]:
    """Names in ``itemprop="author"`` elements (their ``name`` inside when there is one) and
    ``rel="author"`` links."""
    names = []
    for element in tree.xpath('//*[@itemprop="author"] | //a[@rel="author"]'):
        name = element.find('.//*[@itemprop="name"]')
        names.append(normalize_space((name if name is not None else element).text_content()))
    return names


def byline_box(tree: HtmlElement) -> HtmlElement | None:
    """The first short element whose class says byline (or author), among the first elements."""
    for index, element in enumerate(tree.iter("div", "span", "p", "address", "a")):
        if index > _MAX_SCANNED:
            break
        if _BYLINE_CLASS.search(element.get("class") or ""):
            text = _short_text(element, _MAX_BOX_CHARS + 20)
            if text and 3 <= len(text) <= _MAX_BOX_CHARS and not is_label(text) and not _elsewhere(element):
                return element
    return None


def _elsewhere(element: HtmlElement) -> bool:
    """Whether ``element`` is a comment's, a photo's or a form's (by its class, the form
    fields it holds, or an ancestor that is a form or a comment list)."""
    if _NOT_BYLINE.search(element.get("class") or ""):
        return True
    if element.find(".//input") is not None or element.find(".//label") is not None:
        return True
    return any(
        node.tag == "form" or _COMMENTS.search(f'{node.get("class") or ""} {node.get("id") or ""}')
        for node in element.iterancestors()
        if node.tag not in ("body", "html")
    )


def byline_box_names(box: HtmlElement | None) -> list[str]:
    """In the byline box, the texts of links to authors' pages, or else of the innermost
    elements whose class names a name: one person each ("Guide by <Jane Doe> <Deputy Editor>")."""
    if box is None:
        return []
    linked = [_slug_named(a) for a in box.iter("a") if _AUTHOR_HREF.search(a.get("href") or "")]
    if any(linked):
        return linked
    named = [e for e in islice(box.iterdescendants(etree.Element), _MAX_BOX_ELEMENTS)
             if _NAME_CLASS.search(e.get("class") or "")]
    innermost = [e for e in named if not any(_NAME_CLASS.search(c.get("class") or "") for c in e.iterdescendants(etree.Element))]
    return [normalize_space(e.text_content()) for e in innermost]


def _slug_named(link: HtmlElement) -> str:
    """A link's text, cut to the words its address spells when it spells two or more of
    them in a row ("Written by Jane Doe, Editor" at /author/jane-doe gives "Jane Doe")."""
    text = normalize_space(link.text_content())
    slug = [w for w in re.split(r"[-_.+]+", (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1].lower()) if w]
    words = text.split()
    if len(slug) < 2:
        return text
    keys = [w.strip(",.;:").lower() for w in words]
    for start in range(len(words) - len(slug) + 1):
        if keys[start:start + len(slug)] == slug:
            return " ".join(words[start:start + len(slug)]).strip(",.;:")
    return text


def byline_box_text(box: HtmlElement | None) -> list[str]:
    """The byline box's whole text ("By Jane Doe and John Roe")."""
    return [_spaced_text(box)] if box is not None else []


def byline_box_pieces(box: HtmlElement | None) -> list[str]:
    """The byline box's child elements' texts, one each (below wrappers of one child):
    names set side by side in their own elements, with no separator between them."""
    while box is not None and len(box) == 1:
        box = box[0]
    if box is None or len(box) < 2:
        return []
    pieces = [normalize_space(child.text_content()) for child in box.iterchildren(etree.Element)]
    pieces = [piece for piece in pieces if piece and not is_by_word(piece)]
    return pieces if pieces and all(name_shaped(piece) for piece in pieces) else []


def headline_by_line(headline: HtmlElement | None) -> list[str]:
    """A short line near the headline that credits people with a by-word, and says
    nothing else: "By Jane Doe and John Roe", or a part of a date line ("Published 3 May
    2026 · By Jane Doe"). The lines just after the headline first, then the few just above
    it in its own header (templates that set the byline over the headline)."""
    lines = chain(lines_under_headline(headline), lines_above_headline(headline))
    return next(([piece] for line in lines if (piece := byline_piece(line))), [])


def headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The ``<h1>`` that shows the page's ``title``, else the page's first ``<h1>`` (a site
    may set its logo as an ``<h1>`` above the story's own)."""
    first = None
    for h1 in tree.iter("h1"):
        if title and normalize_space(h1.text_content()) == title:
            return h1
        first = h1 if first is None else first
    return first


def lines_under_headline(headline: HtmlElement | None) -> Iterator[str]:
    """The texts of the short elements among the first after the ``headline`` (see
    ``headline_element``), in document order, where bylines and date lines sit. A line
    that is all link text (a teaser), a heading, or inside navigation is left out."""
    return _lines(_after(headline), _AFTER_HEADLINE) if headline is not None else iter(())


def lines_above_headline(headline: HtmlElement | None) -> Iterator[str]:
    """The texts of the short elements just before the ``headline`` in its own header,
    nearest first: the elements before it among its siblings, its parent's and its
    grandparent's (a box of many elements, a menu or a column of teasers, is passed over).
    Left out as in ``lines_under_headline``."""
    return _lines(_before(headline), _BEFORE_HEADLINE) if headline is not None else iter(())


def _lines(elements: Iterator[HtmlElement], limit: int) -> Iterator[str]:
    """The texts of those of the first ``limit`` ``elements`` that are lines (``_line``)."""
    return (text for element in islice(elements, limit) if (text := _line(element)) is not None)


def _line(element: HtmlElement) -> str | None:
    """The element's text when it is a short line of its own: not in a skipped element
    (navigation, a heading, a link), not all link text; else None."""
    if element.tag in _SKIPPED or any(a.tag in _SKIPPED for a in element.iterancestors()):
        return None
    text = _short_text(element, _MAX_LINE_CHARS)
    if not text:
        return None
    linked = sum(len(normalize_space(a.text_content())) for a in element.iter("a"))
    return text if linked < len(text) else None


def _short_text(element: HtmlElement, limit: int) -> str | None:
    """``_spaced_text`` of an element whose text is at most ``limit`` characters, else
    None, read no further than that: the elements after a headline include the
    containers of the whole rest of the page."""
    pieces: list[str] = []
    length = 0
    for piece in element.itertext():
        length += len(piece.strip())
        if length > limit:
            return None
        pieces.append(piece)
    return normalize_space(" ".join(pieces))


def _spaced_text(element: HtmlElement) -> str:
    """The element's text with a space between its elements' texts: a byline's parts are
    often set in adjacent elements with no space between them in the markup."""
    return normalize_space(" ".join(element.itertext()))


def _after(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after ``element`` in document order, its own descendants left out."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield sibling
                yield from sibling.iterdescendants(etree.Element)
        node = node.getparent()


def _before(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements before ``element`` in reverse document order (nearest first), among
    the nearest ``_MAX_ABOVE_SIBLINGS`` siblings of it, its parent and its grandparent; a
    sibling holding more than ``_MAX_ABOVE_BOX`` elements is passed over whole."""
    node: HtmlElement | None = element
    for _ in range(_ABOVE_LEVELS):
        if node is None:
            return
        for sibling in islice(node.itersiblings(preceding=True), _MAX_ABOVE_SIBLINGS):
            if not isinstance(sibling.tag, str):
                continue
            inside = list(islice(sibling.iterdescendants(etree.Element), _MAX_ABOVE_BOX + 1))
            if len(inside) > _MAX_ABOVE_BOX:
                continue
            yield from reversed(inside)
            yield sibling
        node = node.getparent()
