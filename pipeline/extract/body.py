"""The article body: chrome pruned, trafilatura's content finder, our paragraphs and line filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial

import trafilatura
from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.settings import Extractor as TrafilaturaOptions

from newsdedup.core.config import SelectorsConfig
from newsdedup.core.records import MAX_PARAGRAPHS
from newsdedup.pipeline.extract.blocks import Block, blocks_of
from newsdedup.pipeline.extract.chrome import chrome_rule, is_related_heading, is_tag_label
from newsdedup.pipeline.extract.chunks import body_chunks, join_body_chunks
from newsdedup.pipeline.extract.disclosure import Panels, reveal_panels
from newsdedup.pipeline.extract.frame import Marks, mark_prose_frame, unmark
from newsdedup.pipeline.extract.headline import TITLE_ZONE, Headline, drop_headline, h1_words
from newsdedup.pipeline.extract.inline_teasers import drop_inline_teasers
from newsdedup.pipeline.extract.markup import without_embed_code
from newsdedup.pipeline.extract.prune import (
    aside_boxes,
    drop_teaser_grids,
    prune_chrome,
    text_length,
)
from newsdedup.pipeline.extract.repeats import drop_repeated_runs
from newsdedup.pipeline.extract.runs import page_blocks, split_runs
from newsdedup.pipeline.extract.safety import Verdict, doubt, prefer_candidate
from newsdedup.pipeline.extract.select import select
from newsdedup.pipeline.extract.text import normalize_space, tokens

__all__ = ["BodyExtractor", "BodyResult", "clean_blocks"]

# The fast pass is trusted unless its text is this small a share of the page's prose...
_MIN_PROSE_SHARE = 0.35
# ...or mostly words that the page shows as link text (a menu dump, not an article).
_MAX_LINK_WORD_SHARE = 0.5
_PROSE_MIN_CHARS = 60
_FEW_BLOCKS = 3
# News pages in the dev set have at most ~4,500 elements; ten times that is not a page
# anyone reads, but it must still come out in bounded time.
_MAX_ELEMENTS = 40_000
_MAX_BLOCKS = MAX_PARAGRAPHS
_TEASER_HEADING_CHARS = 40
# A label that ends the body with a colon, announcing a box that is gone, is this short.
_LABEL_MAX_WORDS = 6
_TEASER_MAX_CHARS = 250
# Chrome kinds that close a story: the text after them, when short, is the boxes below it.
_END_MARKS = frozenset({"feedback", "appeal", "comments", "author_box", "paywall"})
_AFTER_END_SHARE = 0.2


@dataclass(slots=True)
class BodyResult:
    """Paragraphs with their kinds, how they were found, and what was dropped as chrome."""

    blocks: list[Block]
    method: str
    dropped: Counter[str] = field(default_factory=Counter)
    #: Share of the body's words that the page shows as link text (high for teaser lists).
    link_word_share: float = 0.0
    #: The body's text before chrome lines were dropped (error notices are chrome in an
    #: article, but the whole story of a soft 404).
    raw_text: str = ""
    #: The first line dropped under each kind of ``dropped`` (what ``newsdedup report``
    #: shows, so a reader can check nothing real was thrown away).
    dropped_examples: dict[str, str] = field(default_factory=dict)
    #: Whether the prose frame (``frame.py``) was marked for the pass (a method, not a
    #: removal: counted apart from ``dropped``).
    framed: bool = False
    #: Why the safety net doubted our pass (None: trusted, or not asked)...
    doubted: str | None = None
    #: ...and why its candidate replaced it (None: ours kept).
    replaced: Verdict | None = None
    #: Why a too-short body was replaced by a candidate of the page's (``safety.recovers``).
    recovered: str | None = None
    #: The texts of the collapsed panels shown to the pass (``disclosure``): part of the
    #: story, but not read by the page-kind judgement, which sees the body as before.
    panels: Panels = ()
    #: Our pass's body, finished as this one is, when the safety net's candidate replaced
    #: it: the page kind is judged on both (the net recovers an article's text; it does
    #: not make a page of buttons a story).
    passed: BodyResult | None = None


#: trafilatura output tags that are blocks of their own when nested in another.
_NESTED_BLOCKS = frozenset({"p", "head", "item", "quote", "list", "table", "row", "cell", "div", "tr", "th", "td"})


def _xml_blocks(body: _Element) -> list[Block]:
    """trafilatura's output tree (p, head, list/item, quote, table/row/cell) as paragraphs."""
    blocks: list[Block] = []

    def lines(element: _Element, *, own_items: bool = False) -> list[str]:
        # <lb/> separates lines that pages set apart; each may be a chrome line of its own.
        parts: list[list[str]] = [[]]
        # A list item's sublist gives lines of its own (its items are read one by one):
        # read into the item's text too, its words would stand in the body twice.
        nested = {
            piece for sublist in element.iter("list") if sublist is not element
            for piece in sublist.iter() if piece is not sublist
        } if own_items else set()
        for piece in element.iter():
            if piece in nested:
                continue
            if piece is not element and piece.tag == "lb":
                parts.append([])
                if piece.tail:
                    parts[-1].append(piece.tail)
                continue
            # A block nested in the element (a paragraph in a list item) is a word apart
            # from the text around it, as trafilatura's own text output sets it.
            gap = " " if piece is not element and piece.tag in _NESTED_BLOCKS else ""
            if piece is element or piece.tag not in ("list", "table"):
                if piece.text:
                    parts[-1].append(gap + piece.text)
                if piece is not element and piece.tail:
                    parts[-1].append(gap + piece.tail)
            elif own_items and piece.tag == "list" and piece.tail:
                parts[-1].append(" " + piece.tail)
        return [text for part in parts if (text := normalize_space("".join(part)))]

    # Text directly under the body, before or between its elements, is prose too: trafilatura
    # leaves a paragraph that followed a heading without its own <p> as the heading's tail.
    if body.text and (text := normalize_space(body.text)):
        blocks.append(("text", text))
    for element in body:
        tag = element.tag
        if tag == "list":
            for item in element.iter("item"):
                blocks.extend(("item", line) for line in lines(item, own_items=True))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [normalize_space(" ".join(cell.itertext())) for cell in row]
                text = " | ".join(cell for cell in cells if cell)
                if text:
                    blocks.append(("text", text))
        elif tag == "head":
            blocks.extend(("heading", line) for line in lines(element))
        elif tag != "graphic":
            blocks.extend(("text", line) for line in lines(element))
        if element.tail and (text := normalize_space(element.tail)):
            blocks.append(("text", text))
    return blocks


def _element_count(tree: HtmlElement) -> int:
    count = 0
    for count, _ in enumerate(tree.iter(), start=1):
        if count > _MAX_ELEMENTS:
            break
    return count


def _prose_chars(tree: HtmlElement) -> int:
    return sum(
        length for p in tree.iter("p") if (length := text_length(p)) >= _PROSE_MIN_CHARS
    )


def _story_text_chars(tree: HtmlElement) -> tuple[int, int]:
    """The page's prose and long-text characters (the safety net's yardsticks), not counting
    the boxes it sets beside its story: a fact box's transcript is not prose the body lacks."""
    asides = aside_boxes(tree)
    return (
        _prose_chars(tree) - sum(_prose_chars(box) for box in asides),
        _long_text_chars(tree) - sum(_long_text_chars(box) for box in asides),
    )


_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})


def _long_text_chars(tree: HtmlElement) -> int:
    """Characters in the page's long text runs (a text node of 60+ characters, in any tag
    but scripts and styles): the story of a page that sets it in ``<div>``s and ``<br>``s."""
    parent = tree.getparent()
    total = _long(tree.tail) if parent is not None and parent.tag not in _NO_TEXT_TAGS else 0
    for element in tree.iter(etree.Element):
        if element.tag not in _NO_TEXT_TAGS:
            total += _long(element.text)
            # The tails of its child elements (not of comments): read here, not by getparent().
            total += sum(_long(child.tail) for child in element.iterchildren(etree.Element))
    return total


def _long(text: str | None) -> int:
    """The length of ``text`` stripped, when it is a long run; else 0."""
    length = len(text.strip()) if text else 0
    return length if length >= _PROSE_MIN_CHARS else 0


def _link_words(tree: HtmlElement) -> Counter[str]:
    words: Counter[str] = Counter()
    for anchor in tree.iter("a"):
        words.update(tokens(" ".join(anchor.itertext())))
    return words


def _link_word_share(blocks: list[Block], link_words: Counter[str]) -> float:
    body_words = [w for _, text in blocks for w in tokens(text)]
    if not body_words:
        return 0.0
    available = Counter(link_words)
    hits = 0
    for word in body_words:
        if available[word] > 0:
            available[word] -= 1
            hits += 1
    return hits / len(body_words)


class BodyExtractor:
    """Finds the body of one parsed page. Holds trafilatura's option objects for the run."""

    def __init__(self) -> None:
        self._fast = TrafilaturaOptions(output_format="python", fast=True, comments=False)
        self._full = TrafilaturaOptions(output_format="python", fast=False, comments=False)

    def _trafilatura(
        self, tree: HtmlElement, options: TrafilaturaOptions, page: Callable[[], list[Block]] | None = None,
    ) -> list[Block]:
        """trafilatura's output on ``tree`` as paragraphs, its runs cut (``runs``) against
        the page's paragraphs, which ``page`` returns when given (``split_runs``)."""
        try:
            document = trafilatura.bare_extraction(tree, options=options)
        except (ValueError, TypeError, LookupError, RecursionError, etree.LxmlError):
            # A tree trafilatura cannot handle is a page without a body we can find, not
            # a crash of the run; the page is then rejected as too short.
            return []
        body = getattr(document, "body", None)
        if body is None:
            return []
        # Where trafilatura fell back on a whole element's text, the page's own paragraphs
        # cut it again (``runs``); a paragraph of embed code (read as text from a JSON-LD
        # body) is replaced by the text it shows, usually none.
        blocks: list[Block] = []
        for kind, text in split_runs(_xml_blocks(body), tree, page):
            shown = without_embed_code(text)
            if shown is not text:
                shown = normalize_space(shown)
            if shown:
                blocks.append((kind, shown))
        return blocks

    def extract(
        self,
        tree: HtmlElement,
        *,
        title: str | None,
        lead: str | None,
        selectors: SelectorsConfig,
        fresh: Callable[[], HtmlElement | None] | None = None,
    ) -> BodyResult:
        """Body paragraphs of ``tree``, which is pruned in place (read metadata first).

        ``fresh`` parses the page again (an unpruned tree) for the safety net's second
        opinion (``newsdedup.pipeline.extract.safety``); without it our pass is taken as it is.
        """
        h1 = h1_words(tree)
        prose_before, long_text = _story_text_chars(tree) if fresh is not None else (0, 0)
        prune_chrome(tree, selectors.remove)
        joined = self._frame_and_join(tree)
        framed = mark_prose_frame(tree) if joined is None else joined[1]
        revealed, panels = reveal_panels(tree)
        result = (
            _by_selector(tree, selectors)
            or _by_walk(tree)
            or self._by_trafilatura(tree, fresh, (prose_before, long_text), title)
        )
        unmark(revealed)
        unmark(framed)
        result.panels = panels
        if joined is not None and joined[0]:
            result.dropped["joined_chunks"] += joined[0]
        result.framed = bool(framed)
        result.blocks = drop_inline_teasers(result.blocks, tree, result.dropped, result.dropped_examples)
        if result.passed is not None:
            passed = result.passed
            passed.blocks = drop_inline_teasers(passed.blocks, tree, passed.dropped)
            _finish(passed, title, lead, h1)
        return _finish(result, title, lead, h1)

    @staticmethod
    def _frame_and_join(tree: HtmlElement) -> tuple[int, Marks] | None:
        """On a page whose body is cut into chunks: the frame is marked first, and the
        chunks are joined only when it does not hold them all (a frame holding them is read
        whole and in order; joined, their text would move ahead of the headings between
        them). Returns the chunks joined and the marks; None when there are no chunks."""
        chunks = body_chunks(tree)
        if chunks is None:
            return None
        framed = mark_prose_frame(tree)
        frame = next((element for element, _ in framed if element.get("itemprop") == "articleBody"), None)
        if frame is not None and all(frame in chunk.iterancestors() for chunk in chunks):
            return 0, framed
        # Otherwise as on any page: the chunks joined, then the frame measured on the result.
        unmark(framed)
        return join_body_chunks(tree), mark_prose_frame(tree)

    def _by_trafilatura(
        self, tree: HtmlElement, fresh: Callable[[], HtmlElement | None] | None,
        before: tuple[int, int], title: str | None,
    ) -> BodyResult:
        """trafilatura's fast pass; its full comparison when the fast one looks like a miss;
        then, with ``fresh``, the safety net's second opinion."""
        # Both passes leave ``tree`` as it is (trafilatura reads a copy): the page's
        # paragraphs their runs are cut against are read once, when a run first needs them.
        page = cache(partial(page_blocks, tree))
        blocks = self._trafilatura(tree, self._fast, page)
        method = "fast"
        text_chars = sum(len(text) for _, text in blocks)
        # Link words are counted only for outputs shaped like menus or teaser lists (a
        # few giant runs, or only short lines): prose pages skip the cost.
        longest = max((len(text) for _, text in blocks), default=0)
        suspicious = len(blocks) <= _FEW_BLOCKS or longest < _TEASER_MAX_CHARS
        link_words = _link_words(tree) if suspicious else Counter[str]()
        share = _link_word_share(blocks, link_words) if suspicious else 0.0
        prose_after = _prose_chars(tree)
        if text_chars < _MIN_PROSE_SHARE * prose_after or share > _MAX_LINK_WORD_SHARE:
            # The fast pass missed: let trafilatura compare with its other algorithms.
            fuller = self._trafilatura(tree, self._full, page)
            if sum(len(text) for _, text in fuller) > text_chars:
                blocks, method = fuller, "full"
                share = _link_word_share(blocks, link_words)
        result = BodyResult(blocks, method, link_word_share=share)
        if fresh is not None:
            self._second_opinion(result, fresh, before, prose_after, link_words, title)
        return result

    def candidate(
        self, fresh: Callable[[], HtmlElement | None], title: str | None, lead: str | None,
    ) -> BodyResult | None:
        """trafilatura's full pass on a fresh (unpruned) parse of the page, cleaned as our
        body is: the independent candidate asked before a page is rejected as too short."""
        tree = fresh()
        if tree is None:
            return None
        h1 = h1_words(tree)
        drop_teaser_grids(tree)
        blocks = self._trafilatura(tree, self._full)
        if not blocks:
            return None
        result = BodyResult(blocks, "recovered", link_word_share=_link_word_share(blocks, _link_words(tree)))
        result.blocks = drop_inline_teasers(result.blocks, tree, result.dropped, result.dropped_examples)
        return _finish(result, title, lead, h1)

    def _second_opinion(
        self, result: BodyResult, fresh: Callable[[], HtmlElement | None], before: tuple[int, int],
        prose_after: int, link_words: Counter[str], title: str | None,
    ) -> None:
        """Replace ``result``'s blocks by trafilatura's full pass on the unpruned page when
        our pass is in doubt and the candidate is the better body (``safety``). ``before``:
        the page's prose characters and long-text characters before pruning."""
        prose_before, long_text = before
        result.doubted = doubt(sum(len(text) for _, text in result.blocks), prose_before, prose_after, long_text)
        if result.doubted is None:
            return
        tree = fresh()
        if tree is None:
            return
        drop_teaser_grids(tree)
        candidate = self._trafilatura(tree, self._full)
        if not candidate:
            return
        words = link_words or _link_words(tree)
        share = _link_word_share(candidate, words)
        # Compared as they would be stored: headline, teasers and chrome lines dropped.
        verdict = prefer_candidate(
            "\n".join(text for _, text in clean_blocks(result.blocks, title, Counter())),
            "\n".join(text for _, text in clean_blocks(candidate, title, Counter())),
            prose_before=prose_before, prose_after=prose_after, candidate_link_share=share,
        )
        if verdict is not None:
            result.passed = BodyResult(result.blocks, result.method, link_word_share=result.link_word_share)
            result.blocks, result.method, result.replaced = candidate, "second_opinion", verdict
            result.link_word_share = share


def _by_selector(tree: HtmlElement, selectors: SelectorsConfig) -> BodyResult | None:
    """The source's own ``selectors.body``, when it is set and finds something."""
    found = select(tree, selectors.body) if selectors.body else []
    return BodyResult(blocks_of(found), "selector") if found else None


def _by_walk(tree: HtmlElement) -> BodyResult | None:
    """Abnormal trees (hundreds of thousands of elements) make trafilatura's XPath passes
    quadratic; a linear walk over the body keeps the time bounded."""
    if _element_count(tree) <= _MAX_ELEMENTS:
        return None
    body = tree.find("body")
    return BodyResult(blocks_of([body] if body is not None else [tree], _MAX_BLOCKS + 1), "walker")


def _finish(result: BodyResult, title: str | None, lead: str | None, h1: tuple[str, ...] = ()) -> BodyResult:
    """Cap the paragraphs, keep the raw text, drop the headline, the chrome lines and the
    sections the body holds twice, put the lead first."""
    if len(result.blocks) > _MAX_BLOCKS:
        # No article has thousands of paragraphs; the cap bounds the line filters' cost.
        result.dropped["over_max_paragraphs"] += len(result.blocks) - _MAX_BLOCKS
        del result.blocks[_MAX_BLOCKS:]
    result.raw_text = "\n".join(text for _, text in result.blocks)
    result.blocks = clean_blocks(result.blocks, title, result.dropped, result.dropped_examples, h1=h1, lead=lead)
    result.blocks = drop_repeated_runs(result.blocks, result.dropped, result.dropped_examples)
    result.blocks = _with_lead(result.blocks, lead)
    return result


def clean_blocks(blocks: list[Block], title: str | None, dropped: Counter[str],
                 examples: dict[str, str] | None = None, *, h1: tuple[str, ...] = (),
                 lead: str | None = None) -> list[Block]:
    """Remove the headline repeated in the body (the declared ``title``, the words ``h1``
    of the page's first ``<h1>``, headings above the ``lead``: ``headline.drop_headline``),
    chrome lines, and teaser blocks; count each removal under its kind in ``dropped`` (and
    keep the first line of each kind in ``examples``, when given)."""
    kept: list[Block] = []

    def drop(kind: str, text: str) -> None:
        dropped[kind] += 1
        if examples is not None:
            examples.setdefault(kind, text)

    in_teasers = False
    marks: list[int] = []
    for kind, text in drop_headline(blocks, Headline(title, h1, lead), drop):
        if is_related_heading(text):
            drop("related", text)
            # "Related" alone heads a block of teasers; "Read more: <title>" is the teaser.
            in_teasers = len(text) <= _TEASER_HEADING_CHARS or text.endswith(":")
            continue
        if is_tag_label(text):
            # "Tags:" alone heads the tags, one link a line: read as a block of teasers.
            drop("tags", text)
            in_teasers = True
            continue
        if in_teasers:
            # Teasers under a "Related" heading are list items or short unpunctuated lines;
            # an item of a paragraph's length is the story set as a list (key points).
            if (kind == "item" and len(text) < _TEASER_MAX_CHARS) or (
                kind == "text" and len(text) < 120 and not text.endswith((".", "!", "?", "\"", "”", "»"))
            ):
                drop("related", text)
                continue
            in_teasers = False
        rule = chrome_rule(text)
        if rule is not None:
            drop(rule, text)
            if rule in _END_MARKS:
                marks.append(len(kept))
            continue
        kept.append((kind, text))
    return _without_trailing_headings(_cut_after_end(kept, marks, drop), drop)


def _is_label(text: str) -> bool:
    """A short line that announces what follows it ("Pass this on to:", "Walks near
    here:"): at the body's end, what it announced is gone."""
    return text.endswith(":") and len(text.split()) <= _LABEL_MAX_WORDS


def _without_trailing_headings(kept: list[Block], drop: Callable[[str, str], None]) -> list[Block]:
    """``kept`` without the headings it ends with: a heading with no text under it heads a
    box below the story whose content is gone ("Join our newsletter", "More from us")."""
    end = len(kept)
    while end > 0 and (kept[end - 1][0] == "heading" or _is_label(kept[end - 1][1])):
        end -= 1
    if end == 0:
        # Headings alone: nothing tells the story's from a box's.
        return kept
    for _, text in kept[end:]:
        drop("trailing_heading", text)
    return kept[:end]


def _cut_after_end(kept: list[Block], marks: list[int], drop: Callable[[str, str], None]) -> list[Block]:
    """``kept`` without what follows the first end-of-story line (a rating prompt, an appeal, a
    subscription offer) after which little text is left: the boxes below the story."""
    if not marks:
        return kept
    total = sum(len(text) for _, text in kept)
    after = total
    position = 0
    for mark in marks:
        after -= sum(len(text) for _, text in kept[position:mark])
        position = mark
        if mark > 0 and after <= _AFTER_END_SHARE * total:
            for _, text in kept[mark:]:
                drop("after_end", text)
            return kept[:mark]
    return kept


def _with_lead(blocks: list[Block], lead: str | None) -> list[Block]:
    """Put the page's lead first, marked ``lead``: moved if the body has it, else prepended.
    (Headings that stood above it, the headline as displayed, are gone already:
    ``headline.drop_headline``.)"""
    if not lead:
        return blocks
    shown = Headline(lead=lead)
    for index, (_, text) in enumerate(blocks[:TITLE_ZONE]):
        if shown.is_lead(text):
            return [("lead", text), *blocks[:index], *blocks[index + 1 :]]
    # Already in the body, as (part of) a paragraph or run over several (a block set in
    # lines): same words in the same order.
    sequence = " ".join(tokens(lead))
    if sequence in " ".join(token for _, text in blocks for token in tokens(text)):
        return blocks
    return [("lead", lead), *blocks]

