"""Pages that are not articles, told apart by measured signals: listings, shops, forums.

Each rule names a kind of page and is decided by counts from ``page_signals`` and the
extracted body; the detail of a rejection says which counts decided it. Thresholds were
set on the tuning half of the development sets (split by a fixed hash of the domain) and
checked on the other half (bench/page_kinds.py, docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.extract.page_signals import PageSignals

__all__ = ["not_article_reason", "prose_paragraphs"]

# A paragraph of prose: 40 words or more (a teaser's blurb outside a card is shorter).
_PROSE_WORDS = 40
# A section page whose teasers are whole paragraphs: each card a headline and its text,
# and no prose outside the cards.
_TEASER_MIN_CARDS = 4
_TEASER_MAX_PROSE = 1

# A listing shows at least this many teaser cards (sibling boxes, each with a headline
# link to a page of its own) ...
_LISTING_MIN_CARDS = 10
# ... and at most this many paragraphs of prose (40 words or more) in its extracted body.
_LISTING_MAX_PROSE = 2
# A shop or pricing page shows prices and little prose, and no publication date.
_SHOP_MIN_PRICES = 3
_SHOP_MAX_PROSE = 3
# A page with no article metadata at all, no paragraph of prose and a short
# URL slug is a service, category or landing page: an article's slug is its headline.
_BARE_MAX_PROSE = 0
_BARE_MAX_SLUG_WORDS = 2
# A forum thread: many post boxes and many timestamps, and no article markup.
_FORUM_MIN_BOXES = 20
_FORUM_MIN_TIMES = 4


def prose_paragraphs(signals: PageSignals, paragraphs: Iterable[str]) -> int:
    """The body's paragraphs of 40 words or more that are not a teaser card's text."""
    return sum(
        1 for paragraph in paragraphs
        if len(paragraph.split()) >= _PROSE_WORDS and not any(paragraph in card for card in signals.card_texts)
    )


def not_article_reason(signals: PageSignals, prose_paragraphs: int) -> str | None:
    """Why the page is not an article, or None.

    ``prose_paragraphs`` counts the paragraphs of 40 words or more that the body
    extractor kept outside teaser cards (``prose_paragraphs``). A page with a publication
    date of its own is never judged here: the other rules of ``classify`` handle those.
    """
    s = signals
    dated = s.has_date
    if (
        not dated and s.cards >= _TEASER_MIN_CARDS and s.card_sentences >= _TEASER_MIN_CARDS
        and prose_paragraphs <= _TEASER_MAX_PROSE
    ):
        return (
            f"a section page: {s.cards} teaser cards, {s.card_sentences} of them with a paragraph "
            f"of text, {prose_paragraphs} paragraphs of prose of its own, no publication date"
        )
    if not dated and s.prices >= _SHOP_MIN_PRICES and prose_paragraphs <= _SHOP_MAX_PROSE:
        return (
            f"a shop or pricing page: {s.prices} prices, {prose_paragraphs} paragraphs of prose, "
            "no publication date"
        )
    if not dated and s.cards >= _LISTING_MIN_CARDS and prose_paragraphs <= _LISTING_MAX_PROSE:
        return (
            f"a listing: {s.cards} teaser cards ({s.card_sentences} with a sentence of text), "
            f"{prose_paragraphs} paragraphs of prose, no publication date"
        )
    if (
        not (s.declared_article or dated or s.has_author)
        and prose_paragraphs <= _BARE_MAX_PROSE
        and s.slug_words <= _BARE_MAX_SLUG_WORDS
    ):
        return (
            f"no article metadata (no article markup, date or author), {prose_paragraphs} "
            f"paragraphs of prose and a {s.slug_words}-word URL slug"
        )
    if not s.declared_article and s.forum_boxes >= _FORUM_MIN_BOXES and s.times >= _FORUM_MIN_TIMES:
        return f"a forum thread: {s.forum_boxes} post boxes, {s.times} timestamps, no article markup"
    return None
