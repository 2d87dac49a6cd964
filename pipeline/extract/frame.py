"""Point trafilatura's content finder at the element that holds the page's prose.

trafilatura looks for the article's frame by class and id names (``entry-content``,
``article-body``, ``<article>``, ``main``...). When no name matches, or the first match
is a small box beside the story, it falls back to collecting loose ``<p>``s from the
whole page: the paragraphs come out, but the sub-headings, lists and tables between them
are lost (they are only taken inside a frame). On such pages we mark the element that
holds most of the page's prose paragraphs as the article body (``itemprop=articleBody``,
the first thing trafilatura looks for), so that its headings, lists and tables are read
with the paragraphs. Inside the frame trafilatura takes, a box it would discard by its
name ("embed", "widget", "meta"...) keeps its text when it holds a large share of the
page's prose. The frame and the boxes are measured, never named.
"""

from __future__ import annotations

from collections import defaultdict

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH, OVERALL_DISCARD_XPATH, TEASER_DISCARD_XPATH

from newsdedup.pipeline.extract.prune import text_length

__all__ = ["Marks", "mark_prose_frame", "unmark"]

#: The elements whose attributes were changed, with their attributes as they were.
Marks = list[tuple[HtmlElement, dict[str, str]]]

_PROSE_MIN_CHARS = 60
#: The frame must hold this share of the page's prose characters...
FRAME_SHARE = 0.7
#: ...and the frame trafilatura would take by its names is kept when it holds this share.
NAMED_FRAME_SHARE = 0.3
_MIN_PROSE_PARAGRAPHS = 3
#: Past this much prose (a book-length dump, not an article) no frame is marked: the page
#: is left to trafilatura's plain paragraph sweep, whose time grows linearly with it.
MAX_PROSE_CHARS = 300_000
_FRAME_TAGS = frozenset({"div", "section", "article", "main"})
_MAX_UNNAMED = 8
#: A frame holding less than ``CLIMB_SHARE`` of the prose climbs (at most ``_CLIMB_LEVELS``
#: up) to the nearest ancestor holding that share, when the prose the ancestor adds is at
#: least ``CLIMB_ADDED`` of the page's, sits in ``_CLIMB_BLOCKS`` or more sibling blocks,
#: and is at least ``CLIMB_DENSITY`` of the text the ancestor adds (not a menu or a list).
CLIMB_SHARE = 0.9
CLIMB_ADDED = 0.15
CLIMB_DENSITY = 0.4
_CLIMB_LEVELS = 3
_CLIMB_BLOCKS = 2
#: A box trafilatura discards by name is kept when it holds this share of the prose.
HIDDEN_PROSE_SHARE = 0.3
_MIN_CARDS = 3
_CARD_DEPTH = 3
_HEADINGS = XPath(".//h2 | .//h3 | .//h4 | .//h5 | .//h6")


def _named_frame(tree: HtmlElement) -> HtmlElement | None:
    """The element trafilatura's content finder would try first, by its names."""
    for expression in BODY_XPATH:
        found = next(iter(expression(tree)), None)
        if found is not None:
            return found
    return None


def mark_prose_frame(tree: HtmlElement) -> Marks:
    """Mark the deepest element holding ``FRAME_SHARE`` of the page's prose as the article
    body, unless trafilatura's named frame already holds ``NAMED_FRAME_SHARE`` of it.

    Returns what was changed (empty: nothing), for ``unmark``: the marks are for
    trafilatura only, and must not read as the page's own markup afterwards.
    """
    prose: dict[HtmlElement, int] = defaultdict(int)
    depth: dict[HtmlElement, int] = {}
    total = 0
    paragraphs = []
    for paragraph in tree.iter("p"):
        length = text_length(paragraph)
        if length < _PROSE_MIN_CHARS:
            continue
        total += length
        paragraphs.append(paragraph)
        for level, ancestor in enumerate(reversed(list(paragraph.iterancestors()))):
            prose[ancestor] += length
            depth[ancestor] = level
    if len(paragraphs) < _MIN_PROSE_PARAGRAPHS or total > MAX_PROSE_CHARS:
        return []
    marks: Marks = []
    named = _named_frame(tree)
    frame = _prose_frame(prose, depth, total)
    if (
        frame is not None and named is not frame and prose.get(named, 0) < NAMED_FRAME_SHARE * total
        and not _is_dated_card_grid(paragraphs)
    ):
        marks.append((frame, dict(frame.attrib)))
        frame.set("itemprop", "articleBody")
        _unname_before(tree, frame, marks)
        named = frame
    if named is not None:
        _unhide_prose_boxes(named, prose, total, marks)
    return marks


def _prose_frame(prose: dict[HtmlElement, int], depth: dict[HtmlElement, int], total: int) -> HtmlElement | None:
    """The deepest box holding ``FRAME_SHARE`` of the prose."""
    candidates = [e for e, chars in prose.items() if chars >= FRAME_SHARE * total and e.tag in _FRAME_TAGS]
    if not candidates:
        return None
    frame = max(candidates, key=lambda element: depth[element])
    return _climb(frame, prose, total)


def _climb(frame: HtmlElement, prose: dict[HtmlElement, int], total: int) -> HtmlElement:
    """The frame's nearest ancestor holding ``CLIMB_SHARE`` of the prose, when the prose it
    adds sits in sibling blocks set mostly as prose (a guide cut into sections: the intro,
    the main part, the method, the questions); else the frame itself."""
    if prose[frame] >= CLIMB_SHARE * total:
        return frame
    for level, ancestor in enumerate(frame.iterancestors()):
        if level >= _CLIMB_LEVELS or ancestor.tag not in _FRAME_TAGS:
            return frame
        if prose.get(ancestor, 0) >= CLIMB_SHARE * total:
            return ancestor if _adds_prose_sections(ancestor, frame, prose, total) else frame
    return frame


def _adds_prose_sections(ancestor: HtmlElement, frame: HtmlElement, prose: dict[HtmlElement, int], total: int) -> bool:
    """Whether what ``ancestor`` holds beside ``frame`` is prose: enough of the page's, in
    several sibling blocks, and most of the text it adds."""
    added = prose[ancestor] - prose[frame]
    extra_text = text_length(ancestor) - text_length(frame)
    blocks = sum(
        1 for child in ancestor
        if prose.get(child, 0) > 0 and child is not frame and frame not in child.iterdescendants()
    )
    return (
        added >= CLIMB_ADDED * total and blocks >= _CLIMB_BLOCKS
        and extra_text > 0 and added >= CLIMB_DENSITY * extra_text
    )


def _is_dated_card_grid(paragraphs: list[HtmlElement]) -> bool:
    """Whether most prose paragraphs are the one paragraph of a dated teaser card: a box
    with a headline linking to another page and a ``<time>``. A grid of them is a list of
    articles (a section page), not a story whose sub-headings happen to be links."""
    cards: dict[HtmlElement, int] = defaultdict(int)
    for paragraph in paragraphs:
        card = _card_of(paragraph)
        if card is not None:
            cards[card] += 1
    single = sum(1 for count in cards.values() if count == 1)
    return single >= _MIN_CARDS and 2 * single >= len(paragraphs)


def _card_of(paragraph: HtmlElement) -> HtmlElement | None:
    """The nearest box (a few levels up) holding a heading, when the heading links away
    and the box holds a ``<time>``."""
    for level, ancestor in enumerate(paragraph.iterancestors()):
        if level >= _CARD_DEPTH:
            return None
        headings = _HEADINGS(ancestor)
        if headings:
            linked = any(_links_away(a) for a in headings[0].iter("a"))
            return ancestor if linked and next(ancestor.iter("time"), None) is not None else None
    return None


def _links_away(anchor: HtmlElement) -> bool:
    """A link to another page (not a jump to a section of this one)."""
    href = (anchor.get("href") or "").strip()
    return bool(href) and not href.startswith(("#", "javascript:"))


def _unhide_prose_boxes(frame: HtmlElement, prose: dict[HtmlElement, int], total: int, marks: Marks) -> None:
    """Take the names off boxes inside ``frame`` that trafilatura would discard by their
    class or id (any class holding "embed", "widget", "meta", "slide", "teaser"...) when
    they hold ``HIDDEN_PROSE_SHARE`` of the page's prose: that is the story, whatever its
    box is called. (Its discards apply inside the frame it took, never to the frame.)"""
    big = [
        element for element, chars in prose.items()
        if chars >= HIDDEN_PROSE_SHARE * total and element is not frame and frame in element.iterancestors()
    ]
    # Cheap first: is any big box one trafilatura discards? (Most pages: no.)
    if not any(test(element) for element in big for test in _DISCARD_TESTS):
        return
    discarded = [element for expression in OVERALL_DISCARD_XPATH for element in expression(frame)]
    if _discard_guard_holds(frame, discarded):
        discarded = []
    discarded += [element for expression in TEASER_DISCARD_XPATH for element in expression(frame)]
    for element in discarded:
        if prose.get(element, 0) >= HIDDEN_PROSE_SHARE * total:
            marks.append((element, dict(element.attrib)))
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)


def _self_test(expression: XPath) -> XPath:
    """trafilatura's ``.//*[...]`` discard expression as a test of one element."""
    path = expression.path.strip()
    if not path.startswith(".//*"):
        raise ValueError(f"unexpected trafilatura discard expression: {path[:40]!r}")
    return XPath("self::*" + path[len(".//*") :], namespaces={"re": "http://exslt.org/regular-expressions"})


_DISCARD_TESTS = [_self_test(expression) for expression in (*OVERALL_DISCARD_XPATH, *TEASER_DISCARD_XPATH)]


def _discard_guard_holds(frame: HtmlElement, discarded: list[HtmlElement]) -> bool:
    """Whether trafilatura would skip its name-based discards in ``frame`` altogether:
    it does when they would leave less than a seventh of the frame's text. Taking the
    names off the biggest box would then let it discard the smaller ones it now keeps."""
    found = set(discarded)
    outer = [element for element in discarded if not any(a in found for a in element.iterancestors())]
    text = len(frame.text_content())
    return text - sum(len(element.text_content()) for element in outer) <= text / 7


def unmark(marks: Marks) -> None:
    """Give the elements ``mark_prose_frame`` changed their attributes back."""
    for element, attributes in marks:
        element.attrib.clear()
        element.attrib.update(attributes)


def _unname_before(tree: HtmlElement, frame: HtmlElement, marks: Marks) -> None:
    """Take the content names off the boxes trafilatura's first look would find before the
    frame (a teaser card named like an article body): it takes the first one it finds."""
    ancestors = set(frame.iterancestors())
    for _ in range(_MAX_UNNAMED):
        first = next(iter(BODY_XPATH[0](tree)), None)
        if first is None or first is frame or first in ancestors:
            return
        marks.append((first, dict(first.attrib)))
        for attribute in ("class", "id", "itemprop"):
            first.attrib.pop(attribute, None)
