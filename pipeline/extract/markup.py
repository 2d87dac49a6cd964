"""HTML markup found where text is expected: read as a browser would show it.

A publisher's JSON-LD ``articleBody`` is text by schema.org, yet some put the body's HTML
in it, embeds included (a chart's ``<iframe>`` and its ``<script>``, entity-escaped in the
JSON); trafilatura's JSON rescue hands such a value back as a paragraph of markup. Here
that markup turns into the text it shows: embeds and scripts show none, block elements
break lines.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

__all__ = ["markup_text", "without_embed_code"]

_NAMES = (
    r"(?:p|br|a|em|strong|b|i|u|s|span|div|h[1-6]|ul|ol|li|blockquote|figure|figcaption|img|picture|"
    r"source|iframe|script|style|noscript|svg|use|table|tr|td|th|section|article|aside|sup|sub|hr|pre|code|"
    r"video|audio|embed|object|template)"
)
# Markup, by the tags a body's HTML uses: an end tag, a tag with attributes, a line
# break. ``Vec<String>`` in a text about code, or a sentence naming ``<iframe>``, is none.
_MARKUP = re.compile(rf"</{_NAMES}>|<{_NAMES}\s+[\w-]+\s*=|<br\s*/?>", re.IGNORECASE)
# Elements that show no text of their own: embeds, scripts and their fallbacks.
_EMBEDS = ("script", "style", "iframe", "noscript", "svg", "template", "object", "embed", "video", "audio")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure",
                     "figcaption", "table", "tr", "section", "article", "aside", "pre", "hr", "br"})
# A paragraph that opens with an embed's tag and its attributes is embed code, not a
# sentence about an ``<iframe>`` (which names the tag without attributes).
_EMBED_CODE = re.compile(r"\s*<(?:iframe|script|embed|object|style|noscript)\s+[\w-]+\s*=", re.IGNORECASE)


def markup_text(text: str) -> str:
    """``text`` with the HTML markup in it read as a browser shows it: embeds and scripts
    dropped, a line break at each block element. Text without HTML tags comes back as
    it is."""
    if not _MARKUP.search(text):
        return text
    try:
        fragment = lxml.html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return text
    for element in list(fragment.iter(*_EMBEDS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in fragment.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    return str(fragment.text_content())


def without_embed_code(paragraph: str) -> str:
    """A paragraph that opens with embed code (``<iframe src=...>``, ``<script ...>``), as
    the text it shows (often none); any other paragraph as it is."""
    return markup_text(paragraph) if _EMBED_CODE.match(paragraph) else paragraph
