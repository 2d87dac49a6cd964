"""A body that comes out as one run of text, cut back into the paragraphs the page sets it in.

trafilatura falls back on a page's whole ``<article>`` (or a script's ``articleBody``)
as one string when its own finder comes up short: the story arrives as a single
paragraph of thousands of words, byline and all. Stored that way it has no paragraphs
for the line filters, the repeated-paragraph and template stages, or a reader. The page
itself still sets the text in paragraphs, headings and list items: each is looked up in
the run, in the page's order, and the run is cut where they begin and end. Text the page
does not hold as a paragraph of its own stays where it was, as a paragraph between.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

from newsdedup.pipeline.extract.blocks import Block, blocks_of

__all__ = ["page_blocks", "split_runs"]

# A block this long is a candidate run. A paragraph that is one element of the page comes
# back whole (the cut needs two of the page's blocks in the run), so the bound only keeps
# the page's paragraphs from being read for every page: a run of a few short paragraphs
# (a topic page's teasers read as one block) is cut from 500 characters. Lowered from
# 1,500: on the tuning part no article's text or whole paragraphs changed, and a news
# site's topic page read as one block was cut into its teasers (and rejected as a listing).
RUN_MIN_CHARS = 500
# The page's paragraphs read for the cut (a bound on the work on huge pages).
_MAX_PAGE_BLOCKS = 5_000
# A paragraph of the page shorter than this is taken only where the run continues with
# it (a label or a one-word line may stand in many places of the run).
_ANCHOR_MIN_CHARS = 40
_NON_SPACE = re.compile(r"\S")
# The run is cut only when the page's paragraphs found in it cover this share of it.
_MIN_COVERED = 0.7


def _cuts_a_sentence(run: str, start: int, end: int) -> bool:
    """Whether cutting ``run`` at ``start`` and ``end`` would cut a word or a sentence
    in two. A run read as one element's text may glue a paragraph to the next without a
    space ("...controlThe next"): a letter against a capital is a boundary, a letter
    against a small one is not; and a paragraph is not followed by the small letter that
    goes on with its sentence (a line "The" is no paragraph of "The harbour...")."""
    if start > 0 and run[start - 1].isalnum() and run[start].isalnum() and not run[start].isupper():
        return True
    following = run[end:end + 2].lstrip()[:1]
    return following.islower()


def _cut(run: str, page: list[Block]) -> list[Block] | None:
    """``run`` as the page's paragraphs found in it, in order, with the text between
    them as paragraphs of their own; None when they cover too little of it."""
    pieces: list[Block] = []
    cursor = covered = 0
    for kind, text in page:
        if len(text) >= _ANCHOR_MIN_CHARS:
            at = run.find(text, cursor)
        else:
            # A short line only where the run goes on with it, word for word.
            found = _NON_SPACE.search(run, cursor)
            at = found.start() if found is not None and run.startswith(text, found.start()) else -1
        if at < 0:
            continue
        end = at + len(text)
        if _cuts_a_sentence(run, at, end):
            continue
        if gap := run[cursor:at].strip():
            pieces.append(("text", gap))
        pieces.append((kind, text))
        covered += len(text)
        cursor = end
    if tail := run[cursor:].strip():
        pieces.append(("text", tail))
    if len(pieces) < 2 or covered < _MIN_COVERED * len(run):
        return None
    return pieces


def page_blocks(tree: HtmlElement) -> list[Block]:
    """The paragraphs, headings and list items ``tree``'s body sets its text in, the first
    ``_MAX_PAGE_BLOCKS`` of them: what a run is cut against."""
    body = tree.find("body")
    return blocks_of([body if body is not None else tree], _MAX_PAGE_BLOCKS)


def split_runs(
    blocks: list[Block], tree: HtmlElement, page: Callable[[], list[Block]] | None = None,
) -> list[Block]:
    """``blocks`` with each run (a text block of ``RUN_MIN_CHARS`` or more, or the only
    block) cut into the paragraphs ``tree`` sets it in. A run the page's paragraphs do not
    cover is left as it is. ``page``, when given, returns ``page_blocks(tree)``: a caller
    that cuts several outputs of one unchanged tree passes a cached one, so the page is
    read once."""
    # A body that is one block whatever its length is a run too: a short story (a brief
    # in Chinese or Japanese, a few hundred characters) falls under trafilatura's minimum
    # size, and its fallback reads the page's whole text as one string.
    bound = 0 if len(blocks) == 1 else RUN_MIN_CHARS
    if not any(kind == "text" and len(text) >= bound for kind, text in blocks):
        return blocks
    page_paragraphs = page() if page is not None else page_blocks(tree)
    out: list[Block] = []
    for kind, text in blocks:
        pieces = _cut(text, page_paragraphs) if kind == "text" and len(text) >= bound else None
        out.extend(pieces or [(kind, text)])
    return out
