"""Repeats inside one article: the title again, exact and near repeats, truncated copies.

The first of two equal paragraphs is kept; of a paragraph and a clipped copy of it (a
feed summary cut mid-word, a teaser of the first paragraphs), the full text is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from newsdedup.pipeline.dedup.minhash import band_keys
from newsdedup.pipeline.dedup.shingles import fmix64, hash_words
from newsdedup.pipeline.dedup.sketch import ParagraphSketch

__all__ = ["FATES", "Fate", "Verdict", "article_repeats"]

Fate = Literal["kept", "repeat", "truncated_repeat", "template"]
#: Every fate a stored paragraph can have.
FATES: tuple[Fate, ...] = ("kept", "repeat", "truncated_repeat", "template")

# Articles with up to this many paragraphs to compare are compared all pairs with all.
_ALL_PAIRS = 24
# Longer ones through LSH buckets of their own: bands x rows of the paragraph signature,
# and at most this many kept paragraphs per bucket (an article of thousands of look-alike
# paragraphs costs thousands of small comparisons, not millions).
_LOCAL_BANDS = 8
_LOCAL_ROWS = 4
_BUCKET_MEMBERS = 16
# A clip this short could be found elsewhere by a coincidence of phrasing.
_MIN_TRUNCATED_CHARS = 20
# Places a clip is looked for: a paragraph's opening words found more often than this in
# one article are boilerplate, and the first places are the ones a clip is copied from.
_MAX_PLACES = 64


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
) -> list[Verdict]:
    """The in-article fate of each paragraph: ``kept``, ``repeat`` or ``truncated_repeat``.

    In order: a paragraph equal to the title is a repeat (of the title); a paragraph
    equal to an earlier one, or whose signature estimates a Jaccard similarity of at
    least ``near_threshold`` with an earlier one, is a repeat of it; a paragraph of at
    least ``truncated_min_words`` words that occurs inside the rest of the article
    (inside a longer paragraph, or as the start of a run of paragraphs, possibly ending
    mid-word) is a truncated repeat of the paragraph where that occurrence starts.

    Time and memory grow linearly with the article: in a long article a paragraph is
    compared only with earlier ones sharing an LSH bucket, at most ``_BUCKET_MEMBERS``
    of them per bucket.
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
    _near_repeats(paragraphs, verdicts, near_threshold)
    _truncated_repeats(paragraphs, verdicts, truncated_min_words)
    return verdicts


def _near_repeats(paragraphs: Sequence[ParagraphSketch], verdicts: list[Verdict],
                  threshold: float) -> None:
    candidates = [
        i for i, p in enumerate(paragraphs) if p.signature is not None and verdicts[i].fate == "kept"
    ]
    if len(candidates) < 2:
        return
    matrix = np.stack([paragraphs[i].signature for i in candidates])  # type: ignore[misc]
    if len(candidates) <= _ALL_PAIRS:
        # Pairwise share of equal MinHash values: the Jaccard estimate of every pair at once.
        agreement = (matrix[:, None, :] == matrix[None, :, :]).mean(axis=2)
        for later in range(1, len(candidates)):
            earlier = np.flatnonzero(agreement[later, :later] >= threshold)
            for index in earlier:
                if verdicts[candidates[index]].fate == "kept":
                    verdicts[candidates[later]] = Verdict("repeat", candidates[index])
                    break
        return
    # A long article: each paragraph against the kept earlier ones sharing a bucket.
    # Buckets hold positions in ``candidates``; a full bucket takes no more members.
    keys = _local_band_keys(matrix)
    buckets: dict[int, list[int]] = {}
    for later in range(len(candidates)):
        row_keys = keys[later].tolist()
        near = sorted({i for key_ in row_keys for i in buckets.get(key_, ())})
        if near:
            agreement = (matrix[near] == matrix[later]).mean(axis=1)
            hits = np.flatnonzero(agreement >= threshold)
            if len(hits):
                verdicts[candidates[later]] = Verdict("repeat", candidates[near[hits[0]]])
                continue
        for key_ in row_keys:
            members = buckets.setdefault(key_, [])
            if len(members) < _BUCKET_MEMBERS:
                members.append(later)


def _local_band_keys(matrix: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """Band keys of paragraph signatures for comparisons inside one article: more bands
    than the stored template keys (a near repeat at the threshold shares one with
    ~98% chance), as many rows as fit the signature."""
    bands = min(_LOCAL_BANDS, matrix.shape[1] // _LOCAL_ROWS)
    return band_keys(matrix, bands, _LOCAL_ROWS)


def _truncated_repeats(paragraphs: Sequence[ParagraphSketch], verdicts: list[Verdict],
                       min_words: int) -> None:
    alive = [i for i, verdict in enumerate(verdicts) if verdict.fate == "kept"]
    if len(alive) < 2:
        return
    # The kept paragraphs as one stream of keys; a clipped copy is a substring of it that
    # starts at a word boundary and lies outside the paragraph itself.
    spans: dict[int, tuple[int, int]] = {}
    offset = 0
    for i in alive:
        spans[i] = (offset, offset + len(paragraphs[i].key))
        offset += len(paragraphs[i].key) + 1
    stream = b" ".join(paragraphs[i].key for i in alive)
    starts = sorted((start, i) for i, (start, _end) in spans.items())
    occurrences = _Occurrences(stream, max(1, min_words - 1))
    clipped: set[int] = set()
    # Longest first, so a clipped copy is attributed to the full text, not to another clip.
    for i in sorted(alive, key=lambda j: -len(paragraphs[j].key)):
        paragraph = paragraphs[i]
        if paragraph.words < min_words or len(paragraph.key) < _MIN_TRUNCATED_CHARS:
            continue
        places = occurrences.of(spans[i][0])
        for clip, cut in _clip_forms(paragraph.key, min_words):
            owner = _clipped_from(stream, places, clip, cut, spans[i], starts, clipped | {i})
            if owner is not None:
                verdicts[i] = Verdict("truncated_repeat", owner)
                clipped.add(i)
                break


class _Occurrences:
    """Where each run of ``words`` words occurs in ``stream``: every place a clip can
    start has the clip's first words complete (a clip has more words than that), so the
    places of a paragraph's first words are all a clip of it needs to look at. One sort
    of the word-run hashes instead of a scan of the stream per paragraph."""

    def __init__(self, stream: bytes, words: int) -> None:
        hashed = hash_words([stream])
        count = max(len(hashed.hashes) - words + 1, 0)
        runs = np.zeros(count, dtype=np.uint64)
        for j in range(words):
            runs = fmix64(runs ^ hashed.hashes[j : j + count])
        self._runs = runs
        self._order = np.argsort(runs, kind="stable")  # equal runs stay in stream order
        self._sorted = runs[self._order]
        self._starts = hashed.starts[:count]

    def of(self, start: int) -> list[int]:
        """Stream offsets where the words starting at ``start`` occur again or first (at
        most ``_MAX_PLACES``, in stream order)."""
        index = int(np.searchsorted(self._starts, start))
        if index >= len(self._starts) or self._starts[index] != start:
            return []
        run = self._runs[index]
        low = int(np.searchsorted(self._sorted, run, side="left"))
        high = int(np.searchsorted(self._sorted, run, side="right"))
        places: list[int] = self._starts[self._order[low : min(high, low + _MAX_PLACES)]].tolist()
        return places


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


def _clipped_from(stream: bytes, places: Sequence[int], clip: bytes, cut: bytes,
                  own: tuple[int, int], starts: Sequence[tuple[int, int]],
                  excluded: set[int]) -> int | None:
    """The paragraph, not in ``excluded``, where an occurrence of ``clip`` outside ``own``
    (its own span in ``stream``) begins at one of ``places`` (word starts, in stream
    order) and goes on with ``cut`` inside the same word, or None."""
    own_start, own_end = own
    for found in places:
        end = found + len(clip)
        if ((end <= own_start or found >= own_end) and stream.startswith(clip, found)
                and stream.startswith(cut, end)):
            owner = _owner(starts, found)
            if owner not in excluded:
                return owner
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
