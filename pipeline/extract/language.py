"""Language codes: normalising declared tags, and a cheap detector (scripts, then stop words)."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["detect_language", "normalize_language"]

_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
# Three-letter and legacy codes pages still declare, mapped to ISO 639-1.
_ALIASES = {
    "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no",
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
    "rus": "ru", "ukr": "uk", "ita": "it", "por": "pt", "nld": "nl", "dut": "nl",
    "pol": "pl", "tur": "tr", "jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh",
    "ara": "ar", "swe": "sv", "nor": "no", "nob": "no", "dan": "da", "fin": "fi",
    "ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "heb": "he", "hin": "hi",
}
_SAMPLE_CHARS = 4000
_MIN_LETTERS = 20

_STOP_WORDS = {
    "en": "the and of to in is that for it was on with as are by this be at from have has not but said",
    "de": "der die das und ist nicht mit sich auf für ein eine dem den des von zu im auch es wird sie",
    "fr": "le la les et des est une un du que qui dans pour pas sur au avec il elle ce sont plus",
    "es": "el la los las y de que en un una es por con para del se no al lo como más su",
    "it": "il la di che e un una per non sono del della in con gli le si da è al ha",
    "pt": "o a os as e de que em um uma do da não para com por se no na dos mais é",
    "nl": "de het een en van is dat niet op te in zijn met voor er ook als bij aan",
    "sv": "och att det som en är på av för med till den inte har de om ett var",
    "no": "og i det som er på av for med til den ikke har de om et var å fra",
    "da": "og i det som er på af for med til den ikke har de om et var at fra",
    "fi": "ja on ei se että hän oli kun mutta myös ovat tai kuin joka sen ole",
    "pl": "i w nie na się z że do to jest jak o co ale po od przez dla są",
    "cs": "a v se na je že to s z do o jako ale by jsou pro které k od",
    "sk": "a v sa na je že to s z do o ako ale by sú pre ktoré k od",
    "tr": "ve bir bu da de için ile olarak çok daha gibi ama olan değil en kadar",
    "ro": "și de la în a că nu cu o pe un este din care mai pentru se sunt",
    "hu": "a az és hogy nem is egy meg van de csak már volt ez mint ki",
    "hr": "i je u se na da su za od s ne a koji što kao to iz",
    "id": "yang dan di itu dengan untuk tidak ini dari dalam akan pada juga ke ada",
    "is": "og að í á er það sem við ekki til með um en var hann af",
    "lt": "ir kad tai yra su į iš bet taip jo o buvo kaip ne nuo",
    "ca": "el la els les i de que en un una és per amb no del al es més",
}
_STOP_SETS = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")


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


def _script_language(sample: str) -> str | None:
    counts: Counter[str] = Counter()
    for char in sample:
        point = ord(char)
        if point < 0x0370:
            if char.isalpha():
                counts["latin"] += 1
        elif 0x0370 <= point <= 0x03FF:
            counts["el"] += 1
        elif 0x0400 <= point <= 0x04FF:
            counts["cyrillic"] += 1
        elif 0x0590 <= point <= 0x05FF:
            counts["he"] += 1
        elif 0x0600 <= point <= 0x06FF:
            counts["arabic"] += 1
        elif 0x0900 <= point <= 0x097F:
            counts["hi"] += 1
        elif 0x0980 <= point <= 0x09FF:
            counts["bn"] += 1
        elif 0x0B80 <= point <= 0x0BFF:
            counts["ta"] += 1
        elif 0x0E00 <= point <= 0x0E7F:
            counts["th"] += 1
        elif 0x10A0 <= point <= 0x10FF:
            counts["ka"] += 1
        elif 0x0530 <= point <= 0x058F:
            counts["hy"] += 1
        elif 0x3040 <= point <= 0x30FF:
            counts["kana"] += 1
        elif 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF:
            counts["ko"] += 1
        elif 0x4E00 <= point <= 0x9FFF:
            counts["han"] += 1
        elif char.isalpha():
            counts["latin"] += 1
    if sum(counts.values()) < _MIN_LETTERS:
        return None
    script, _ = counts.most_common(1)[0]
    if script == "han" or script == "kana":
        # Japanese mixes kana into Han text; Chinese has none.
        return "ja" if counts["kana"] > 0.05 * (counts["han"] + counts["kana"]) else "zh"
    if script == "cyrillic":
        return _cyrillic_language(sample)
    if script == "arabic":
        persian = sum(sample.count(c) for c in "پچژگ")
        return "fa" if persian > 0.01 * counts["arabic"] else "ar"
    return None if script == "latin" else script


def _cyrillic_language(sample: str) -> str:
    lowered = sample.lower()
    ukrainian = sum(lowered.count(c) for c in "іїєґ")
    russian = sum(lowered.count(c) for c in "ыэъё")
    if ukrainian > russian:
        return "uk"
    if russian == 0 and lowered.count("ђ") + lowered.count("ћ") + lowered.count("џ") > 0:
        return "sr"
    if russian == 0 and lowered.count("ъ") > 0:
        return "bg"
    return "ru"


def _latin_language(sample: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 5:
        return None
    if sum(1 for c in sample if c in "ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ") > 0.03 * len(sample):
        return "vi"
    scores = Counter({lang: sum(1 for w in words if w in stops) for lang, stops in _STOP_SETS.items()})
    (best, top), *rest = scores.most_common(2)
    if top < 3 or top < 0.05 * len(words):
        return None
    if rest and rest[0][1] == top:
        return None
    return best


def detect_language(text: str) -> str | None:
    """ISO 639-1 code guessed from the first few thousand characters, or None when unsure.

    Cheap by design (microseconds): the script decides for non-Latin writing, stop-word
    counts for Latin; languages it does not know come back as None, never as a wrong guess
    from a large model.
    """
    sample = text[:_SAMPLE_CHARS]
    script = _script_language(sample)
    if script is not None:
        return script
    return _latin_language(sample)
