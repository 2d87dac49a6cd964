"""Language codes: normalising declared tags, and detection (py3langid) weighed with the declaration."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["detect_language", "language_fit", "load_model", "normalize_language"]

_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
# Three-letter and legacy codes pages still declare, mapped to ISO 639-1.
_ALIASES = {
    "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no",
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
    "rus": "ru", "ukr": "uk", "ita": "it", "por": "pt", "nld": "nl", "dut": "nl",
    "pol": "pl", "tur": "tr", "jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh",
    "ara": "ar", "swe": "sv", "nor": "no", "nob": "no", "dan": "da", "fin": "fi",
    "ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "heb": "he", "hin": "hi",
    "bul": "bg", "srp": "sr", "hrv": "hr", "bos": "bs", "mkd": "mk", "bel": "be",
    # Varieties the detector names apart, under the macrolanguage ISO 639-1 has a code for.
    "cmn": "zh", "wuu": "zh", "yue": "zh", "arb": "ar", "ary": "ar", "arz": "ar", "uzs": "uz",
}
# The first characters decide: the language of a news body is set in its opening
# paragraphs, and the detector's time grows with the length it reads.
_SAMPLE_CHARS = 2000
# Fewer letters than this say too little to overrule a declaration or to guess at all.
_MIN_LETTERS = 20
# Without a declaration the best guess must be at least this probable.
_MIN_PROBABILITY = 0.5
# A declared language is kept while the text makes it at most this many times less
# probable than the best guess: close relatives (Bosnian and Croatian, Norwegian and
# Danish, Malay and Indonesian) stay as declared; a template's default "en" over a
# German body does not.
_DECLARED_WEIGHT = 20.0
_LETTER = re.compile(r"[^\W\d_]")


def normalize_language(tag: str | None) -> str | None:
    """ISO 639-1 from a declared tag ("de-DE", "en_US", "deu"), or None when it is not one."""
    if not tag:
        return None
    match = _TAG.match(tag)
    if not match:
        return None
    code = match.group(1).lower()
    code = _ALIASES.get(code, code)
    return code if len(code) == 2 else None


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model with normalised probabilities, loaded once per process (it is
    read-only data; loading takes a second or more)."""
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Identifier

    return Identifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_model() -> None:
    """Load the identifier's model now rather than on the first text (the extraction
    pool's fork server does, so that every worker forked from it has it)."""
    _known()


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(code for label in _identifier().nb_classes if (code := normalize_language(label)))


def _probabilities(sample: str) -> dict[str, float]:
    """ISO 639-1 code -> probability, the labels merged that map to one code (nb, nn, no)."""
    merged: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        code = normalize_language(label)
        if code is not None:
            merged[code] = merged.get(code, 0.0) + float(probability)
    return merged


def language_fit(text: str) -> float:
    """How well ``text`` reads as some language: the probability of the most probable one
    (0..1). Used to choose between two readings of the same bytes."""
    return max((float(probability) for _, probability in _identifier().rank(text)), default=0.0)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``, weighing the page's ``declared`` language (a code, as
    ``normalize_language`` gives) as evidence; None when there is neither enough text
    nor a declaration.

    The declaration stands unless the text makes another language more than
    ``_DECLARED_WEIGHT`` times as probable (py3langid over the first
    ``_SAMPLE_CHARS`` characters); a language the model does not know stands as
    declared. Without a declaration the best guess is returned when its probability is
    at least ``_MIN_PROBABILITY``.
    """
    declared = normalize_language(declared)
    sample = text[:_SAMPLE_CHARS]
    letters = sum(1 for _ in zip(range(_MIN_LETTERS), _LETTER.finditer(sample), strict=False))
    if letters < _MIN_LETTERS:
        return declared
    if declared is not None and declared not in _known():
        return declared
    probabilities = _probabilities(sample)
    if not probabilities:
        return declared
    best = max(probabilities, key=probabilities.__getitem__)
    if declared is not None:
        if probabilities.get(declared, 0.0) * _DECLARED_WEIGHT >= probabilities[best]:
            return declared
        return best
    return best if probabilities[best] >= _MIN_PROBABILITY else None
