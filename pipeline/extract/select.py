"""Per-source CSS selectors, matched by soupsieve on a BeautifulSoup view of the lxml tree.

soupsieve implements CSS Selectors Level 4 as browsers do, with ``:has()``, ``:is()``,
``:not()`` over lists and ``:-soup-contains()`` (text content), which lxml's cssselect
does not: a source's config can say "the ``div`` that holds the headline" or "the box
whose text says Advertisement". The view mirrors the tree element for element, so the
matches are the lxml elements themselves, in document order, and the extractor keeps
working on its one tree.
"""

from __future__ import annotations

import functools

import soupsieve
from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from lxml.html import HtmlElement

__all__ = ["SelectorError", "TreeView", "check_selector", "select"]


class SelectorError(ValueError):
    """A selector soupsieve cannot compile; the message names the selector and the fault."""


@functools.lru_cache(maxsize=256)
def _compiled(selector: str) -> soupsieve.SoupSieve:
    try:
        return soupsieve.compile(selector)
    except (soupsieve.SelectorSyntaxError, NotImplementedError) as exc:
        # soupsieve raises NotImplementedError for pseudo-elements (::before), which
        # select nothing in a document.
        reason = str(exc).splitlines()[0]
        raise SelectorError(f"invalid CSS selector {selector!r}: {reason}") from None


def check_selector(selector: str) -> str:
    """``selector`` unchanged when soupsieve compiles it; SelectorError otherwise."""
    _compiled(selector)
    return selector


def _view(root: HtmlElement) -> tuple[BeautifulSoup, dict[int, HtmlElement]]:
    """A BeautifulSoup document mirroring ``root``, and each Tag's lxml element by id().

    Built without recursion (trees can be thousands of levels deep) and without the
    comments and processing instructions lxml may hold.
    """
    soup = BeautifulSoup("", "html.parser")
    elements: dict[int, HtmlElement] = {}
    # An element to mirror, or a text (an element's tail) to append, under its parent.
    stack: list[tuple[HtmlElement | str, Tag]] = [(root, soup)]
    while stack:
        item, parent = stack.pop()
        if isinstance(item, str):
            parent.append(NavigableString(item))
            continue
        if item.tail and parent is not soup:
            # Pushed before the children, so popped after them: document order.
            stack.append((item.tail, parent))
        if not isinstance(item.tag, str):
            continue  # a comment or processing instruction: only its tail is text
        tag = soup.new_tag(item.tag, attrs=dict(item.attrib))
        elements[id(tag)] = item
        parent.append(tag)
        if item.text:
            tag.append(NavigableString(item.text))
        stack.extend((child, tag) for child in reversed(item))
    return soup, elements


class TreeView:
    """Selectors over one tree, the BeautifulSoup view built once on first use.

    Valid while the tree is not changed: build a new one after pruning or moving
    elements. Several selectors over an unchanged tree (a source's title, date and author)
    share the one view.
    """

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._view: tuple[BeautifulSoup, dict[int, HtmlElement]] | None = None

    def select(self, selector: str) -> list[HtmlElement]:
        """The elements of the tree that ``selector`` matches, in document order.

        Raises SelectorError for a selector soupsieve cannot compile (config validation
        normally catches that at start).
        """
        compiled = _compiled(selector)
        root = self._tree.getroottree().getroot()
        if self._view is None:
            self._view = _view(root)
        soup, elements = self._view
        matched = [elements[id(tag)] for tag in compiled.select(soup) if id(tag) in elements]
        if root is self._tree:
            return matched
        inside = set(self._tree.iter())
        return [element for element in matched if element in inside]


def select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """``TreeView(tree).select(selector)``: one selector over a tree, once."""
    return TreeView(tree).select(selector)
