"""The phrases of a page's own interface in its visible text, by kind of page.

The visible text of the unpruned page (its first ``_MAX_SCANNED`` elements, scripts and
styles left out) is searched for general phrases of the web's interface vocabulary, in
several languages, sorted into classes by the kind of page that says them: a shop's
"add to cart" and "in stock", a service's "free trial" and "request a demo", a forum's
"joined" and "replies", documentation's "on this page" and "edit this page", an
article's "min read" and "written by". Nothing here names a site. The counts feed the
page-kind model (``page_model``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.text import WORD, shown_texts

__all__ = ["TEXT_CLASSES", "PageWords", "read_words"]

_MAX_SCANNED = 20_000
_MAX_TEXT = 200_000
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
# Scripts written without spaces between words (kana, Han, Hangul) start here.
_UNSPACED = 0x3000


def _words(*alternatives: str) -> re.Pattern[str]:
    """One pattern of whole words or phrases (in scripts without spaces: as substrings),
    written in lower case and matched against lower-cased text."""
    unspaced = [a for a in alternatives if any(ord(c) >= _UNSPACED for c in a)]
    spaced = [a for a in alternatives if a not in unspaced]
    parts = [r"(?<!\w)(?:" + "|".join(spaced) + r")(?!\w)"]
    if unspaced:
        parts.append("|".join(unspaced))
    return re.compile("|".join(parts))


#: Phrases of the visible text that only one kind of page says (not single common words).
TEXT_CLASSES: dict[str, re.Pattern[str]] = {
    "shop": _words(
        "add to (?:cart|bag|basket)", "in stock", "out of stock", "free (?:shipping|delivery|returns)",
        "customer reviews", "in den warenkorb", "ajouter au panier", "añadir al carrito", "aggiungi al carrello",
        "vat included", "incl\\.? vat", "inkl\\.? mwst", "ttc",
    ),
    "service": _words(
        "free trial", "request a demo", "book a demo", "get a demo", "contact sales", "get started",
        "sign up", "our (?:team|clients|customers|services|solutions|platform)", "trusted by", "per month",
        "/mo", "per user", "no credit card", "get a quote", "case stud(?:y|ies)",
    ),
    "forum": _words(
        "joined", "posts:", "replies", "reply", "quote", "members? online", "thread starter",
        "original poster", "accepted answer", "answered", "asked", "report post", "likes received",
        "(?:\\d+ )?(?:years?|months?|days?|hours?) ago",
    ),
    "docs": _words(
        "edit this page", "on this page", "edit on github", "table of contents", "was this page helpful",
        "next page", "previous page", "api reference", "release notes", "deprecated", "parameters",
        "return(?:s| value)", "example(?:s)?:", "note:", "syntax",
    ),
    "article": _words(
        "min(?:ute)?s? read", "written by", "posted (?:by|on)", "published (?:on|by)?", "updated",
        "share (?:this|on)", "leave a comment", "related (?:articles|stories|posts)", "editor",
        "reporter", "correspondent", "follow us", "subscribe", "newsletter",
    ),
}


@dataclass(frozen=True, slots=True)
class PageWords:
    """Words of visible text, and how many phrases of each class of ``TEXT_CLASSES`` it holds."""

    words: int = 0
    phrases: dict[str, int] = field(default_factory=dict)


def read_words(root: HtmlElement) -> PageWords:
    """The phrase counts of ``root`` (the page's body, unpruned)."""
    visible = " ".join(" ".join(shown_texts(root, _SKIP, _MAX_SCANNED)).split())[:_MAX_TEXT]
    # One lowering is cheaper than matching each class's pattern case-blind.
    lowered = visible.lower()
    return PageWords(
        words=len(WORD.findall(visible)),
        phrases={name: len(pattern.findall(lowered)) for name, pattern in TEXT_CLASSES.items()},
    )
