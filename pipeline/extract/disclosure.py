"""Collapsed panels of the story shown to trafilatura's pass.

A story's FAQ answers and expandable sections sit in panels the reader opens: an
accordion pane right after its toggle (a labelled ``<button>``, an element that carries
``aria-expanded`` or ``aria-controls``) or a ``<details>`` box under its ``<summary>``.
trafilatura discards them as hidden (``aria-hidden``, ``display:none``, a "hidden" class)
or by the names of the boxes around them ("expand", "-icon", "embed"). Such a panel that
holds prose (``MIN_PANEL_CHARS``, little link text, no form control) and is not in the
page's navigation, header, footer, sidebar or a dialog loses its hiding attributes, its
class and id for the pass, with the boxes around it that hold little else; ``unmark``
gives them back. The panels' text is returned too, so that the page-kind judgement can
read the body as it was before (a listing's "show more" panel must not make it a story).
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

from newsdedup.pipeline.extract.frame import Marks
from newsdedup.pipeline.extract.prune import text_length

__all__ = ["MIN_PANEL_CHARS", "Panels", "in_panels", "reveal_panels"]

#: A panel holds at least this many characters of text...
MIN_PANEL_CHARS = 80
#: ...of which at most this share is link text (a menu or a teaser list is not a panel).
MAX_LINK_SHARE = 0.3
#: A box around a panel is shown with it when the toggles and panels are this share of
#: its text (the accordion's own wrapper, not the story's frame).
WIDGET_SHARE = 0.85
_MAX_LEVELS = 6
#: Attributes that hide an element or name it for trafilatura's discard lists.
_HIDING = ("hidden", "aria-hidden", "class", "id", "style")
_FORM_CONTROLS = ("input", "textarea", "select")
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "dialog", "form"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "search"})
_CHROME_NAME = re.compile(r"(?:^|[\s_-])(?:menu|nav|navigation|navbar|cookies?|consent|modal|popup)(?:$|[\s_-])", re.IGNORECASE)
#: Boxes that are the story's frame or the page itself: never unnamed.
_FRAME_TAGS = frozenset({"article", "main", "body", "html"})
_BOX_TAGS = frozenset({"div", "section", "ul", "ol", "dl", "li", "dd", "span"})

#: The panels' texts, whitespace runs as one space (what ``in_panels`` matches against).
Panels = tuple[str, ...]


def _link_chars(element: HtmlElement) -> int:
    return sum(text_length(link) for link in element.iter("a"))


def _label(toggle: HtmlElement) -> str:
    return (toggle.get("aria-label") or "").strip() or " ".join(toggle.text_content().split())


def _in_chrome(element: HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _CHROME_TAGS or node.get("role") in _CHROME_ROLES:
            return True
        if _CHROME_NAME.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
    return False


def _holds_prose(panel: HtmlElement, length: int) -> bool:
    if length < MIN_PANEL_CHARS or _link_chars(panel) > MAX_LINK_SHARE * length:
        return False
    return not any(True for _ in panel.iter(*_FORM_CONTROLS))


def _is_toggle(element: HtmlElement) -> bool:
    """A labelled button, or an element that says it opens something."""
    if element.tag != "button" and element.get("aria-expanded") is None and element.get("aria-controls") is None:
        return False
    return bool(_label(element))


def _panel_after(toggle: HtmlElement) -> HtmlElement | None:
    """The element a toggle opens: the one it names by ``aria-controls``, else the next
    element after it, or after the heading or box that holds only the toggle."""
    controls = (toggle.get("aria-controls") or "").split()
    if controls:
        root = toggle.getroottree().getroot()
        found = root.xpath("//*[@id=$name]", name=controls[0])
        if found:
            return found[0]
    node = toggle
    own = text_length(toggle)
    for _ in range(3):
        following = node.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None:
            return following
        parent = node.getparent()
        # Climb only out of a box that holds the toggle and nothing more.
        if parent is None or parent.tag in _FRAME_TAGS or text_length(parent) > own:
            return None
        node = parent
    return None


def _pairs(tree: HtmlElement) -> list[tuple[HtmlElement, HtmlElement]]:
    """(toggle, panel) pairs of the page; a ``<details>`` is its own panel."""
    pairs: list[tuple[HtmlElement, HtmlElement]] = []
    for element in tree.iter(etree.Element):
        if element.tag == "details":
            summary = element.find("summary")
            if summary is not None:
                pairs.append((summary, element))
        elif _is_toggle(element):
            panel = _panel_after(element)
            if panel is not None and panel is not element and element not in panel.iterancestors():
                pairs.append((element, panel))
    return pairs


def reveal_panels(tree: HtmlElement) -> tuple[Marks, Panels]:
    """Show the story's collapsed panels in ``tree`` for trafilatura's pass.

    Returns what was changed (for ``frame.unmark``) and the panels' texts.
    """
    marks: Marks = []
    pairs = _pairs(tree)
    # The cheap tests first: trafilatura's discard lists are run over the page only when a
    # panel holds prose outside the page's chrome.
    candidates = [(toggle, panel) for toggle, panel in pairs if _may_show(toggle, panel)]
    if not candidates:
        return marks, ()
    # What trafilatura's pass would discard (hidden, or by its names): a panel it keeps
    # anyway is left as it is, and read as any other part of the body.
    discarded = _discarded(tree, [panel for _, panel in pairs if panel.tag == "details"])
    shown = _story_panels(candidates, discarded)
    widget: dict[HtmlElement, int] = defaultdict(int)
    for toggle, panel in shown:
        chars = text_length(panel) + (0 if panel.tag == "details" else text_length(toggle))
        for level, ancestor in enumerate(panel.iterancestors()):
            if level >= _MAX_LEVELS or ancestor.tag in _FRAME_TAGS:
                break
            widget[ancestor] += chars
    # The text shown: of each panel, or of the outermost box around it shown with it
    # (which holds its toggle's label too).
    outermost: dict[HtmlElement, None] = {}
    for _, panel in shown:
        _unhide(panel, marks)
        top = panel
        for ancestor in panel.iterancestors():
            if (
                ancestor.tag not in _BOX_TAGS
                or ancestor.get("itemprop") == "articleBody"
                or widget.get(ancestor, 0) < WIDGET_SHARE * text_length(ancestor)
            ):
                break
            _unhide(ancestor, marks)
            top = ancestor
        outermost[top] = None
    return marks, tuple(" ".join(box.text_content().split()) for box in outermost)


def _story_panels(
    pairs: list[tuple[HtmlElement, HtmlElement]], discarded: set[HtmlElement],
) -> list[tuple[HtmlElement, HtmlElement]]:
    """Of the pairs that may be shown (``_may_show``), those whose panel trafilatura would
    discard, each panel once."""
    shown: list[tuple[HtmlElement, HtmlElement]] = []
    seen: set[HtmlElement] = set()
    for toggle, panel in pairs:
        if panel in seen or not _collapsed(panel, discarded):
            continue
        seen.add(panel)
        shown.append((toggle, panel))
    return shown


def _may_show(toggle: HtmlElement, panel: HtmlElement) -> bool:
    """Whether ``panel`` could be shown, whatever trafilatura would discard: below the
    story's frame, holding prose, outside the page's chrome."""
    if panel.tag in _FRAME_TAGS:
        return False
    length = text_length(panel) - (text_length(toggle) if panel.tag == "details" else 0)
    return _holds_prose(panel, length) and not _in_chrome(panel)


def _discarded(tree: HtmlElement, details: list[HtmlElement]) -> set[HtmlElement]:
    """The elements trafilatura's discard lists match; a ``<details>`` is read as the
    ``<div>`` trafilatura turns it into before it looks."""
    for element in details:
        element.tag = "div"
    try:
        return {element for expression in OVERALL_DISCARD_XPATH for element in expression(tree)}
    finally:
        for element in details:
            element.tag = "details"


def _collapsed(panel: HtmlElement, discarded: set[HtmlElement]) -> bool:
    """Whether trafilatura would discard ``panel``: it, or a box around it below the
    story's frame, is hidden or named as chrome."""
    for level, node in enumerate((panel, *panel.iterancestors())):
        if level > _MAX_LEVELS or node.tag in _FRAME_TAGS or node.get("itemprop") == "articleBody":
            return False
        if node in discarded:
            return True
    return False


def _unhide(element: HtmlElement, marks: Marks) -> None:
    if any(element is marked for marked, _ in marks):
        return
    if not any(name in element.attrib for name in _HIDING):
        return
    marks.append((element, dict(element.attrib)))
    for name in _HIDING:
        element.attrib.pop(name, None)


def in_panels(text: str, panels: Panels) -> bool:
    """Whether a body paragraph's text comes from one of the revealed panels."""
    line = " ".join(text.split())
    return bool(line) and any(line in panel for panel in panels)
