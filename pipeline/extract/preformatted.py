"""Stories set in ``<pre>``: preformatted prose opened into paragraphs, code left as it is.

Some pages carry their story as plain text inside a ``<pre>``: wire copy and press
releases pasted by a newsroom tool, mailing-list archives, old sites that publish the text
they were sent. The paragraphs are there, as blank lines, and the lines are wrapped by
hand at 70-odd characters. Read as HTML, a ``<pre>`` is one block: every extractor (ours
and trafilatura, which takes it for a quotation) gives the whole story as one paragraph,
so the story loses its paragraphs, and the dedup stage, which compares paragraphs, sees
one giant one.

Here such a ``<pre>`` becomes a ``<div>`` holding a ``<p>`` for each run of text between
blank lines (the hand wraps inside a run are whitespace, as HTML reads them). Only prose is
opened: a block marked as code (``<code>``, ``<kbd>``, ``<samp>`` inside, or a class naming
code or a language), or written with many of the symbols code is made of, keeps its
``<pre>``, and so does one with no paragraph break or no run long enough to be prose.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["open_preformatted"]

_PRES = etree.XPath("//pre")
# A blank line (spaces allowed on it) parts two paragraphs.
_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CODE_INSIDE = etree.XPath(".//code | .//kbd | .//samp | .//var")
_CODE_CLASS = re.compile(
    r"code|highlight|syntax|lang(uage)?-|brush|prettyprint|hljs|console|terminal|shell|source|snippet",
    re.IGNORECASE,
)
# Characters that code is full of and prose hardly uses: above this share of the visible
# characters the block is not prose, whatever else it looks like.
_CODE_SYMBOLS = frozenset("{}[]<>;=$#\\|^~`*_@")
_MAX_CODE_SYMBOL_SHARE = 0.02
# Prose is mostly letters...
_MIN_LETTER_SHARE = 0.7
# ...and two of its paragraphs at least are this many words, ending as a sentence ends.
_PROSE_WORDS = 12
_PROSE_RUNS = 2
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
# Inline elements that may wrap the text across a paragraph break: they give way to their
# content so that the break lies between the block's own children.
_INLINE = frozenset({"span", "font", "b", "i", "em", "strong", "u", "small", "tt", "big"})


def open_preformatted(root: HtmlElement) -> int:
    """Turn each ``<pre>`` under ``root`` that holds prose in paragraphs into a ``<div>``
    of ``<p>``; the number of blocks opened."""
    opened = 0
    for pre in _PRES(root):
        if pre.getparent() is None or not _is_prose(pre):
            continue
        _unwrap_across_breaks(pre)
        _split(pre)
        opened += 1
    return opened


def _is_prose(pre: HtmlElement) -> bool:
    if _CODE_CLASS.search(pre.get("class") or "") or _CODE_INSIDE(pre):
        return False
    text = pre.text_content()
    runs = [run for run in _BREAK.split(text) if run.strip()]
    if len(runs) < 2:
        return False
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return False
    if sum(char in _CODE_SYMBOLS for char in visible) > _MAX_CODE_SYMBOL_SHARE * len(visible):
        return False
    if sum(char.isalpha() for char in visible) < _MIN_LETTER_SHARE * len(visible):
        return False
    sentences = sum(
        1 for run in runs if len(run.split()) >= _PROSE_WORDS and _SENTENCE_END.search(run.rstrip())
    )
    return sentences >= _PROSE_RUNS


def _unwrap_across_breaks(pre: HtmlElement) -> None:
    """Inline wrappers whose text spans a paragraph break give way to their content."""
    for element in list(pre.iterdescendants()):
        if isinstance(element.tag, str) and element.tag in _INLINE and _BREAK.search(element.text_content()):
            element.drop_tag()


def _split(pre: HtmlElement) -> None:
    """``pre`` becomes a ``<div>``; its text and children go into one ``<p>`` per run
    between blank lines, in order."""
    pieces: list[list[str | HtmlElement]] = [[]]

    def add_text(text: str | None) -> None:
        for index, part in enumerate(_BREAK.split(text or "")):
            if index:
                pieces.append([])
            if part:
                pieces[-1].append(part)

    add_text(pre.text)
    for child in list(pre):
        tail = child.tail
        child.tail = None
        pre.remove(child)
        pieces[-1].append(child)
        add_text(tail)
    pre.text = "\n"
    pre.tag = "div"
    for piece in pieces:
        if not any(isinstance(item, HtmlElement) or item.strip() for item in piece):
            continue
        paragraph = etree.SubElement(pre, "p")
        last: HtmlElement | None = None
        for item in piece:
            if isinstance(item, str):
                if last is None:
                    paragraph.text = (paragraph.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
            else:
                paragraph.append(item)
                last = item
        paragraph.tail = "\n"
