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

from newsdedup.config import DedupConfig
from pipeline.dedup.minhash import MinHasher, Signature
from pipeline.dedup.normalise import (
    fingerprint,
    key,
    mask_digits,
    names,
    normalised_key,
    prenormalise,
)
from pipeline.dedup.shingles import ShingleSets, WordHashes, hash_words, shingle_sets

__all__ = ["DocumentSketch", "ParagraphSketch", "Sketcher"]

# Mixes a text's index into its name hashes so one isin() serves a whole batch.
_ITEM_SALT = np.uint64(0x9E3779B97F4A7C15)


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
class DocumentSketch:
    """One clean body: its hash, size and three signatures with their set sizes.

    ``signature`` covers every shingle, ``lead_signature`` the shingles of the first
    ``lead_words`` words, ``name_signature`` the shingles holding a name or a number.
    All three use the same permutations, so any two of them can be compared.
    """

    content_hash: str
    words: int
    shingles: int
    signature: Signature
    lead_shingles: int
    lead_signature: Signature
    name_shingles: int
    name_signature: Signature


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
        keys, name_keys = [], []
        for paragraphs in bodies:
            normalised = prenormalise("\n".join(paragraphs))
            text_key = normalised_key(normalised, collapse=False)
            keys.append(text_key)
            name_keys.append(b" ".join(names(normalised, text_key)))
        words = hash_words(keys)
        full = shingle_sets(words, size)
        # config bounds keep lead_words >= 10 >= shingle_size: a lead has a shingle.
        lead = shingle_sets(words, size, lead=config.lead_words - size + 1)
        named = shingle_sets(words, size, marked=self._marked(words, hash_words(name_keys)))
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

    @staticmethod
    def _marked(words: WordHashes, names_: WordHashes) -> np.ndarray:
        """One flag per word of ``words``: is it among its own text's names?"""
        def salted(hashes: WordHashes) -> np.ndarray:
            items = np.repeat(np.arange(len(hashes.offsets) - 1, dtype=np.uint64), hashes.counts())
            return hashes.hashes ^ (items * _ITEM_SALT)

        wanted = np.sort(salted(names_))
        if len(wanted) == 0:
            return np.zeros(len(words.hashes), dtype=bool)
        probe = salted(words)
        found = np.searchsorted(wanted, probe)
        found[found == len(wanted)] = 0
        return wanted[found] == probe  # type: ignore[no-any-return]
