"""Text normalisation shared by every dedup comparison: NFKC, quotes, dashes, spaces, case.

Two paragraphs are "the same" for dedup when their :func:`key` is equal: the casefolded
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

__all__ = [
    "fingerprint",
    "key",
    "mask_digits",
    "names",
    "normalised_key",
    "prenormalise",
    "words",
]

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
_THOUSANDS = re.compile(rb"(\d),(?=\d{3}(?!\d))")
_DIGITS = re.compile(rb"\d+")
# A capitalised word that does not open a sentence: the capital follows a space that
# follows something other than a sentence end or an opening quote (a line break starts a
# paragraph). The capital comes first so the scan for it is fast. ASCII capitals only.
_CAPITAL = re.compile(rb"[A-Z](?<=[^.!?\"'(\[\s][ \t][A-Z])[A-Za-z0-9_\x80-\xff]*")
# In a key: a word starting with a digit or a non-ASCII character.
_NUMBER = re.compile(rb"[0-9\x80-\xff](?<![^ ][0-9\x80-\xff])[^ ]*")


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


def normalised_key(normalised: str, *, collapse: bool = True) -> bytes:
    """:func:`key` of text already through :func:`prenormalise`; with ``collapse``
    False, words may be separated by more than one space (cheaper, same words)."""
    folded = normalised.lower() if normalised.isascii() else normalised.casefold()
    data = folded.encode("utf-8")
    if b"," in data:
        data = _THOUSANDS.sub(rb"\1", data)
    data = data.translate(_TO_WORDS)
    return b" ".join(data.split()) if collapse else data


def key(text: str) -> bytes:
    """The comparison form of a paragraph: its casefolded words joined by single spaces."""
    return normalised_key(prenormalise(text))


def words(text: str) -> list[bytes]:
    """The casefolded words of ``text``."""
    return key(text).split()


def names(normalised: str, text_key: bytes) -> set[bytes]:
    """The words a text uses as names or numbers: capitalised words that do not open a
    sentence, and words starting with a digit or a non-ASCII character. ``normalised``
    is the text through :func:`prenormalise`, ``text_key`` its :func:`normalised_key`.

    Names are the evidence that tells a syndicated copy (same names and figures) from a
    recurring templated story (same sentences, other names and figures).
    """
    found = set(_NUMBER.findall(text_key))
    # bytes.lower() folds ASCII only; a capitalised name's later letters are rarely
    # non-ASCII capitals, so this is casefolding in practice.
    found.update(map(bytes.lower, _CAPITAL.findall(normalised.encode("utf-8"))))
    return found


def mask_digits(text_key: bytes) -> bytes:
    """``text_key`` with every run of digits replaced by ``0``: counters and dates in a
    template ("20,000 readers", "Last updated May 3") stop making it look new."""
    return _DIGITS.sub(b"0", text_key)


def fingerprint(text_key: bytes) -> int:
    """A signed 64-bit hash of a :func:`key` (signed so it fits a BIGINT column)."""
    return xxhash.xxh3_64_intdigest(text_key) - (1 << 63)
