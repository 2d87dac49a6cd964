"""End tags a browser honours and libxml2 ignores, made explicit before parsing.

libxml2's HTML parser lets an end tag close only elements of its own "priority" or
lower, and a ``<div>`` outranks most: in ``<aside><div>...</aside>`` the ``</aside>`` is
dropped while the ``<div>`` is open, and everything after it, the story included, ends up
inside the aside (or a menu button, a header), which the pruning then removes with it.
An HTML5 parser, as in every browser, closes the open ``<div>`` and the aside there. This
module writes those implied ``</div>`` before such an end tag, so that libxml2 builds the
tree a browser shows. Scripts, styles, comments and other raw text are skipped; an end tag
with no open element of its name, or one whose element lies beyond a table cell (outside
its scope, as HTML5 says), is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

__all__ = ["close_open_divs"]

# The end tags HTML5 closes open elements with ("pop until": the sectioning and grouping
# elements, a button), all of which libxml2 ignores while a <div> opened inside them is
# open (its priority rule). Not the formatting elements (a, b, span...): HTML5 ignores
# their end tag across a <div> too, or runs its adoption agency on them.
_CONTAINERS = frozenset({
    "address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "search", "section", "summary",
})
# Elements that end the scope an end tag may close across (HTML5 "has an element in scope").
_SCOPE = frozenset({"table", "td", "th", "caption", "object", "applet", "marquee"})
_TRACKED = _CONTAINERS | _SCOPE | {"div"}
# An end tag looks this far down the open elements for its own: a page that leaves more
# <div>s than this open above it is left to libxml2 as it is, and a page of thousands of
# stray end tags over thousands of open ones costs a bounded walk each (not a poison pill).
_MAX_SEARCHED = 200
# Raw text and comments, whose "tags" are none: where each begins, and its end by name.
_RAW_NAMES = ("script", "style", "textarea", "title", "xmp", "noscript", "template", "svg", "math")
# A name ends where the tag's name does: ``<svg-icon>`` and ``<header-menu>`` are custom
# elements, not an svg or a header.
_NAME_END = r"(?=[\s/>])"
_RAW_START = re.compile(rf"<!--|<({'|'.join(_RAW_NAMES)}){_NAME_END}", re.IGNORECASE)
_RAW_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW_NAMES}
_TAG = re.compile(rf"<(/?)({'|'.join(sorted(_TRACKED))}){_NAME_END}([^>]*)>", re.IGNORECASE)


def close_open_divs(html: str) -> str:
    """``html`` with a ``</div>`` written before each end tag that a browser would close
    open ``<div>`` elements with and libxml2 would ignore; unchanged when there is none."""
    inserts = _missing_closers(html)
    if not inserts:
        return html
    pieces: list[str] = []
    last = 0
    for at, divs in inserts:
        pieces.append(html[last:at])
        pieces.append("</div>" * divs)
        last = at
    pieces.append(html[last:])
    return "".join(pieces)


def _tags(html: str) -> Iterator[re.Match[str]]:
    """The tracked start and end tags of ``html``, outside comments and raw text."""
    raw = _raw_spans(html)
    skip = 0
    for match in _TAG.finditer(html):
        at = match.start()
        while skip < len(raw) and raw[skip][1] <= at:
            skip += 1
        if skip == len(raw) or raw[skip][0] > at:
            yield match


def _missing_closers(html: str) -> list[tuple[int, int]]:
    """(offset, count): where ``count`` ``</div>`` are missing before an end tag that a
    browser would close them with, in order."""
    stack: list[str] = []
    # How many of each tag are open: an end tag with none open is passed over at once.
    open_tags: Counter[str] = Counter()
    inserts: list[tuple[int, int]] = []
    for match in _tags(html):
        tag = match.group(2).lower()
        if not match.group(1):
            if not match.group(3).rstrip().endswith("/"):
                stack.append(tag)
                open_tags[tag] += 1
            continue
        depth = _open_in_scope(stack, tag) if open_tags[tag] else None
        if depth is None:
            continue
        above = stack[depth + 1 :]
        divs = above.count("div")
        if divs and tag in _CONTAINERS:
            inserts.append((match.start(), divs))
        open_tags.subtract(stack[depth:])
        del stack[depth:]
    return inserts


def _raw_spans(html: str) -> list[tuple[int, int]]:
    """Where comments, scripts, styles and other raw text lie in ``html``, in order (an
    unclosed one runs to the end)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (start := _RAW_START.search(html, position)) is not None:
        name = start.group(1)
        if name is None:
            found = html.find("-->", start.end())
            end = len(html) if found < 0 else found + 3
        else:
            closing = _RAW_END[name.lower()].search(html, start.end())
            end = len(html) if closing is None else closing.end()
        spans.append((start.start(), end))
        position = end
    return spans


def _open_in_scope(stack: list[str], tag: str) -> int | None:
    """The index of the innermost open ``tag`` in ``stack``, or None when there is none
    among the top ``_MAX_SEARCHED`` or a table part lies between it and the current node."""
    for index in range(len(stack) - 1, max(len(stack) - _MAX_SEARCHED, 0) - 1, -1):
        if stack[index] == tag:
            return index
        if stack[index] in _SCOPE and tag not in _SCOPE:
            return None
    return None
