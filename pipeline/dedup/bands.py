"""How document LSH band keys are laid out in storage: a time bucket in the high bits.

A stored key is ``bucket << 40 | key`` where ``key`` is the low 40 bits of the band
hash and ``bucket`` the article's day divided by 32. New articles are recent, so their
keys land in one narrow region of the index instead of all over it: the pages a batch
writes stay as many as the recent weeks need, not as many as the corpus has, which is
what keeps the cost of a new article flat as the corpus grows. A look-up asks for its
keys in each bucket the date window touches (two at most for a window under 32 days).
With the window disabled every key goes to bucket 0 (one look-up per key, no locality).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

__all__ = [
    "BUCKET_DAYS",
    "HASH_BITS",
    "PARAGRAPH_BUCKET_DAYS",
    "bucket_days",
    "lookup_keys",
    "paragraph_lookup_keys",
    "short_key",
    "short_keys",
    "stored_key",
    "stored_rows",
]

HASH_BITS = 40
BUCKET_DAYS = 32
_MASK = (1 << HASH_BITS) - 1


def bucket_days(window_days: int) -> int:
    """The bucket width in days for a date window (0: no buckets)."""
    return BUCKET_DAYS if window_days > 0 else 0


def short_keys(keys: npt.NDArray[np.int64]) -> list[list[int]]:
    """Band hashes cut to the bits a stored key keeps."""
    return (keys & np.int64(_MASK)).tolist()  # type: ignore[no-any-return]


def _bucket(day: int, width: int) -> int:
    return max(0, day // width) if width else 0


def stored_key(key: int, day: int, width: int) -> int:
    """The stored form of a short key for an article of ``day``."""
    return (_bucket(day, width) << HASH_BITS) | key


def stored_rows(rows: Iterable[tuple[int, int, int]], width: int) -> list[tuple[int, int, int]]:
    """``(short key, day, article id)`` rows with their keys in stored form (as
    ``stored_key``, the bucket worked out once per day)."""
    bases: dict[int, int] = {}
    out = []
    for key, day, article_id in rows:
        base = bases.get(day)
        if base is None:
            base = bases[day] = _bucket(day, width) << HASH_BITS
        out.append((base | key, day, article_id))
    return out


def lookup_keys(keys: Iterable[int], day: int, window_days: int, width: int) -> Iterator[int]:
    """The stored keys under which an article of ``day`` finds its candidates."""
    if width:
        buckets = range(_bucket(day - window_days, width), _bucket(day + window_days, width) + 1)
    else:
        buckets = range(1)
    listed = list(keys)
    for bucket in buckets:
        base = bucket << HASH_BITS
        for key in listed:
            yield base | key


#: Paragraph band keys live in 90-day buckets and are looked up in the article's bucket
#: and the one before: near copies of a source's paragraphs are found over three to six
#: months back, and the index a batch writes into stays as large as that, not larger.
PARAGRAPH_BUCKET_DAYS = 90


def paragraph_lookup_keys(key: int, day: int) -> tuple[int, int]:
    """The stored keys under which a paragraph of an article of ``day`` finds near copies."""
    current = _bucket(day, PARAGRAPH_BUCKET_DAYS)
    return ((current << HASH_BITS) | key, (max(0, current - 1) << HASH_BITS) | key)


def short_key(stored: int) -> int:
    """The short key of a stored one."""
    return stored & _MASK
