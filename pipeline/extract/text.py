"""Small text helpers shared by the extraction modules: whitespace, token overlap."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["length_in_words", "normalize_space", "overlap", "tokens"]

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
# Zero-width and soft-hyphen characters that pages scatter inside words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def normalize_space(text: str) -> str:
    """``text`` in NFC with invisible characters dropped and whitespace runs as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()


def tokens(text: str) -> list[str]:
    """Lower-case word tokens."""
    return _TOKEN.findall(text.lower())


def overlap(part: str, whole: str) -> float:
    """Share of ``part``'s word tokens found in ``whole`` (a bag-of-words recall, 0..1)."""
    part_tokens = tokens(part)
    if not part_tokens:
        return 0.0
    available: dict[str, int] = {}
    for token in tokens(whole):
        available[token] = available.get(token, 0) + 1
    found = 0
    for token in part_tokens:
        if available.get(token, 0) > 0:
            available[token] -= 1
            found += 1
    return found / len(part_tokens)


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return 0x3040 <= point <= 0x30FF or 0x3400 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF


def length_in_words(text: str) -> int:
    """Words as a reader counts them: a run of Chinese or Japanese characters, written
    without spaces, counts one word per two characters (the usual mean word length)."""
    count = 0
    for token in _TOKEN.findall(text):
        cjk = sum(1 for char in token if _is_cjk(char))
        count += 1 if not cjk else max(1, (cjk + 1) // 2) + (1 if cjk < len(token) else 0)
    return count
