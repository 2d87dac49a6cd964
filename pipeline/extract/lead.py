"""The lead (standfirst, dek, summary) a page shows above its body, found by its text or its class."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.pipeline.extract.prune import is_chrome_box, text_length
from newsdedup.pipeline.extract.text import normalize_space, overlap

__all__ = ["find_lead"]

_MIN_CHARS = 40
_MAX_CHARS = 1200
_KEY_CHARS = 24
_LEAD_TOKEN = re.compile(
    r"^(?:[a-z0-9]*[-_]+)*(?:lead|lede|leadtext|lead-?text|standfirst|stand-?first|summary|intro|"
    r"introduction|dek|deck|sub-?title|sub-?headline|excerpt|abstract|description|teaser-?text|"
    r"strapline|chapo|chapeau|entradilla|sumario|sommario|bajada|copete|einleitung|vorspann|"
    r"anriss|descript)(?:[-_]+[a-z0-9]+)*$",
    re.IGNORECASE,
)
# Boxes that carry "lead"/"description" in their class but are not the article's summary.
_NOT_LEAD_TOKEN = re.compile(
    r"caption|image|img|media|photo|figure|video|gallery|card|list|item|link|promo|ad-|"
    r"^ad$|leaderboard|author|avatar|cookie|consent|subscribe|paywall|newsletter|share|"
    r"footer|nav|menu|header__nav|widget|related|teaser-?list|settings|modal|push|registration|"
    r"login|error|message|follow|notif|tooltip|popup|overlay|td-excerpt|card|excerpt-list|carousel|slide|"
    # The site's own tagline in its header, set after a site title in an <h1> (the
    # ``site-description`` of blog themes): the site's description, not the story's.
    r"(?:site|blog)[-_]?(?:desc|tagline)",
    re.IGNORECASE,
)
_BREAKING = frozenset({"p", "div", "br", "li", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TEXT_CONTAINING = etree.XPath(".//text()[contains(normalize-space(.), $key)]")
_LEAD_TAGS = frozenset({"p", "div", "h2", "h3", "span", "section", "header"})
_SKIP_ANCESTORS = frozenset({"nav", "footer", "aside", "figure", "figcaption", "form", "a", "button", "h1"})
_MAX_LINK_SHARE = 0.3
_DESCRIPTION_MATCH = 0.8
# A lead sits right under the headline: a few dozen elements (kicker, byline, date) at most.
_MAX_AFTER_H1 = 60
_BODY_SIBLINGS = 3


def _inside_chrome(element: HtmlElement, *, named_boxes: bool = False) -> bool:
    """Whether one of ``element``'s ancestors is chrome by its tag (a menu, a figure, a
    link...) or, with ``named_boxes``, a box whose names say chrome (``is_chrome_box``):
    one walk up the tree for both."""
    return any(
        ancestor.tag in _SKIP_ANCESTORS or (named_boxes and is_chrome_box(ancestor))
        for ancestor in element.iterancestors()
    )


def _text(element: HtmlElement) -> str:
    # Inline markup adds no space ("<b>Ber</b>lin" reads "Berlin"), as in a browser; a
    # paragraph or line break does ("<p>...May.</p><p>Six...</p>" reads "May. Six").
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        gap = " " if node.tag in _BREAKING else ""
        if event == "start":
            parts.extend((gap, node.text or ""))
        else:
            parts.extend((gap, node.tail or "" if node is not element else ""))
    return normalize_space("".join(parts))


def _owner_of(body: HtmlElement, key: str) -> HtmlElement | None:
    """The element whose own text (or a child's tail) holds ``key`` (searched in C)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in key):
        return None
    for found in _TEXT_CONTAINING(body, key=key):
        node = found.getparent()
        if found.is_tail:
            node = node.getparent()
        if node is not None and node.tag not in ("script", "style", "title", "head"):
            return node
    return None


def _is_body_paragraph(element: HtmlElement) -> bool:
    """A plain <p> among sibling paragraphs: body text, whatever it repeats."""
    if element.tag != "p" or element.get("class") or element.get("id"):
        return False
    parent = element.getparent()
    return parent is not None and sum(1 for sibling in parent if sibling.tag == "p") >= _BODY_SIBLINGS


def _by_description(body: HtmlElement, descriptions: Iterable[str]) -> str | None:
    """The visible element repeating the page's meta description, as readers see it."""
    for description in descriptions:
        if len(description) < _MIN_CHARS:
            continue
        # Two probes: the start, and a stretch further in (descriptions often add a prefix
        # such as "Pakistan News: " that the page does not show).
        middle = len(description) // 3
        for key in (description[:_KEY_CHARS], description[middle : middle + _KEY_CHARS]):
            owner = _owner_of(body, key)
            target = len(description) * _DESCRIPTION_MATCH
            while owner is not None and text_length(owner) < target:
                owner = owner.getparent()
            if owner is None or owner.tag in ("body", "html") or _inside_chrome(owner):
                continue
            if _is_body_paragraph(owner):
                # The description repeats the first paragraph: the page marks no lead.
                return None
            text = _text(owner)
            # Meta descriptions are often cut short, so the shown lead may be longer; but
            # never a box of several paragraphs (the body's first screen).
            short_enough = len(text) <= max(1.5 * len(description) + 40, _MAX_CHARS)
            # A lead-sized box of several short paragraphs is the lead when it says no more
            # than the description (a summary set as one sentence a line).
            few = len(owner.findall(".//p")) <= 2 or (
                len(text) <= _MAX_CHARS and overlap(text, description) >= _DESCRIPTION_MATCH
            )
            if short_enough and few and overlap(description, text) >= _DESCRIPTION_MATCH:
                return text
    return None


def _marked_as_lead(element: HtmlElement) -> bool:
    """A lead tag whose class, id or item property says lead and nothing says otherwise."""
    if element.tag not in _LEAD_TAGS:
        return False
    tokens = [
        token
        for attribute in ("class", "id", "itemprop", "data-testid")
        for token in (element.get(attribute) or "").split()
    ]
    # CSS-module names glue a camelCase word to the component's ("Article_elementLead__x1").
    parts = [t[start:] for t in tokens for start in (0, *(m.start() for m in _CAMEL.finditer(t)))]
    return any(_LEAD_TOKEN.match(t) for t in parts) and not any(
        _NOT_LEAD_TOKEN.search(t) for t in tokens
    )


def _lead_text(element: HtmlElement, title: str | None) -> str | None:
    """The element's text when it reads as a lead: not chrome, lead-sized, not the
    headline, mostly unlinked, at most two paragraphs."""
    if _inside_chrome(element, named_boxes=True):
        return None
    text = _text(element)
    if not _MIN_CHARS <= len(text) <= _MAX_CHARS or (title and title in text):
        return None
    linked = sum(text_length(a) for a in element.iter("a"))
    if linked > _MAX_LINK_SHARE * len(text) or len(element.findall(".//p")) > 2:
        return None
    return text


def _after_headline(body: HtmlElement) -> Iterator[HtmlElement]:
    """The first ``_MAX_AFTER_H1`` elements after the first <h1>, in document order."""
    elements = body.iter(etree.Element)
    for element in elements:
        if element.tag == "h1":
            break
    yield from islice(elements, _MAX_AFTER_H1)


def _by_class(body: HtmlElement, title: str | None) -> str | None:
    """The first element whose class or id names it a lead, shortly after the headline."""
    for element in _after_headline(body):
        if _marked_as_lead(element) and (text := _lead_text(element, title)):
            return " ".join([text, *_continued(element, title)])
    return None


def _continued(element: HtmlElement, title: str | None) -> Iterator[str]:
    """The texts of the siblings right after ``element`` that share its tag and class: a
    lead set as several paragraphs, one sentence each."""
    for sibling in element.itersiblings():
        if sibling.tag != element.tag or sibling.get("class") != element.get("class"):
            return
        if text := _text(sibling):
            yield text


def find_lead(tree: HtmlElement, descriptions: Iterable[str], title: str | None) -> str | None:
    """The page's lead as displayed, or None. Read before chrome pruning; never modifies ``tree``.

    First the element repeating the meta description (a page's summary is usually both),
    then the first element after the <h1> whose class or id says lead/standfirst/dek/summary.
    """
    body = tree.find("body")
    if body is None:
        return None
    cleaned = [normalize_space(d) for d in descriptions if d]
    return _by_description(body, cleaned) or _by_class(body, title)
