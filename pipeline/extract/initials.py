"""Drop caps: a story's first letter set in an element of its own, joined back to its word.

Pages set an article's initial in a box of its own (class names such as ``dropcap``,
``first-letter``, ``initial-letter``, German ``versal``) to style it large. Read as text,
the word falls apart: a space the markup keeps between the box and the rest ("T he
harbour"), or the box, a block of its own, is pruned as decoration and the story starts
"he harbour". Here the box gives way to its letter, written at the start of the
text that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["join_initials"]

_INITIAL_CLASS = re.compile(r"drop-?caps?|first-?letter|initial-?letter|\binitial\b|versal", re.IGNORECASE)
# Walked by their class attributes, whose elements are the candidates (in document order):
# half the time of testing every element's class six times.
_CANDIDATES = etree.XPath(
    "//@class[contains(., 'cap') or contains(., 'Cap') or contains(., 'letter')"
    " or contains(., 'Letter') or contains(., 'nitial') or contains(., 'ersal')]/.."
)
# A drop cap holds one letter, maybe behind an opening quote: never a word of its own...
_INITIAL = re.compile(r"[\"'“‘„«‹]?[^\W\d_]")
# ...but some letters are words ("A dog", "I think", "Y luego", "W Polsce"): where the
# markup sets a space after one of these, the space stays.
_LETTER_WORDS = frozenset("aàáeéèiíoóuúyýwzksv")
_WORD_START = re.compile(r"(\s*)[^\W\d_]")
# The continuation is looked for this many text nodes on, at most.
_MAX_TEXTS = 6

_Slot = tuple[HtmlElement, Literal["text", "tail"]]


def join_initials(root: HtmlElement) -> int:
    """Replace each drop-cap box holding one letter by the letter, written at the start of
    the text that follows it; the number replaced."""
    removed: set[HtmlElement] = set()
    for element in _CANDIDATES(root):
        if element.getparent() is None or any(a in removed for a in element.iterancestors()):
            continue
        if not _INITIAL_CLASS.search(element.get("class") or ""):
            continue
        letter = element.text_content().strip()
        if not _INITIAL.fullmatch(letter):
            continue
        slot = _continuation(element)
        if slot is None:
            continue
        node, attribute = slot
        text = getattr(node, attribute) or ""
        match = _WORD_START.match(text)
        assert match is not None
        spaced = bool(match.group(1)) or _spaced_before(element, slot)
        gap = " " if spaced and letter[-1].lower() in _LETTER_WORDS else ""
        setattr(node, attribute, letter + gap + text.lstrip())
        _remove(element, keep_tail=slot == (element, "tail"))
        removed.add(element)
    return len(removed)


def _following_texts(element: HtmlElement) -> Iterator[_Slot]:
    yield element, "tail"
    for sibling in element.itersiblings():
        yield from _texts(sibling)


def _texts(element: HtmlElement) -> Iterator[_Slot]:
    """The text slots of ``element``'s subtree in reading order, its own tail last."""
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            yield node, "text"
        else:  # an element's end, or a comment or processing instruction: no text of its own
            yield node, "tail"


def _continuation(element: HtmlElement) -> _Slot | None:
    """The first text after ``element`` (its tail, else within its next siblings) that is
    not blank, when it starts with a letter."""
    for count, (node, attribute) in enumerate(_following_texts(element)):
        if count >= _MAX_TEXTS:
            return None
        text = getattr(node, attribute) or ""
        if text.strip():
            return (node, attribute) if _WORD_START.match(text) else None
    return None


def _spaced_before(element: HtmlElement, slot: _Slot) -> bool:
    """Whether a blank text lies between ``element`` and its continuation ``slot``."""
    for node, attribute in _following_texts(element):
        if (node, attribute) == slot:
            return False
        if getattr(node, attribute):
            return True
    return False


def _remove(element: HtmlElement, *, keep_tail: bool) -> None:
    """Take ``element`` out; its tail stays in place when ``keep_tail`` (lxml would drop
    it with the element)."""
    parent = element.getparent()
    assert parent is not None
    if keep_tail and element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
