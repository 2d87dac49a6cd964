"""What both extraction and dedup must know of writing systems: which scripts are written
without spaces between words, and every script's decimal digits.

Extraction counts a paragraph's words by reading length (``pipeline/extract/text.py``) and
reads dates in any script's digits (``pipeline/extract/dates.py``); dedup cuts text into
the words it sketches (``newsdedup/core/normalise.py``, which also counts the words
of a stored article). They must agree on these facts:
a script one of them counts as unspaced and the other does not would make a paragraph
prose for one and a single word for the other. Ranges are regex class bodies, to be put
inside ``[...]``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ASCII_DIGITS", "ASTRAL_HAN", "DIGIT_POINTS", "HAN_KANA", "SOUTHEAST_ASIAN", "UNSPACED"]

#: Chinese and Japanese in the Basic Multilingual Plane: the CJK iteration marks
#: ("々", "〆", "〇"), hiragana, katakana and its phonetic extensions, Han (extension A,
#: the unified ideographs) and the compatibility ideographs.
HAN_KANA = "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Han past U+FFFF: extensions B to H, the compatibility supplement.
ASTRAL_HAN = "\\U00020000-\\U000323af"
#: The scripts of mainland Southeast Asia, which put spaces between phrases, not words:
#: Thai, Lao, Myanmar (and its extensions A and B), Khmer, New Tai Lue, Tai Tham, Tai
#: Viet. Their blocks hold their vowel signs, tone marks and digits too.
SOUTHEAST_ASIAN = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1980-\u19df\u1a20-\u1aaf\ua9e0-\ua9ff\uaa60-\uaadf"
)
#: Every script of the Basic Multilingual Plane written without spaces between words.
UNSPACED = HAN_KANA + SOUTHEAST_ASIAN

#: Every decimal digit (category Nd) outside ASCII: Arabic-Indic, Devanagari, Bengali,
#: Thai, fullwidth... and those past U+FFFF (all of them below U+20000).
DIGIT_POINTS = tuple(cp for cp in range(0x80, 0x20000) if unicodedata.category(chr(cp)) == "Nd")
#: A ``str.translate`` table that writes each of them as its ASCII digit.
ASCII_DIGITS = {cp: 0x30 + unicodedata.digit(chr(cp)) for cp in DIGIT_POINTS}
