"""Repeats inside one article: the title again, exact and near repeats, truncated copies.

The first of two equal paragraphs is kept; of a paragraph and a clipped copy of it (a
feed summary cut mid-word, a teaser of the first paragraphs), the full text is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.dedup.sketch import ParagraphSketch

__all__ = ["FATES", "Fate", "Verdict", "article_repeats"]

Fate = Literal["kept", "repeat", "truncated_repeat", "template"]
#: Every fate a stored paragraph can have.
FATES: tuple[Fate, ...] = ("kept", "repeat", "truncated_repeat", "template")

# Articles with up to this many paragraphs to compare are compared all pairs with all.
_ALL_PAIRS = 24
# A clip this short could be found elsewhere by a coincidence of phrasing.
_MIN_TRUNCATED_CHARS = 20


@dataclass(frozen=True, slots=True)
class Verdict:
    """A paragraph's fate; ``duplicate_of`` is the position it repeats (None for the title)."""

    fate: Fate
    duplicate_of: int | None = None


def article_repeats(
    paragraphs: Sequence[ParagraphSketch],
    title_key: bytes | None,
    *,
    near_threshold: float,
    truncated_min_words: int,
    band_keys: Sequence[Sequence[int]] | None = None,
) -> list[Verdict]:
    """The in-article fate of each paragraph: ``kept``, ``repeat`` or ``truncated_repeat``.

    In order: a paragraph equal to the title is a repeat (of the title); a paragraph
    equal to an earlier one, or whose signature estimates a Jaccard similarity of at
    least ``near_threshold`` with an earlier one, is a repeat of it; a paragraph of at
    least ``truncated_min_words`` words that occurs inside the rest of the article
    (inside a longer paragraph, or as the start of a run of paragraphs, possibly ending
    mid-word) is a truncated repeat of the paragraph where that occurrence starts.
    ``band_keys`` (per paragraph, see ``templates.paragraph_band_keys``), when given,
    limit near comparisons in long articles to paragraphs sharing a key.
    """
    verdicts = [Verdict("kept")] * len(paragraphs)
    first_by_key: dict[bytes, int] = {}
    for position, paragraph in enumerate(paragraphs):
        if title_key and paragraph.key == title_key:
            verdicts[position] = Verdict("repeat")
        elif paragraph.key in first_by_key:
            verdicts[position] = Verdict("repeat", first_by_key[paragraph.key])
        else:
            first_by_key[paragraph.key] = position
    _near_repeats(paragraphs, verdicts, near_threshold, band_keys)
    _truncated_repeats(paragraphs, verdicts, truncated_min_words)
    return verdicts


def _near_repeats(paragraphs: Sequence[ParagraphSketch], verdicts: list[Verdict],
                  threshold: float, band_keys: Sequence[Sequence[int]] | None) -> None:
    candidates = [
        i for i, p in enumerate(paragraphs) if p.signature is not None and verdicts[i].fate == "kept"
    ]
    if len(candidates) < 2:
        return
    if band_keys is not None and len(candidates) > _ALL_PAIRS:
        # In a long article only paragraphs sharing an LSH bucket are compared.
        seen: dict[int, int] = {}
        shared: set[int] = set()
        for i in candidates:
            for key_ in band_keys[i]:
                if key_ in seen:
                    shared.update((seen[key_], i))
                else:
                    seen[key_] = i
        candidates = sorted(shared)
        if len(candidates) < 2:
            return
    matrix = np.stack([paragraphs[i].signature for i in candidates])  # type: ignore[misc]
    # Pairwise share of equal MinHash values: the Jaccard estimate of every pair at once.
    agreement = (matrix[:, None, :] == matrix[None, :, :]).mean(axis=2)
    for later in range(1, len(candidates)):
        earlier = np.flatnonzero(agreement[later, :later] >= threshold)
        for index in earlier:
            if verdicts[candidates[index]].fate == "kept":
                verdicts[candidates[later]] = Verdict("repeat", candidates[index])
                break


def _truncated_repeats(paragraphs: Sequence[ParagraphSketch], verdicts: list[Verdict],
                       min_words: int) -> None:
    alive = [i for i, verdict in enumerate(verdicts) if verdict.fate == "kept"]
    if len(alive) < 2:
        return
    # The kept paragraphs as one stream of keys; a clipped copy is a substring of it that
    # starts at a word boundary and lies outside the paragraph itself.
    stream_parts: list[bytes] = []
    spans: dict[int, tuple[int, int]] = {}
    offset = 0
    for i in alive:
        spans[i] = (offset, offset + len(paragraphs[i].key))
        stream_parts.append(paragraphs[i].key)
        offset += len(paragraphs[i].key) + 1
    stream = b" ".join(stream_parts)
    starts = sorted((start, i) for i, (start, _end) in spans.items())
    clipped: set[int] = set()
    # Longest first, so a clipped copy is attributed to the full text, not to another clip.
    for i in sorted(alive, key=lambda j: -len(paragraphs[j].key)):
        paragraph = paragraphs[i]
        if paragraph.words < min_words or len(paragraph.key) < _MIN_TRUNCATED_CHARS:
            continue
        for clip, cut in _clip_forms(paragraph.key, min_words):
            owner = _clipped_from(stream, clip, cut, spans[i], starts, clipped | {i})
            if owner is not None:
                verdicts[i] = Verdict("truncated_repeat", owner)
                clipped.add(i)
                break


def _clip_forms(text_key: bytes, min_words: int) -> list[tuple[bytes, bytes]]:
    """How a clip may appear in the full text: its whole key; then its key without the
    last word, where that word continues a word of the full text. A cut inside a word
    that normalisation rewrites ("1,200" cut to "1,2" reads "1 2", which "1200" does not
    start with) then still matches by what comes before it."""
    forms = [(text_key, b"")]
    head, _space, last = text_key.rpartition(b" ")
    if head and head.count(b" ") + 1 >= min_words and len(head) >= _MIN_TRUNCATED_CHARS:
        forms.append((head, last))
    return forms


def _clipped_from(stream: bytes, clip: bytes, cut: bytes, own: tuple[int, int],
                  starts: Sequence[tuple[int, int]], excluded: set[int]) -> int | None:
    """The paragraph, not in ``excluded``, where an occurrence of ``clip`` outside ``own``
    (its own span in ``stream``) begins at a word boundary and goes on with ``cut``
    inside the same word, or None."""
    own_start, own_end = own
    found = stream.find(clip)
    while found != -1:
        end = found + len(clip)
        at_boundary = found == 0 or stream[found - 1] == 0x20  # a space
        if (at_boundary and (end <= own_start or found >= own_end)
                and stream.startswith(cut, end)):
            owner = _owner(starts, found)
            if owner not in excluded:
                return owner
        found = stream.find(clip, found + 1)
    return None


def _owner(starts: Sequence[tuple[int, int]], offset: int) -> int:
    """The paragraph whose span contains stream ``offset`` (``starts`` is sorted)."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle][0] <= offset:
            low = middle
        else:
            high = middle - 1
    return starts[low][1]
