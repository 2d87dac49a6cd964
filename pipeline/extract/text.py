"""Small text helpers shared by the extraction modules: whitespace, token overlap, prose."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lxml.etree import _Element

from newsdedup.core.scripts import ASTRAL_HAN, HAN_KANA, SOUTHEAST_ASIAN

__all__ = [
    "CJK", "CLAUSE_END", "CONTROL_CHARS", "HANGUL", "NOT_SHOWN", "PROSE_WORDS", "SENTENCE_END", "WORD", "is_prose", "length_in_words",
    "normalize_space", "overlap", "prose_paragraphs", "shown_texts", "tokens",
]

#: A paragraph of prose has this many words or more (a teaser's blurb outside a card, a
#: caption or a label is shorter): what the page-kind rules, signals and model count.
PROSE_WORDS = 40

#: A word: a run of word characters (in any script).
WORD = re.compile(r"\w+")
#: Control characters other than tab and line breaks: no text (Postgres refuses a NUL in
#: text, lxml in the strings it hands back). Cut from the page before parsing, and from
#: what JSON on the page (JSON-LD, a framework's state) spells as "\u0000".
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Chinese and Japanese characters (kana, Han with its extensions past U+FFFF, the
#: iteration marks), written without spaces between words: in ``tokens`` each is a token
#: of its own. The same ranges as dedup's words (``newsdedup.core.scripts``).
CJK = HAN_KANA + ASTRAL_HAN
#: Hangul syllables. Korean puts spaces between its words, so ``tokens`` keeps a Hangul
#: word whole (outside ``CJK``); the page-kind signals (``page_signals``), trained that way,
#: count its characters like Han's as well.
HANGUL = "\uac00-\ud7af"
#: The marks that end a sentence: full stop, "!", "?" in Latin and CJK punctuation, the
#: Devanagari danda (Hindi, Marathi, Nepali; Bengali writes it too), Arabic "؟", Urdu "۔",
#: Armenian "։", Ethiopic "።", Myanmar "။", Khmer "។", Tibetan "།".
_FULL_STOPS = ".!?\u3002\uff01\uff1f\u0964\u0965\u061f\u06d4\u0589\u1362\u104b\u17d4\u0f0d"
#: A paragraph that ends a sentence (one of ``_FULL_STOPS``, with at most one closing quote
#: or bracket): what the page-kind signals and model count.
SENTENCE_END = re.compile(rf"[{_FULL_STOPS}][\"'\u201d\u2019)\]]?$")
#: A line that ends a sentence or a clause ("...", ":", ";" too, behind any closing quotes):
#: prose around an inline teaser, where a headline ends in none of them
#: (``inline_teasers``). Wider than ``SENTENCE_END``: a line ending in a colon is not a
#: headline, but neither is it a paragraph that ends a sentence for the page-kind model.
CLAUSE_END = re.compile(rf"[{_FULL_STOPS}…:;][\"'”’»)\]]*\s*$")
_WORD_OR_CJK = re.compile(rf"[{CJK}]|(?:(?![{CJK}])\w)+")
_HAS_CJK = re.compile(rf"[{CJK}]")
# Thai, Lao, Myanmar, Khmer and the Tai scripts (their blocks hold their marks and digits
# too). A run of them counts a word per 4.5 characters: on a story written for the tests
# in Thai and in English, 159 Thai characters said what 35 English words say.
_SEA = SOUTHEAST_ASIAN
_HAS_SEA = re.compile(f"[{_SEA}]")
_SEA_RUN = re.compile(f"[{_SEA}]+")
_SEA_CHARS_PER_WORD = 4.5
_HAS_UNSPACED = re.compile(f"[{CJK}{_SEA}]")
# Zero-width and soft-hyphen characters that pages scatter inside words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def normalize_space(text: str) -> str:
    """``text`` in NFC with invisible characters dropped and whitespace runs as one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; a Chinese or Japanese character is a token by itself."""
    return _WORD_OR_CJK.findall(text.lower())


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


def length_in_words(text: str) -> int:
    """Words as a reader counts them. Chinese and Japanese, written without spaces, count
    one word per two characters (the usual mean word length). Thai, Lao, Khmer, Myanmar
    and the Tai scripts put spaces between phrases, not words, and their vowel signs and
    tone marks are not word characters: a run of their characters (marks included)
    counts one word per ``_SEA_CHARS_PER_WORD`` characters."""
    if not _HAS_UNSPACED.search(text):
        return len(WORD.findall(text))
    count = 0
    if _HAS_SEA.search(text):
        runs = _SEA_RUN.findall(text)
        count += sum(max(1, round(len(run) / _SEA_CHARS_PER_WORD)) for run in runs)
        text = _SEA_RUN.sub(" ", text)
    for token in WORD.findall(text):
        cjk = len(_HAS_CJK.findall(token))
        count += 1 if not cjk else max(1, (cjk + 1) // 2) + (1 if cjk < len(token) else 0)
    return count


def is_prose(paragraph: str) -> bool:
    """Whether ``paragraph`` has ``PROSE_WORDS`` or more blank-separated words, or, in the
    scripts that do not space their words, as many by ``length_in_words``."""
    if len(paragraph.split()) >= PROSE_WORDS:
        return True
    return _HAS_UNSPACED.search(paragraph) is not None and length_in_words(paragraph) >= PROSE_WORDS


def prose_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """The paragraphs that are prose (:func:`is_prose`)."""
    return [paragraph for paragraph in paragraphs if is_prose(paragraph)]


#: Elements whose text a reader never sees (a page's inline state holds its text again).
NOT_SHOWN = frozenset({"script", "style", "noscript", "template"})


def shown_texts(root: _Element, skip: frozenset[str] = NOT_SHOWN, max_elements: int | None = None) -> list[str]:
    """The text pieces of ``root`` a reader sees, in document order: its own text and that
    of every element under it (each followed by its tail) but the subtrees of the ``skip``
    tags (their tails are read); comments are passed over, their tails read. With
    ``max_elements``, the walk stops after that many elements (``root`` counted)."""
    pieces = [root.text] if root.text else []
    stack = [(root, iter(root))]
    visited = 1
    while stack:
        parent, children = stack[-1]
        child = next(children, None) if max_elements is None or visited < max_elements else None
        if child is None:
            stack.pop()
            if stack and parent.tail:
                pieces.append(parent.tail)
            continue
        visited += 1
        if isinstance(child.tag, str) and child.tag not in skip:
            if child.text:
                pieces.append(child.text)
            stack.append((child, iter(child)))
        elif child.tail:
            pieces.append(child.tail)
    return pieces
