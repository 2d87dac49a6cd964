"""Text normalisation shared by every dedup comparison: NFKC, quotes, dashes, spaces, case.

Two paragraphs are "the same" for dedup when their :func:`key` is equal: the lower-cased
NFKC words, with typographic quotes and dashes mapped to ASCII, zero-width characters
dropped and thousands separators removed ("1,200" is "1200"), joined by single spaces;
bullets, punctuation and whitespace never make a repeat look new.

A word is a maximal run of letters, digits, ``_`` and combining marks (any script: the
vowel signs of Devanagari or Thai belong to their word). In the scripts written without
spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) each character,
with its marks, is a word: a clause is not one word, so a copy with one character edited
still shares most of its shingles. Marks a copy may or may not carry (Arabic harakat and
tatweel, Hebrew points, variation selectors) are dropped, and every decimal digit is read
as its ASCII digit ("٢٠٢٦" is "2026"). Words are UTF-8 ``bytes``: tokenising is a byte
translation and a split, both in C, which is what makes sketching a document cheaper than
hashing its shingles one by one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import xxhash

from newsdedup.core.scripts import ASCII_DIGITS, ASTRAL_HAN, DIGIT_POINTS, UNSPACED

__all__ = ["fingerprint", "forms", "key", "mask_digits", "prenormalise", "words"]

_REPLACEMENTS = (
    *((c, "'") for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc"),
    *((c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a"),
    *((c, "-") for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"),
    # Arabic thousands and decimal separators, as "1,200" and "3.5" are written.
    ("\u066c", ","), ("\u066b", "."),
    # Zero-width characters and the soft hyphen hide inside words copied from the web.
    *((c, "") for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"),
)
# Every byte that is not part of a word becomes a space; bytes >= 0x80 (UTF-8 of
# non-ASCII characters) are word bytes.
_TO_WORDS = bytes(
    c if (c >= 0x80 or chr(c).isalnum() or c == 0x5F) else 0x20 for c in range(256)
)


def _class_of(codepoints: list[int]) -> str:
    """A regex character class body (ranges, escaped) for sorted ``codepoints``."""
    parts: list[str] = []
    index = 0
    while index < len(codepoints):
        end = index
        while end + 1 < len(codepoints) and codepoints[end + 1] == codepoints[end] + 1:
            end += 1
        first, last = codepoints[index], codepoints[end]
        parts.append(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}")
        index = end + 1
    return "".join(parts)


def _points(test: Callable[[str], bool], start: int, stop: int = 0x20000) -> list[int]:
    """The code points in [start, stop) whose character passes ``test`` (below U+20000
    are all of Unicode's marks)."""
    return [cp for cp in range(start, stop) if test(chr(cp))]


def _is_mark(character: str) -> bool:
    return unicodedata.category(character)[0] == "M"


# Combining marks (category M): part of the word they follow. Below U+20000 are all of
# Unicode's but the variation selectors supplement (U+E0100-E01EF). Classes with code
# points past U+FFFF are matched range by range, so the scans below have a BMP form for
# the text (nearly all) that has no such character.
_MARK_POINTS = [*_points(_is_mark, 0x300), *range(0xE0100, 0xE01F0)]
_MARKS = _class_of(_MARK_POINTS)
_BMP_MARKS = _class_of([cp for cp in _MARK_POINTS if cp < 0x10000])
# Optional marks a copy may drop or keep: Arabic harakat, Quranic annotation marks and
# tatweel, Hebrew points and cantillation, enclosing marks (keycaps, circles), variation
# selectors.
_OPTIONAL = (
    "\u0488\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f"
    "\u0670\u06d6-\u06ed\u08d3-\u08ff\u20dd-\u20e0\u20e2-\u20e4\ua670-\ua672\ufe00-\ufe0f"
)
_ASTRAL_OPTIONAL = "\\U000e0100-\\U000e01ef"
_OPTIONAL_MARKS = re.compile(f"[{_OPTIONAL}{_ASTRAL_OPTIONAL}]+")
# Decimal digits outside ASCII (each read as its ASCII form: ``scripts.ASCII_DIGITS``).
_BMP_DIGITS = _class_of([cp for cp in DIGIT_POINTS if cp < 0x10000])
_ASTRAL_DIGITS = _class_of([cp for cp in DIGIT_POINTS if cp >= 0x10000])


class _Scans:
    """The scans of the NFKC text, compiled for ``marks`` and the extra ``unspaced``,
    ``optional`` and ``digits`` classes."""

    def __init__(self, marks: str, unspaced: str, optional: str, digits: str) -> None:
        unspaced = UNSPACED + unspaced
        # Any other non-ASCII character that is not part of a word (bullets, ellipses,
        # symbols, no-break spaces) separates words.
        self.symbols = re.compile(f"[^\\x00-\\x7f\\w{marks}]+")
        # Any character the steps after that rewrite: most text has none.
        self.rewritten = re.compile(f"[{marks}{_OPTIONAL}{optional}{_BMP_DIGITS}{digits}{unspaced}]")
        # Marks that follow no letter: what NFKC leaves of a spacing accent ("´" is a space
        # and U+0301), a keycap's or a circle's remains.
        self.orphans = re.compile(f"(?<![\\w{marks}])[{marks}]+")
        # Runs of unspaced characters, one with its marks, and a mark.
        self.run = re.compile(f"[{unspaced}][{unspaced}{marks}]*")
        self.unit = re.compile(f"[{unspaced}][{marks}]*")
        self.mark = re.compile(f"[{marks}]")
        self.digit = re.compile(f"[{_BMP_DIGITS}{digits}]")

    def spaced(self, run: re.Match[str]) -> str:
        """A run of an unspaced script with a space around each character and its marks."""
        text = run[0]
        units = self.unit.findall(text) if self.mark.search(text) else text
        return f" {' '.join(units)} "


_ASTRAL = re.compile("[\\U00010000-\\U0010ffff]")


def _astral_words(text: str) -> bool:
    """Whether ``text`` has a letter, digit or mark past U+FFFF (Han extensions, a
    variation selector...): emoji, the usual characters there, are symbols, which the
    BMP scans separate as well."""
    return any(unicodedata.category(c)[0] in "LMN" for c in _ASTRAL.findall(text))


_BMP_SCANS = _Scans(_BMP_MARKS, "", "", "")
_ALL_SCANS = _Scans(_MARKS, ASTRAL_HAN, _ASTRAL_OPTIONAL, _ASTRAL_DIGITS)
# A thousands comma: the comma comes first in the pattern, so the scan for it is fast.
_THOUSANDS = re.compile(rb",(?<=\d,)(?=\d{3}(?!\d))")
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= c <= 0x39 else c for c in range(256))
_ZEROS = re.compile(rb"00+")


def prenormalise(text: str) -> str:
    """NFKC with ASCII quotes, dashes and digits, zero-width characters and optional marks
    removed, other non-ASCII characters that are not letters, digits or marks turned into
    spaces, and spaces around each character of a script written without them; case is
    kept."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    for character, replacement in _REPLACEMENTS:
        if character in text:
            text = text.replace(character, replacement)
    scans = _ALL_SCANS if _astral_words(text) else _BMP_SCANS
    text = scans.symbols.sub(" ", text)
    if not scans.rewritten.search(text):
        return text
    text = scans.orphans.sub(" ", _OPTIONAL_MARKS.sub("", text))
    if scans.digit.search(text):
        text = text.translate(ASCII_DIGITS)
    return scans.run.sub(scans.spaced, text)


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
