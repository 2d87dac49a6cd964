"""Paragraphs in reading order from an HTML subtree (used where a CSS selector names the body)."""

from __future__ import annotations

from typing import Literal

from lxml.html import HtmlElement

from newsdedup.core.records import ParagraphKind
from newsdedup.pipeline.extract.text import normalize_space, shown_texts

__all__ = ["Block", "BlockKind", "blocks_of"]

#: A paragraph kind, or "item" for a list item (told apart until the body is cleaned).
BlockKind = ParagraphKind | Literal["item"]
Block = tuple[BlockKind, str]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "address", "td", "th"}) | _HEADINGS
_INLINE = frozenset(
    {
        "a", "span", "strong", "b", "em", "i", "u", "small", "sub", "sup", "mark", "abbr",
        "cite", "q", "time", "code", "font", "s", "del", "ins", "bdi", "bdo", "var", "kbd",
        "data", "wbr", "label",
    }
)
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "video", "audio", "canvas", "img", "picture", "figure", "figcaption", "button", "input",
        "select", "textarea", "form", "nav", "footer", "aside", "head", "meta", "link",
    }
)


class _Full(Exception):
    """Raised inside the walk once ``limit`` blocks are collected."""


class _Collector:
    def __init__(self, limit: int) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._limit = limit

    def add_inline(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        if self._buffer:
            self.emit("text", "".join(self._buffer))
            self._buffer = []

    def emit(self, kind: BlockKind, text: str) -> None:
        cleaned = normalize_space(text)
        if cleaned:
            self.blocks.append((kind, cleaned))
            if len(self.blocks) >= self._limit:
                raise _Full


def _walk(element: HtmlElement, out: _Collector) -> None:
    out.add_inline(element.text)
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            pass
        elif tag == "br":
            out.flush()
        elif tag in _INLINE:
            out.add_inline("".join(shown_texts(child, _SKIP)))
        elif tag in _BLOCKS:
            out.flush()
            kind: BlockKind = "heading" if tag in _HEADINGS else "item" if tag == "li" else "text"
            if tag in ("li", "dd") and child.find(".//p") is not None:
                _walk(child, out)
            else:
                out.emit(kind, "".join(shown_texts(child, _SKIP)))
        else:
            out.flush()
            _walk(child, out)
            out.flush()
        out.add_inline(child.tail)


def blocks_of(elements: list[HtmlElement], limit: int = 10_000) -> list[Block]:
    """The paragraphs under ``elements``, in document order, with headings marked; the
    walk stops after ``limit`` paragraphs."""
    out = _Collector(limit)
    try:
        for element in elements:
            if element.tag in _BLOCKS:
                kind: BlockKind = "heading" if element.tag in _HEADINGS else "text"
                out.emit(kind, "".join(shown_texts(element, _SKIP)))
            else:
                _walk(element, out)
                out.flush()
    except _Full:
        pass
    return out.blocks
