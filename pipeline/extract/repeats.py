"""A section the body holds twice: the page's second copy of it (a layout for another
screen size, a print view) is not more of the story.

Pages that render one story in several layouts leave each copy in the HTML; the content
finder may take two or three of them. A run of ``MIN_RUN`` or more consecutive paragraphs
(``MIN_RUN_CHARS`` characters or more in all) that repeats, in the same order, a run seen
earlier in the body is dropped. A few short lines that repeat ("Pros", "Cons", a price) are
structure a page may show again and again; they stay.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from newsdedup.pipeline.extract.blocks import Block

__all__ = ["MIN_RUN", "MIN_RUN_CHARS", "drop_repeated_runs"]

MIN_RUN = 4
MIN_RUN_CHARS = 500
#: Earlier places of a paragraph tried as the start of the copied run (bounds the cost on
#: bodies with one line repeated many times).
_STARTS = 4


def drop_repeated_runs(blocks: list[Block], dropped: Counter[str], examples: dict[str, str]) -> list[Block]:
    """``blocks`` without the runs that repeat an earlier run; counted as ``repeated``,
    with the first line dropped as the kind's example in ``examples``."""
    texts = [text for _, text in blocks]
    places: dict[str, list[int]] = defaultdict(list)
    repeated: set[int] = set()
    index = 0
    while index < len(texts):
        length = _longest_copy(texts, index, places[texts[index]][:_STARTS])
        places[texts[index]].append(index)
        if length >= MIN_RUN and sum(len(text) for text in texts[index : index + length]) >= MIN_RUN_CHARS:
            repeated.update(range(index, index + length))
            index += length
        else:
            index += 1
    if not repeated:
        return blocks
    dropped["repeated"] += len(repeated)
    examples.setdefault("repeated", texts[min(repeated)])
    return [block for number, block in enumerate(blocks) if number not in repeated]


def _longest_copy(texts: list[str], index: int, starts: list[int]) -> int:
    """The longest run from ``index`` that repeats the run from one of ``starts`` (each
    before ``index``; the copied run ends before ``index``)."""
    best = 0
    for start in starts:
        length = 0
        while index + length < len(texts) and start + length < index and texts[start + length] == texts[index + length]:
            length += 1
        best = max(best, length)
    return best
