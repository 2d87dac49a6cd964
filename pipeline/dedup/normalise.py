"""Text normalisation shared by every dedup comparison: NFKC, quotes, dashes, spaces, case.

Two paragraphs are "the same" for dedup when their :func:`key` is equal: the lower-cased
NFKC words, with typographic quotes and dashes mapped to ASCII, zero-width characters
dropped and thousands separators removed ("1,200" is "1200"), joined by single spaces;
bullets, punctuation and whitespace never make a repeat look new.

A word is a maximal run of letters, digits and ``_`` (any script). Words are UTF-8
``bytes``: tokenising is a byte translation and a split, both in C, which is what makes
sketching a document cheaper than hashing its shingles one by one.
"""

from __future__ import annotations

import re
import unicodedata

import xxhash

__all__ = ["fingerprint", "forms", "key", "mask_digits", "prenormalise", "words"]

_REPLACEMENTS = (
    *((c, "'") for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc"),
    *((c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a"),
    *((c, "-") for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"),
    # Zero-width characters and the soft hyphen hide inside words copied from the web.
    *((c, "") for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"),
)
# Every byte that is not part of a word becomes a space; bytes >= 0x80 (UTF-8 of
# non-ASCII characters) are word bytes.
_TO_WORDS = bytes(
    c if (c >= 0x80 or chr(c).isalnum() or c == 0x5F) else 0x20 for c in range(256)
)
# Any other non-ASCII character that is not part of a word (bullets, ellipses, symbols,
# no-break spaces) separates words.
_SYMBOLS = re.compile(r"[^\x00-\x7f\w]+")
# A thousands comma: the comma comes first in the pattern, so the scan for it is fast.
_THOUSANDS = re.compile(rb",(?<=\d,)(?=\d{3}(?!\d))")
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= c <= 0x39 else c for c in range(256))
_ZEROS = re.compile(rb"00+")
def prenormalise(text: str) -> str:
    """NFKC with ASCII quotes and dashes, zero-width characters removed, other non-ASCII
    characters that are not letters or digits turned into spaces; case is kept."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    for character, replacement in _REPLACEMENTS:
        if character in text:
            text = text.replace(character, replacement)
    return _SYMBOLS.sub(" ", text)


def forms(text: str) -> tuple[bytes, bytes]:
    """Two byte forms of ``text``, position for position: the normalised text with its
    case and punctuation, and its words form (lower case, every non-word byte a space).

    Where lower-casing changes the length of the text (a handful of letters do, such as
    the Turkish dotted I), the first form is the lower-cased one: the names in that text
    are then only its numbers.
    """
    normalised = prenormalise(text)
    raw = normalised.encode("utf-8")
    folded = raw.lower() if normalised.isascii() else normalised.lower().encode("utf-8")
    if b"," in raw:
        raw = _THOUSANDS.sub(b"", raw)
        folded = _THOUSANDS.sub(b"", folded)
    if len(folded) != len(raw):
        raw = folded
    return raw, folded.translate(_TO_WORDS)


def key(text: str) -> bytes:
    """The comparison form of a paragraph: its lower-cased words joined by single spaces."""
    return b" ".join(forms(text)[1].split())


def words(text: str) -> list[bytes]:
    """The lower-cased words of ``text``."""
    return forms(text)[1].split()


def mask_digits(text_key: bytes) -> bytes:
    """``text_key`` with every run of digits replaced by ``0``: counters and dates in a
    template ("20,000 readers", "Last updated May 3") stop making it look new."""
    masked = text_key.translate(_DIGITS_TO_ZERO)
    return _ZEROS.sub(b"0", masked) if b"00" in masked else masked


def fingerprint(text_key: bytes) -> int:
    """A signed 64-bit hash of a :func:`key` (signed so it fits a BIGINT column)."""
    return xxhash.xxh3_64_intdigest(text_key) - (1 << 63)
