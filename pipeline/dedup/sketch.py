"""What the dedup stages compare: paragraph keys and signatures, document signatures.

Everything for a batch of articles is computed at once: word hashes, shingle sets and
MinHash permutations run as a few large array operations (``shingles.py``,
``minhash.py``); Python touches each text a handful of times, never each word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import fingerprint, forms, key, mask_digits
from newsdedup.pipeline.dedup.minhash import MinHasher, Signature
from newsdedup.pipeline.dedup.shingles import ShingleSets, WordHashes, hash_words, shingle_sets

__all__ = ["BodySignatures", "DocumentSketch", "ParagraphSketch", "Sketcher", "name_flags"]

# Bytes after which a capitalised word opens a sentence (or a quote) rather than names
# something: sentence ends, opening quotes and brackets, line breaks.
_OPENERS = np.zeros(256, dtype=bool)
_OPENERS[list(b".!?\"'([\n\r\t ")] = True


@dataclass(frozen=True, slots=True)
class ParagraphSketch:
    """One paragraph: its comparison key, that key's fingerprint, its word count and,
    when it has at least ``paragraph_min_words`` words, its MinHash signature over
    digit-masked word shingles."""

    key: bytes
    fingerprint: int
    words: int
    signature: Signature | None


@dataclass(frozen=True, slots=True)
class BodySignatures:
    """A body's three signatures with their set sizes: what verification compares, of a
    new body (a :class:`DocumentSketch`) or a stored one (its signature row)."""

    shingles: int
    signature: Signature
    lead_shingles: int
    lead_signature: Signature
    name_shingles: int
    name_signature: Signature


@dataclass(frozen=True, slots=True)
class DocumentSketch(BodySignatures):
    """One clean body: its hash, size and three signatures with their set sizes.

    ``signature`` covers every shingle, ``lead_signature`` the shingles of the first
    ``lead_words`` words, ``name_signature`` the shingles holding a name or a number.
    All three use the same permutations, so any two of them can be compared.
    """

    content_hash: str
    words: int


def _concat(*parts: ShingleSets) -> ShingleSets:
    values = np.concatenate([p.values for p in parts])
    offsets, base = [np.zeros(1, dtype=np.int64)], 0
    for part in parts:
        offsets.append(part.offsets[1:] + base)
        base += int(part.offsets[-1])
    return ShingleSets(values, np.concatenate(offsets))


class Sketcher:
    """Computes sketches with the permutations ``config`` asks for (one per run)."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.documents = MinHasher(config.num_perm)
        self.paragraphs = MinHasher(config.paragraph_num_perm)

    def paragraphs_of(self, texts: Sequence[str]) -> list[ParagraphSketch]:
        """Sketch paragraphs (of any number of articles) in one pass."""
        config = self.config
        keys = [key(text) for text in texts]
        counts = [text_key.count(b" ") + 1 if text_key else 0 for text_key in keys]
        eligible = [i for i, count in enumerate(counts) if count >= config.paragraph_min_words]
        signatures: dict[int, Signature] = {}
        if eligible:
            masked = hash_words([mask_digits(keys[i]) for i in eligible])
            sets = shingle_sets(masked, config.paragraph_shingle_size)
            signatures = dict(zip(eligible, self.paragraphs.signatures(sets), strict=True))
        return [
            ParagraphSketch(text_key, fingerprint(text_key), counts[i], signatures.get(i))
            for i, text_key in enumerate(keys)
        ]

    def documents_of(self, bodies: Sequence[Sequence[str]]) -> list[DocumentSketch]:
        """Sketch clean bodies (each a sequence of kept paragraphs) in one pass."""
        config = self.config
        size = config.shingle_size
        raws, keys = [], []
        for paragraphs in bodies:
            raw, words_form = forms("\n".join(paragraphs))
            raws.append(raw)
            keys.append(words_form)
        words = hash_words(keys)
        full = shingle_sets(words, size)
        # config bounds keep lead_words >= 10 >= shingle_size: a lead has a shingle.
        lead = shingle_sets(words, size, lead=config.lead_words - size + 1)
        named = shingle_sets(words, size, marked=name_flags(b" ".join(raws) + b" ", words))
        n = len(bodies)
        signatures = self.documents.signatures(_concat(full, lead, named))
        word_counts = words.counts()
        full_sizes, lead_sizes, named_sizes = full.sizes(), lead.sizes(), named.sizes()
        return [
            DocumentSketch(
                content_hash=hashlib.sha256(words.of(i).tobytes()).hexdigest(),
                words=int(word_counts[i]),
                shingles=int(full_sizes[i]),
                signature=signatures[i],
                lead_shingles=int(lead_sizes[i]),
                lead_signature=signatures[n + i],
                name_shingles=int(named_sizes[i]),
                name_signature=signatures[2 * n + i],
            )
            for i in range(n)
        ]


def name_flags(raw: bytes, words: WordHashes) -> npt.NDArray[np.bool_]:
    """Which words name something: a word starting with a digit or a non-ASCII
    character, or a capitalised word inside a sentence (after a space that follows
    something other than a sentence end, an opening quote or bracket, or a line break).

    ``raw`` holds the texts' first :func:`forms`, joined by one space, so it is
    position for position the joined words forms that ``words`` was hashed from. This is
    the evidence that tells a syndicated copy (same names and figures) from a recurring
    templated story (same sentences, other names and figures).
    """
    if len(words.starts) == 0:
        return np.zeros(0, dtype=bool)
    data = np.frombuffer(raw, dtype=np.uint8)
    starts = words.starts
    first = data[starts]
    numeric = ((first >= 0x30) & (first <= 0x39)) | (first >= 0x80)
    capital = (first >= 0x41) & (first <= 0x5A)
    before = data[np.maximum(starts - 1, 0)]
    before_that = data[np.maximum(starts - 2, 0)]
    inside = ((before == 0x20) | (before == 0x09)) & ~_OPENERS[before_that] & (starts >= 2)
    flags = numeric | (capital & inside)
    # A text's first word follows the previous text's end, not a sentence of its own.
    flags[words.offsets[:-1][np.diff(words.offsets) > 0]] &= numeric[
        words.offsets[:-1][np.diff(words.offsets) > 0]
    ]
    return flags  # type: ignore[no-any-return]
