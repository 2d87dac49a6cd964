"""MinHash signatures in datasketch's ``affine32`` scheme, vectorised; LSH band keys.

A signature here is bit-for-bit what ``datasketch.MinHash(num_perm, seed,
scheme="affine32", hashfunc=lambda h: h).update_batch(shingle_hashes)`` computes (a test
checks it): datasketch's own permutations, its MurmurHash3 pre-mix, ``a * h + b mod
2**32``. What differs is speed: the permutations of a whole batch of shingle sets (see
``shingles.py``) are applied in a few array operations instead of one ``update`` call
per shingle.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from newsdedup.pipeline.dedup.shingles import FMIX32, ShingleSets, fmix64, murmur_mix

__all__ = [
    "SCHEME",
    "MinHasher",
    "Signature",
    "band_keys",
    "containment",
    "from_bytes",
    "jaccard",
    "to_bytes",
]

#: How signatures are made; stored with them and compared on start (see scheme.py).
SCHEME = "datasketch-affine32/poly64-words/v1"

Hashes = npt.NDArray[np.uint32]
Signature = npt.NDArray[np.uint32]

_BAND_SALT = np.uint64(0x9FB21C651E98DF25)
_ROW_WEIGHTS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)
_CHUNK = 8_192  # shingles per permutation block: the block stays in the CPU cache


class MinHasher:
    """The ``num_perm`` permutations of datasketch's affine32 scheme for ``seed``."""

    def __init__(self, num_perm: int, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        self._a = np.ascontiguousarray(a, dtype=np.uint32)[:, None]
        self._b = np.ascontiguousarray(b, dtype=np.uint32)[:, None]

    def signatures(self, sets: ShingleSets) -> npt.NDArray[np.uint32]:
        """One signature row per set; an empty set gets the all-max signature.

        The permutations are applied to cache-sized blocks of the flat set values (a
        large set spans several blocks, so memory stays ``num_perm x _CHUNK`` whatever
        the set sizes), each block's part of every set reduced with
        ``minimum.reduceat`` and merged into its row.
        """
        count = len(sets)
        out = np.full((count, self.num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
        offsets = sets.offsets
        total = int(offsets[-1]) if count else 0
        for begin in range(0, total, _CHUNK):
            end = min(begin + _CHUNK, total)
            # The sets with values in [begin, end), in order, none empty.
            first = int(np.searchsorted(offsets, begin, side="right")) - 1
            last = int(np.searchsorted(offsets, end, side="left"))
            items = np.arange(first, last)
            items = items[offsets[items + 1] > offsets[items]]
            values = murmur_mix(sets.values[begin:end], FMIX32)
            permuted = self._a * values[None, :]
            permuted += self._b
            lowest = np.minimum.reduceat(
                permuted, np.maximum(offsets[items], begin) - begin, axis=1
            ).T
            out[items] = np.minimum(out[items], lowest)
        return out

    def signature(self, hashes: Hashes) -> Signature:
        """The signature of one set of 32-bit shingle hashes."""
        flat = ShingleSets(np.asarray(hashes, dtype=np.uint32), np.array([0, len(hashes)], dtype=np.int64))
        signature: Signature = self.signatures(flat)[0]
        return signature


def jaccard(first: Signature, second: Signature) -> float:
    """The MinHash estimate of the Jaccard similarity of the two underlying sets."""
    return float(np.count_nonzero(first == second)) / len(first)


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set found in the larger, from Jaccard and sizes.

    ``|A n B| = J (|A| + |B|) / (1 + J)``; divided by ``min(|A|, |B|)``, capped at 1.
    """
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    shared = similarity * (size_a + size_b) / (1.0 + similarity)
    return min(1.0, shared / smaller)


def band_keys(signatures: npt.NDArray[np.uint32], bands: int, rows: int,
              salt: int | npt.NDArray[np.int64] = 0) -> npt.NDArray[np.int64]:
    """The LSH band keys of each signature row: ``bands`` signed 64-bit keys per row.

    A key hashes the band's ``rows`` values together with the band number and ``salt``
    (one value, or one per row, e.g. a source id), so equal values in different bands,
    or of different salts, never share a bucket.
    """
    count = signatures.shape[0]
    used = signatures[:, : bands * rows].astype(np.uint64).reshape(count, bands, rows)
    salts = np.asarray(salt).astype(np.uint64).reshape(-1, 1)
    base = np.arange(bands, dtype=np.uint64)[None, :] + (salts << np.uint64(20))
    combined = np.broadcast_to(base * _BAND_SALT, (count, bands)).copy()
    for row in range(rows):
        combined = fmix64(combined ^ (used[:, :, row] * _ROW_WEIGHTS[row % 8]))
    return combined.view(np.int64)


def to_bytes(signature: Signature) -> bytes:
    """A signature as stored: little-endian uint32 values."""
    return signature.astype("<u4", copy=False).tobytes()


def from_bytes(data: bytes) -> Signature:
    """A stored signature back as an array."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
