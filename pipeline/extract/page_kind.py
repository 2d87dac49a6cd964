"""Pages that are not articles, told apart by measured signals: listings, shops, forums.

Each rule names a kind of page and is decided by counts from ``page_signals`` and the
extracted body; the detail of a rejection says which counts decided it. Thresholds were
set on the tuning half of the development sets (split by a fixed hash of the domain) and
checked on the other half (bench/page_kinds.py, docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsdedup.pipeline.extract.jsonld import ARTICLE_TYPES
from newsdedup.pipeline.extract.page_model import Verdict
from newsdedup.pipeline.extract.page_signals import MEMBER_MIN_BOXES, PageSignals
from newsdedup.pipeline.extract.text import length_in_words, prose_paragraphs

__all__ = ["BODY_RULES", "LINK_INDEX", "MODEL_ONLY_RULES", "RULE_NAMES", "STANDING_RULES", "decide", "rule_reasons"]

# A section page whose teasers are whole paragraphs: each card a headline and its text,
# no prose outside the cards, and no article markup.
_TEASER_MIN_CARDS = 4
_TEASER_MAX_PROSE = 1
# A section page, dated or marked up as an article by its template, whose extracted text
# is mostly its teasers: at least this share of the body's words stand in teaser cards
# (each a headline linking to another page, and a sentence or more). On the tuning part
# (both sets) no article's body had half of its words in cards (the most, 0.49); the
# section pages of news sites that reached the share were at 0.93 and more.
_TEASER_TEXT_MIN_SHARE = 0.8
_SPACE = re.compile(r"\s+")

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
# A landing page may show a few paragraphs of prose: with no article metadata, at most
# ``_LANDING_MAX_PROSE`` of them and a one-word URL slug (``/pricing``, ``/about``) it is
# a candidate the model must confirm. On the tuning part the unmarked, undated, unsigned
# articles with a slug of two words or less held 7 paragraphs of prose or more, and those
# with 6 or fewer had slugs of 3 words or more.
_LANDING_MAX_PROSE = 4
_LANDING_MAX_SLUG_WORDS = 1
# A page that says nothing of an article about itself (no date of any kind, no author,
# no article markup but a template's ``og:type article``) and shows many buttons (calls to
# action, filters, carousels) is a candidate the model must confirm at its veto line rather
# than at its threshold. On the tuning part (both sets) the 26 such articles scored at most
# 0.45 out of fold (-1.98 in the shipped model), the veto line being 1.86; without the
# buttons, an undated unsigned unmarked how-to page scored 3.81 out of fold.
_UNMARKED_MIN_BUTTONS = 5
# A forum thread: many post boxes and many timestamps, and no article markup.
_FORUM_MIN_BOXES = 20
_FORUM_MIN_TIMES = 4
# A forum thread by its interface's words: post boxes, and a forum's phrases ("joined",
# "replies", "quote", "3 days ago"...) dense in its visible text, with no article markup.
# On the tuning part the unmarked articles with 15 post boxes or more held at most 2 such
# phrases (1.4 per 1,000 words), and those with 2 or more per 1,000 words at most 6 post boxes.
_TALK_MIN_BOXES = 15
_TALK_MIN_PER_1000 = 6.0
_TALK_MIN_PHRASES = 5
# A forum thread by its people: post boxes, and links to many distinct member pages of the
# forum's own site (each post's author), with no article markup but a template's
# ``og:type article``. On the tuning part the articles with 15 post boxes or more linked at
# most 6 member pages of their site (and a JSON-LD article); the rule fired on 3 forum threads and no article.
# Member pages are counted only on such pages (``page_signals.MEMBER_MIN_BOXES``).
_PEOPLE_MIN_BOXES = MEMBER_MIN_BOXES
_PEOPLE_MIN_MEMBERS = 10
# A manual's page by its headings: several h2-h4 carry a permalink to their own anchor
# (``¶``, ``#``), the page names code at least once, and it says nothing of an article (no
# date, author or article markup but a template's ``og:type``). On the tuning part no such
# article has a heading permalink at all; the 8 articles with them are all dated.
_ANCHORED_MIN_HEADINGS = 2
_ANCHORED_MIN_CODES = 1
# A software manual's page: many inline ``<code>`` names and many code blocks (``<pre>``),
# and no article metadata at all (no article markup, date or author). On the tuning part
# the articles of that kind held at most 43 ``<code>`` elements and no ``<pre>``.
_DOCS_MIN_CODES = 80
_DOCS_MIN_PRES = 10
# A manual's URL: a path segment that names documentation, or a version of it
# (``/docs/``, ``/en/5.1/``, ``/v2/``, ``/latest/``). Whole segments only: a word inside a
# slug (``/how-to-read-the-docs``) is a headline's.
_MANUAL_SEGMENT = re.compile(
    r"(?:docs?|documentation|manual|v\d{1,3}(?:\.\d{1,3}){0,2}|\d{1,3}(?:\.\d{1,3}){1,2}|latest|stable)",
    re.IGNORECASE,
)
_MANUAL_MAX_SEGMENTS = 12
# ... and the page names code (``<code>`` or ``<pre>``) at least once.
_MANUAL_MIN_CODES = 1


@dataclass(frozen=True, slots=True)
class _Counts:
    """What the rules read besides the signals: paragraphs of prose on the page, and those
    outside the teaser cards (a teaser that reads like a paragraph is not the page's own)."""

    prose: int
    own_prose: int
    #: Words in the body, and those in paragraphs that stand in a teaser card.
    words: int = 0
    card_words: int = 0


def _section(s: PageSignals, c: _Counts) -> str | None:
    if (s.has_date or s.declared_article or s.cards < _TEASER_MIN_CARDS
            or s.card_sentences < _TEASER_MIN_CARDS or c.own_prose > _TEASER_MAX_PROSE):
        return None
    return (f"a section page: {s.cards} teaser cards, {s.card_sentences} of them with a paragraph "
            f"of text, {c.own_prose} paragraphs of prose of its own, no publication date")


def _teaser_text(s: PageSignals, c: _Counts) -> str | None:
    if (s.cards < _TEASER_MIN_CARDS or s.card_sentences < _TEASER_MIN_CARDS
            or not c.words or c.card_words < _TEASER_TEXT_MIN_SHARE * c.words):
        return None
    return (f"a section page: {c.card_words} of the {c.words} words of its text stand in "
            f"{s.cards} teaser cards linking to other pages")


def _shop(s: PageSignals, c: _Counts) -> str | None:
    if s.has_date or s.prices < _SHOP_MIN_PRICES or c.prose > _SHOP_MAX_PROSE:
        return None
    return f"a shop or pricing page: {s.prices} prices, {c.prose} paragraphs of prose, no publication date"


def _listing(s: PageSignals, c: _Counts) -> str | None:
    if s.has_date or s.cards < _LISTING_MIN_CARDS or c.prose > _LISTING_MAX_PROSE:
        return None
    return (f"a listing: {s.cards} teaser cards ({s.card_sentences} with a sentence of text), "
            f"{c.prose} paragraphs of prose, no publication date")


def _has_article_metadata(s: PageSignals) -> bool:
    """Whether the page shows any of an article's metadata: article markup, a date of its
    own, an author."""
    return s.declared_article or s.has_date or s.has_author


def _unmarked_page(s: PageSignals, c: _Counts, max_prose: int, max_slug_words: int) -> str | None:
    """Why a page with no article metadata, at most ``max_prose`` paragraphs of prose and a
    URL slug of at most ``max_slug_words`` words is no article (``_bare``, ``_landing``)."""
    if _has_article_metadata(s) or c.prose > max_prose or s.slug_words > max_slug_words:
        return None
    return (f"no article metadata (no article markup, date or author), {c.prose} "
            f"paragraphs of prose and a {s.slug_words}-word URL slug")


def _bare(s: PageSignals, c: _Counts) -> str | None:
    return _unmarked_page(s, c, _BARE_MAX_PROSE, _BARE_MAX_SLUG_WORDS)


def _landing(s: PageSignals, c: _Counts) -> str | None:
    reason = _unmarked_page(s, c, _LANDING_MAX_PROSE, _LANDING_MAX_SLUG_WORDS)
    return f"a landing page: {reason}" if reason else None


def _template_markup_only(s: PageSignals) -> bool:
    """Whether the page's only article markup is ``og:type article`` (which some templates
    stamp on every page): no JSON-LD article and no microdata article properties."""
    return s.og_type == "article" and not s.ld_types & ARTICLE_TYPES and s.layout.article_props == 0


def _marked_beyond_template(s: PageSignals) -> bool:
    """Whether the page carries article markup beyond a template's ``og:type article``."""
    return s.declared_article and not _template_markup_only(s)


def _says_nothing_of_an_article(s: PageSignals) -> bool:
    """No date of any kind, no author, and no article markup but a template's ``og:type
    article``. ``_unmarked``, ``_manual`` and ``_anchored`` look past that ``og:type`` (a
    site generator may stamp it on every page), each with a second sign of their own
    (buttons and the model's word, a manual's URL, headings' permalinks); ``_docs`` and
    the landing rules, with none, do not (``_has_article_metadata``)."""
    return not (s.has_date or s.has_author or _marked_beyond_template(s))


def _unmarked(s: PageSignals, c: _Counts) -> str | None:
    if not _says_nothing_of_an_article(s) or s.layout.buttons < _UNMARKED_MIN_BUTTONS:
        return None
    return (f"no article metadata (no date, author or article markup but og:type), {s.layout.buttons} "
            f"buttons, {c.prose} paragraphs of prose")


def _forum(s: PageSignals, c: _Counts) -> str | None:
    if s.declared_article or s.forum_boxes < _FORUM_MIN_BOXES or s.times < _FORUM_MIN_TIMES:
        return None
    return f"a forum thread: {s.forum_boxes} post boxes, {s.times} timestamps, no article markup"


def _forum_talk(s: PageSignals, c: _Counts) -> str | None:
    phrases = s.words.phrases.get("forum", 0)
    if (s.declared_article or s.forum_boxes < _TALK_MIN_BOXES or phrases < _TALK_MIN_PHRASES
            or phrases * 1000 < _TALK_MIN_PER_1000 * max(s.words.words, 1)):
        return None
    return (f"a forum thread: {s.forum_boxes} post boxes, {phrases} forum phrases in "
            f"{s.words.words} words, no article markup")


def _forum_people(s: PageSignals, c: _Counts) -> str | None:
    if _marked_beyond_template(s) or s.forum_boxes < _PEOPLE_MIN_BOXES or s.member_links < _PEOPLE_MIN_MEMBERS:
        return None
    return (f"a forum thread: {s.forum_boxes} post boxes linking {s.member_links} member pages, "
            "no article markup but og:type")


def _docs(s: PageSignals, c: _Counts) -> str | None:
    codes, pres = s.layout.codes, s.layout.pres
    if _has_article_metadata(s) or codes < _DOCS_MIN_CODES or pres < _DOCS_MIN_PRES:
        return None
    return (f"a documentation page: {codes} code elements, {pres} code blocks, "
            "no article markup, date or author")


def _anchored(s: PageSignals, c: _Counts) -> str | None:
    codes = s.layout.codes + s.layout.pres
    if (not _says_nothing_of_an_article(s) or s.heading_permalinks < _ANCHORED_MIN_HEADINGS
            or codes < _ANCHORED_MIN_CODES):
        return None
    return (f"a documentation page: {s.heading_permalinks} headings with permalinks, {codes} code elements, "
            "no date, author or article markup but og:type")


def _manual_segment(url: str) -> str | None:
    """The path segment of ``url`` that names a manual or a version of one, or None."""
    segments = [part for part in urlsplit(url).path.split("/") if part][:_MANUAL_MAX_SEGMENTS]
    return next((part for part in segments[:-1] if _MANUAL_SEGMENT.fullmatch(part)), None)


def _manual(s: PageSignals, c: _Counts) -> str | None:
    codes = s.layout.codes + s.layout.pres
    if not _says_nothing_of_an_article(s) or codes < _MANUAL_MIN_CODES or (segment := _manual_segment(s.url)) is None:
        return None
    return (f"a documentation page: its URL lies under /{segment}/, {codes} code elements, "
            "no article markup, date or author")


# The rules in the order they are asked; the first that answers names the kind of page.
_RULES: dict[str, Callable[[PageSignals, _Counts], str | None]] = {
    "section": _section, "teaser_text": _teaser_text, "shop": _shop, "listing": _listing, "bare": _bare,
    "landing": _landing, "forum": _forum, "forum_talk": _forum_talk, "forum_people": _forum_people,
    "docs": _docs, "manual": _manual, "anchored": _anchored, "unmarked": _unmarked,
}
#: The older rules on the extracted body (``classify``), asked only of pages with neither
#: article markup nor a date of their own.
BODY_RULES = ("teasers", "headlines", "link_heavy")
#: A section page with no paragraph of prose of its own (every one is a teaser of another
#: page) has no text to extract: the model does not overrule this rule.
_STANDING = "teasers_only"
#: A forum thread (many post boxes and timestamps, no article markup) is not overruled
#: either: on the tuning part the rule fired on 29 pages, none of them an article (the
#: model, out of fold, vetoed one), and a short thread whose posts read as prose scores
#: like an article.
_FORUM = "forum"
#: Nor is a thread told by its forum's words (``_forum_talk``): on the tuning part it
#: fired on no article, with a margin of four times the nearest article's phrase density.
_FORUM_TALK = "forum_talk"
#: Nor is a thread told by its people (``_forum_people``): on the tuning part it fired on
#: no article (they link at most 6 member pages against the rule's 10).
_FORUM_PEOPLE = "forum_people"
#: Nor is a software manual's page (``_docs``): on the tuning part the rule fired on 11
#: documentation pages and no article, and the model reads many manuals as articles.
_DOCS = "docs"
#: Nor is a manual's page by its URL (``_manual``): on the tuning part no undated,
#: unsigned, unmarked article lies under such a path segment (the one article under
#: ``/doc/`` is dated and signed), and the model reads half of these manuals as articles.
#: A template's ``og:type article`` does not keep a page from it (a site generator may
#: stamp it on every page of a manual): no tuning article under such a segment has it alone.
_MANUAL = "manual"
#: Nor is a section page whose text is its teasers (``_teaser_text``): the model reads
#: a news site's section page, dated and marked up by its template, as an article.
_TEASER_TEXT = "teaser_text"
#: Nor is a manual's page by its headings' permalinks (``_anchored``): on the tuning part no
#: article that says nothing of itself has one.
_ANCHORED = "anchored"
#: Nor is a body nearly all of whose words are link text (``classify.link_index_reason``),
#: dated or marked up or not: on the tuning part it fired on a listing and a collection
#: and on no article (the most link text in an article's body, 0.67 of its words); the
#: model reads a bare list of headline links, with no chrome around it, as an article.
LINK_INDEX = "link_index"
#: A landing page (``_landing``) and a page with no article metadata (``_unmarked``)
#: always need the model's word, even on a paginated page.
_LANDING = "landing"
_UNMARKED = "unmarked"
MODEL_ONLY_RULES = frozenset({_LANDING, _UNMARKED})
#: The page-type rules that stand without the model's word, in the order asked.
STANDING_RULES = (_FORUM, _FORUM_TALK, _FORUM_PEOPLE, _DOCS, _MANUAL, _ANCHORED, _TEASER_TEXT, LINK_INDEX)
#: Every rule, in the order asked; the page-kind model reads which of them answered.
RULE_NAMES = (*BODY_RULES, *_RULES, LINK_INDEX, _STANDING)


def _in_cards(paragraphs: Sequence[str], card_texts: Sequence[str]) -> set[str]:
    """The paragraphs that stand in one of the teaser cards' texts. Compared without
    whitespace: a card's text runs its blocks together as the markup sets them, where the
    body writes a paragraph's lines apart."""
    if not card_texts:
        return set()
    cards = [_SPACE.sub("", card) for card in card_texts]
    return {p for p in set(paragraphs) if any(_SPACE.sub("", p) in card for card in cards)}


def rule_reasons(signals: PageSignals, paragraphs: Sequence[str]) -> dict[str, str]:
    """Each page-type rule that calls the page no article, by name, with its reason.

    ``paragraphs`` are the body extractor's paragraphs; those of 40 words or more are
    prose. The section rule counts only the prose outside the teaser cards (a teaser
    that reads like a paragraph is not the page's own text). A page with a publication
    date of its own is never judged here by the page-type rules, but for the forum rules
    and the teaser-text rule, which look past a date (a section page's template may date
    it); the other rules of ``classify`` handle dated pages.
    """
    long = prose_paragraphs(paragraphs)
    carded = _in_cards(paragraphs, signals.card_texts)
    # Words are counted only where there are cards: the rule that reads them needs four.
    counts = _Counts(
        prose=len(long),
        own_prose=sum(1 for p in long if p not in carded),
        words=sum(length_in_words(p) for p in paragraphs) if signals.card_texts else 0,
        card_words=sum(length_in_words(p) for p in paragraphs if p in carded),
    )
    reasons = {name: reason for name, rule in _RULES.items() if (reason := rule(signals, counts)) is not None}
    if "section" in reasons and counts.own_prose == 0:
        reasons[_STANDING] = reasons["section"]
    return reasons


def decide(
    verdict: Verdict | None, rules: dict[str, str], *, body_rules_apply: bool, paginated: bool = False
) -> str | None:
    """Why the page is not an article, or None.

    Without a model (while the model is trained) the first rule that answers decides;
    the body rules only when ``body_rules_apply``; so does a section page with no prose of
    its own (``teasers_only``), and any rule but ``MODEL_ONLY_RULES`` on a ``paginated`` page (on
    the dev sets' two parts, none of the 32 paginated pages the rules rejected was an
    article); the forum threads' rules and the manuals' (``STANDING_RULES``) stand on
    their own. Otherwise, a rule that answers stands
    when the model's score reaches its veto line (a page the model reads as an article
    overrules the rule), and the model rejects on its own from its threshold; the detail
    names the rule, else the signals that weighed most.
    """
    asked = [name for name in RULE_NAMES if name in rules and (body_rules_apply or name not in BODY_RULES)]
    if verdict is None:
        # Without the model there is no one to confirm a page with no metadata.
        asked = [name for name in asked if name != _UNMARKED]
    if verdict is None or _STANDING in asked:
        return rules[asked[0]] if asked else None
    # A blog post links the previous and the next post: the landing and unmarked rules,
    # new and loose, are not taken on pagination alone.
    paged = [name for name in asked if name not in MODEL_ONLY_RULES]
    if paginated and paged:
        return rules[paged[0]]
    for standing in STANDING_RULES:
        if standing in asked:
            return rules[standing]
    if asked and verdict.confirms:
        return f"{rules[asked[0]]} ({verdict.agreement()})"
    return verdict.detail() if verdict.rejects else None
