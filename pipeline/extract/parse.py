"""Decoded HTML to an lxml tree, bounded in size, or None when there is no document."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlElementClassLookup,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
)

from newsdedup.pipeline.extract.endtags import close_open_divs
from newsdedup.pipeline.extract.initials import join_initials

__all__ = ["HtmlParser"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Above this size the page is mostly inline data (framework state, base64 images): those
# blocks are cut before parsing so that parsing and extraction stay within bounds.
_LARGE_PAGE_CHARS = 1_500_000
_BULKY_BLOCKS = re.compile(
    r"<(script|style|svg)\b(?![^>]*application/ld\+json)[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]{200,}")


def _class_lookup() -> etree.ElementNamespaceClassLookup:
    """The element classes lxml.html gives, chosen in C rather than by a Python call per node.

    ``lxml.html`` picks the class of every element proxy through a Python ``lookup`` method
    (a tenth of extraction time); this maps the same tag names to the same classes (the
    parser lower-cases tag names and puts HTML elements in no namespace).
    """
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
        )
    )
    by_tag = lookup.get_namespace(None)
    for tag, element_class in HtmlElementClassLookup._default_element_classes.items():
        by_tag[tag] = element_class
    return lookup


class HtmlParser:
    """A reusable lenient HTML parser (comments and processing instructions dropped)."""

    def __init__(self) -> None:
        self._parser = HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
        self._parser.set_element_class_lookup(_class_lookup())

    def parse(self, text: str) -> HtmlElement | None:
        """The document element, or None for an empty or unparseable document."""
        text = _XML_DECLARATION.sub("", text, count=1)
        # Control characters are not text (and lxml refuses them in strings it hands back).
        text = _CONTROL.sub("", text)
        if len(text) > _LARGE_PAGE_CHARS:
            text = _DATA_URI.sub("data:,", _BULKY_BLOCKS.sub("", text))
        if not text.strip():
            return None
        try:
            root = document_fromstring(close_open_divs(text), parser=self._parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None
        if not isinstance(root, HtmlElement):
            return None
        join_initials(root)
        return root
