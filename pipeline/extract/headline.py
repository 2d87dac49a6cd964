"""The page's displayed headline at the top of its body: one definition, dropped in one step.

A content finder often keeps the headline as the body's first line. A line among the
first ``TITLE_ZONE`` lines is the displayed headline when it is:

- the page's first ``<h1>``, word for word (the headline as shown, which may differ from
  the title its metadata declares), once: a second such line is the story's;
- the declared title: the same words (quotes and case aside), or the title with a kicker
  glued on ("Harbour strike Ferries stay in port until Monday - ...");
- a heading standing above the lead with no paragraph before it (the headline as displayed,
  often with a kicker, where the ``<h1>`` and the metadata say it otherwise).

``drop_headline`` drops all three in one step (and cuts the declared title where a fallback
extraction glued it to the first paragraph), recorded under the kind ``title``; it runs
first in ``body.clean_blocks``, before the chrome lines are dropped and before the lead is
moved to the top (``body._with_lead``). So a chrome line between the headings and the lead
(a share bar) means the headings do not stand directly above the lead: they stay. (Until
the three were one step, that rule ran after the chrome lines were gone; on the dev sets
no page's output differs.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.text import overlap, tokens

__all__ = ["TITLE_ZONE", "Headline", "drop_headline", "h1_text", "h1_words"]

#: The displayed headline is looked for among this many lines at the top of the body.
TITLE_ZONE = 4
# An <h1> of fewer words ("News", "Home") is a section name, not a headline.
_H1_MIN_WORDS = 3
# A fallback extraction glues the title to a first paragraph this much longer than it.
_GLUED_MIN_EXTRA_CHARS = 20
# A line is the lead when this share of each one's words is in the other.
_LEAD_MATCH = 0.8


def h1_text(tree: etree._Element) -> str:
    """The text of the page's first ``<h1>``; empty when there is none."""
    first = next(tree.iter("h1"), None)
    return " ".join(first.itertext()) if first is not None else ""


def h1_words(tree: HtmlElement) -> tuple[str, ...]:
    """The words of the page's first ``<h1>`` (read before chrome is pruned); empty when
    there is none."""
    return tuple(tokens(h1_text(tree)))


@dataclass(frozen=True, slots=True)
class Headline:
    """What the page says its headline is (the declared title, the first ``<h1>``'s words)
    and the lead it shows under it."""

    title: str | None = None
    h1: tuple[str, ...] = ()
    #: The page's lead (standfirst), when it shows one: headings above it are the headline.
    lead: str | None = None

    def is_lead(self, text: str) -> bool:
        """Whether ``text`` is the page's lead (nearly the same words both ways)."""
        lead = self.lead
        return lead is not None and overlap(lead, text) >= _LEAD_MATCH and overlap(text, lead) >= _LEAD_MATCH

    def is_h1(self, text: str) -> bool:
        """Whether ``text`` is the page's first ``<h1>``, word for word."""
        return len(self.h1) >= _H1_MIN_WORDS and tuple(tokens(text)) == self.h1

    def is_title(self, text: str) -> bool:
        """Whether ``text`` is the declared title: the same words (quotes and case aside),
        or the title with a kicker glued on."""
        title_words = tokens(self.title) if self.title else []
        if len(title_words) < 2:
            return False
        words = tokens(text)
        if words == title_words:
            return True
        if len(words) > 1.6 * len(title_words) or len(words) < 0.6 * len(title_words):
            return False
        joined, title_joined = " ".join(words), " ".join(title_words)
        return title_joined in joined or (len(words) >= 0.6 * len(title_words) and joined in title_joined)

    def glued(self, text: str) -> str | None:
        """``text`` without the declared title glued in front of it (a fallback extraction
        can glue the headline to the first paragraph); None when it is not glued."""
        title = self.title
        if title and text.startswith(title) and len(text) > len(title) + _GLUED_MIN_EXTRA_CHARS:
            return text[len(title) :].lstrip(" :|-–—.")
        return None


def drop_headline(blocks: Sequence[Block], headline: Headline, drop: Callable[[str, str], None]) -> list[Block]:
    """``blocks`` without the lines of the top zone that are the displayed headline: the
    page's ``<h1>`` (the first such line only), its declared title, the headings above the
    lead; the title is cut where it is glued to a line. Each drop is reported to ``drop``
    under the kind ``title``. The zone is the first ``TITLE_ZONE`` lines not counting the
    ``<h1>`` line dropped; the lead is looked for in the first ``TITLE_ZONE`` lines left."""
    kept: list[Block] = []
    h1_dropped = False
    for index, (kind, text) in enumerate(blocks):
        if index - h1_dropped >= TITLE_ZONE:
            kept.extend(blocks[index:])
            break
        if not h1_dropped and headline.is_h1(text):
            h1_dropped = True
            drop("title", text)
            continue
        if headline.is_title(text):
            drop("title", text)
            continue
        if (rest := headline.glued(text)) is not None:
            drop("title", headline.title or "")
            text = rest
        kept.append((kind, text))
    if headline.lead:
        for index, (_, text) in enumerate(kept[:TITLE_ZONE]):
            if headline.is_lead(text):
                above = kept[:index]
                if above and all(kind == "heading" for kind, _ in above):
                    for _, heading in above:
                        drop("title", heading)
                    del kept[:index]
                break
    return kept
