"""Word hashes and shingle sets of many texts at once, as flat numpy arrays.

The input is keys (:func:`newsdedup.core.normalise.key`: words separated by spaces). Word hashes come from one polynomial prefix sum over all the bytes of a batch
(``sum b_j P^j`` mod 2**64, shifted to each word's start with the inverse power, then
avalanched), shingles from a weighted sum of neighbouring word hashes, and each text's
set from one ``np.unique`` over (text, shingle) pairs: the per-word work is numpy's, not
Python's, which is what makes our sketches cheaper than ``MinHash.update`` per shingle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

__all__ = ["ShingleSets", "WordHashes", "hash_words", "shingle_sets"]

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
_Ints = TypeVar("_Ints", npt.NDArray[np.uint32], npt.NDArray[np.uint64])

_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_INVERSE = pow(_BASE, -1, 1 << 64)
_SPACE = 0x20
# Bytes hashed at once: the powers table and the temporaries stay this size (x 8).
_PIECE_BYTES = 1 << 20
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33),
           np.uint64(0xC4CEB9FE1A85EC53))
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
# Odd weights of the words inside a shingle, so "a b" != "b a".
_WEIGHTS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
     0x2545F4914F6CDD1D, 0x9FB21C651E98DF25],
    dtype=np.uint64,
)


def murmur_mix(values: _Ints, constants: tuple[Any, Any, Any, Any]) -> _Ints:
    """MurmurHash3's finaliser: every input bit affects every output bit. ``constants``
    (shift, multiplier, shift, multiplier) choose the 32-bit (``FMIX32``, on uint32
    arrays) or the 64-bit variant (``_FMIX64``, on uint64 arrays)."""
    s1, m1, s2, m2 = constants
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return cast("_Ints", values ^ (values >> s1))


def fmix64(values: U64) -> U64:
    """The 64-bit finaliser, on uint64 arrays."""
    return murmur_mix(values, _FMIX64)


class _Powers:
    """``BASE**j`` and ``BASE**-j`` mod 2**64 for j < len, grown on demand."""

    def __init__(self) -> None:
        self.forward: U64 = np.empty(0, dtype=np.uint64)
        self.inverse: U64 = np.empty(0, dtype=np.uint64)

    def upto(self, count: int) -> tuple[U64, U64]:
        if len(self.forward) < count:
            size = max(count, 2 * len(self.forward), 1 << 16)
            # Integer array arithmetic wraps silently: these are the powers mod 2**64.
            self.forward = np.ones(size, dtype=np.uint64)
            self.forward[1:] = np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64))
            self.inverse = np.ones(size, dtype=np.uint64)
            self.inverse[1:] = np.cumprod(np.full(size - 1, _INVERSE, dtype=np.uint64))
        return self.forward[:count], self.inverse[:count]


_POWERS = _Powers()


@dataclass(frozen=True, slots=True)
class WordHashes:
    """The 64-bit hashes of the words of many texts: text ``i`` has
    ``hashes[offsets[i]:offsets[i + 1]]``; ``starts`` are the words' byte offsets in the
    keys joined by one space."""

    hashes: U64
    offsets: I64
    starts: I64

    def counts(self) -> I64:
        return np.diff(self.offsets)

    def of(self, item: int) -> U64:
        return self.hashes[self.offsets[item] : self.offsets[item + 1]]


def hash_words(keys: Sequence[bytes]) -> WordHashes:
    """The word hashes of each key (a key: words separated by spaces).

    The keys are hashed as one byte string, in pieces of about ``_PIECE_BYTES`` cut at
    spaces (a word's hash depends on its bytes only), so the temporary arrays stay that
    size, whatever the batch.
    """
    if not keys:
        return WordHashes(np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64),
                          np.empty(0, dtype=np.int64))
    joined = b" ".join(keys) + b" "
    parts: list[tuple[U64, I64]] = []
    begin = 0
    while begin < len(joined):
        end = joined.rfind(b" ", begin, begin + _PIECE_BYTES) + 1
        if end <= begin:  # one word longer than a piece
            end = joined.index(b" ", begin) + 1
        hashes, starts = _hash_piece(joined[begin:end])
        parts.append((hashes, starts + begin))
        begin = end
    all_hashes = np.concatenate([hashes for hashes, _ in parts])
    all_starts = np.concatenate([starts for _, starts in parts])
    # Where each key starts in ``joined``, hence its first word.
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    key_starts = np.concatenate(([0], np.cumsum(lengths + 1)))
    offsets = np.searchsorted(all_starts, key_starts).astype(np.int64)
    return WordHashes(all_hashes, offsets, all_starts)


def _hash_piece(piece: bytes) -> tuple[U64, I64]:
    """The hashes and start offsets of the words of ``piece`` (which ends with a space)."""
    data = np.frombuffer(piece, dtype=np.uint8)
    size = len(data)
    forward, inverse = _POWERS.upto(size)
    prefix = np.empty(size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(data.astype(np.uint64) * forward, out=prefix[1:])
    space = data == _SPACE
    before = np.empty(size, dtype=bool)
    before[0] = True
    before[1:] = space[:-1]
    starts = np.flatnonzero(~space & before)
    ends = np.flatnonzero(space & ~before)  # the space after each word
    hashes = fmix64((prefix[ends] - prefix[starts]) * inverse[starts] + (ends - starts).astype(np.uint64))
    return hashes, starts.astype(np.int64)


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """Distinct 32-bit shingle hashes of many texts: text ``i`` has
    ``values[offsets[i]:offsets[i + 1]]`` (sorted)."""

    values: npt.NDArray[np.uint32]
    offsets: I64

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sizes(self) -> I64:
        return np.diff(self.offsets)

    def of(self, item: int) -> npt.NDArray[np.uint32]:
        return self.values[self.offsets[item] : self.offsets[item + 1]]


def shingle_sets(words: WordHashes, size: int, *, lead: int | None = None,
                 marked: npt.NDArray[np.bool_] | None = None) -> ShingleSets:
    """The set of word ``size``-grams of each text; a text shorter than ``size`` words
    is one shingle of all its words.

    ``lead``: only the first ``lead`` shingles of each text. ``marked`` (one flag per
    word): only shingles holding a marked word.
    """
    hashes, offsets = words.hashes, words.offsets
    items = len(offsets) - 1
    total = len(hashes)
    counts = np.diff(offsets)
    item_of_word = np.repeat(np.arange(items, dtype=np.int64), counts)
    span = max(total - size + 1, 0)
    combined = hashes[:span] * _WEIGHTS[0]
    for position in range(1, size):
        combined = combined + hashes[position : position + span] * _WEIGHTS[position]
    starts = np.arange(span, dtype=np.int64)
    keep = starts + size <= offsets[item_of_word[:span] + 1]
    if lead is not None:
        keep &= starts - offsets[item_of_word[:span]] < lead
    if marked is not None:
        running = np.concatenate(([0], np.cumsum(marked, dtype=np.int64)))
        keep &= running[starts + size] - running[starts] > 0
    owner = item_of_word[:span][keep]
    values = (fmix64(combined[keep]) >> np.uint64(32))
    short = np.flatnonzero((counts > 0) & (counts < size))
    if len(short):
        # Texts with fewer words than a shingle: one shingle of all their words.
        extra = []
        for item in short:
            part = hashes[offsets[item] : offsets[item + 1]]
            whole = (part * _WEIGHTS[: len(part)]).sum(dtype=np.uint64)
            if marked is None or marked[offsets[item] : offsets[item + 1]].any():
                extra.append((item, whole))
        if extra:
            owner = np.concatenate((owner, np.array([e[0] for e in extra], dtype=np.int64)))
            tail = fmix64(np.array([e[1] for e in extra], dtype=np.uint64)) >> np.uint64(32)
            values = np.concatenate((values, tail))
    # One sort of (text, shingle) pairs gives every text's distinct shingles, in order.
    pairs = np.sort((owner.astype(np.uint64) << np.uint64(32)) | values)
    if len(pairs) > 1:
        distinct = np.empty(len(pairs), dtype=bool)
        distinct[0] = True
        np.not_equal(pairs[1:], pairs[:-1], out=distinct[1:])
        pairs = pairs[distinct]
    owners = (pairs >> np.uint64(32)).astype(np.int64)
    bounds = np.searchsorted(owners, np.arange(items + 1, dtype=np.int64)).astype(np.int64)
    return ShingleSets((pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32), bounds)
