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
from newsdedup.pipeline.extract.preformatted import open_preformatted
from newsdedup.pipeline.extract.text import CONTROL_CHARS

__all__ = ["HtmlParser"]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Above this size the page is mostly inline data (framework state, base64 images): those
# blocks are cut before parsing so that parsing and extraction stay within bounds.
_LARGE_PAGE_CHARS = 1_500_000
_BULKY_BLOCKS = re.compile(
    r"<(script|style|svg)\b(?![^>]*application/ld\+json)[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]{200,}")
# libxml2 stops parsing where the open elements reach 256 (its default limit), and the
# rest of the page is lost with the elements below: a template's wrappers, a table of
# tables or tags never closed can nest that deep. Such a page is parsed again as a huge
# tree (a limit of 2,048), and below ``_FLAT_DEPTH`` its layout wrappers are dropped, their
# text and children kept in place: the extractors' walks (trafilatura's among them) are
# quadratic in depth on nested tables. What lies deeper than 2,048 levels (a page built to
# break parsers) is still lost, and such a page is rejected as too short. None of the
# 1,554 dev pages nests deeper than 255 (``close_open_divs`` applied), so none is parsed twice.
_DEPTH_ERROR = "ERR_RESOURCE_LIMIT"
_FLAT_DEPTH = 160
_WRAPPERS = frozenset({
    "div", "span", "section", "article", "main", "font", "center", "table", "tbody", "thead", "tfoot",
    "tr", "td", "th", "b", "i", "em", "strong", "small", "big", "u", "s", "blockquote", "form", "label",
})


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
        self._parser = self._new(huge=False)
        self._huge = self._new(huge=True)

    @staticmethod
    def _new(*, huge: bool) -> HTMLParser:
        parser = HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False, huge_tree=huge)
        parser.set_element_class_lookup(_class_lookup())
        return parser

    def parse(self, text: str) -> HtmlElement | None:
        """The document element, or None for an empty or unparseable document."""
        text = _XML_DECLARATION.sub("", text, count=1)
        # Control characters are not text (and lxml refuses them in strings it hands back).
        text = CONTROL_CHARS.sub("", text)
        if len(text) > _LARGE_PAGE_CHARS:
            text = _DATA_URI.sub("data:,", _BULKY_BLOCKS.sub("", text))
        if not text.strip():
            return None
        text = close_open_divs(text)
        try:
            root = document_fromstring(text, parser=self._parser)
            if any(error.type_name == _DEPTH_ERROR for error in self._parser.error_log):
                root = document_fromstring(text, parser=self._huge)
                if isinstance(root, HtmlElement):
                    _flatten_below(root, _FLAT_DEPTH)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None
        if not isinstance(root, HtmlElement):
            return None
        join_initials(root)
        open_preformatted(root)
        return root


def _flatten_below(root: HtmlElement, depth: int) -> None:
    """Drop the layout wrappers nested deeper than ``depth`` (their text and children stay
    where they were, in reading order)."""
    deep: list[HtmlElement] = []
    level = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            level -= 1
            continue
        level += 1
        if level > depth and element.tag in _WRAPPERS:
            deep.append(element)
    for element in deep:
        element.drop_tag()
