"""Author names from bylines and metadata: "By", roles, outlets and dates stripped, one name each."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdedup.pipeline.extract.text import tokens

__all__ = ["clean_authors", "is_byline_line"]

_MAX_NAMES = 12
_MAX_NAME_CHARS = 60
_BY = re.compile(
    r"^\s*(?:written\s+|reported\s+|text\s+|story\s+|photos?\s+|words\s+)?"
    r"(?:by|von|vom|par|por|di|door|av|af|от|автор(?:ы)?|автори?|текст|фото)\s*:?\s+",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:authors?|autor(?:in|en)?|auteurs?|autores?|autore|writers?|reporters?)\s*:\s*", re.IGNORECASE)
# Conjunctions are matched lower-case only, so that initials ("Jane E. Doe") stay whole.
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\+|\b(?:and|AND|And|und|y|et|e|og|och|en|i|и|та|і)\b)\s*"
)
# Words that make a fragment a job title or a desk rather than a person.
_ROLE_WORDS = frozenset(
    ["staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors", "columnist", "contributor", "contributors", "contributing", "senior", "chief", "political", "business", "sports", "news", "desk", "team", "staff", "bureau", "agency", "agencies", "associated", "press", "wire", "wires", "freelance", "journalist", "journalists", "analyst", "producer", "producers", "photographer", "photographers", "photo", "photos", "video", "graphics", "illustration", "illustrations", "updated", "published", "correspondence", "redaktion", "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autor", "autorin", "online", "nachrichtenagentur", "agentur", "rédaction", "rédacteur", "journaliste", "correspondant", "envoyé", "spécial", "redacción", "redactor", "corresponsal", "periodista", "agencia", "редакция", "корреспондент", "редакція", "кореспондент"]
)
# A credit ending in one of these names a newsroom, not a person ("Steppe Wire staff",
# "MENA Feed markets desk", "Harbour Herald reporters").
_DESK_WORDS = frozenset(
    ["staff", "desk", "team", "newsroom", "redaktion", "bureau", "reporters", "correspondents",
     "editors", "service", "agency", "rédaction", "redacción", "редакция", "редакція"]
)
# Wire services and similar credits that name no person.
_OUTLETS = frozenset(
    ["reuters", "ap", "afp", "dpa", "epa", "apa", "sda", "ansa", "efe", "tass", "ria", "interfax", "ukrinform", "pa", "upi", "kyodo", "xinhua", "bloomberg", "ddp", "kna", "epd", "reuters.com", "associated", "press", "agence", "france-presse", "unian", "rbc", "cnn", "bbc"]
)
_DATE_TAIL = re.compile(
    r"\s+(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"updated\b|published\b|\d+\s+min).*$",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_URLISH = re.compile(r"^(?:https?://|www\.)|@\w|\.(?:com|org|net|de|uk)\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def _looks_like_name(fragment: str, outlets: set[str]) -> bool:
    if not fragment or len(fragment) > _MAX_NAME_CHARS or _URLISH.search(fragment):
        return False
    lowered = fragment.lower().strip(". ")
    if lowered in outlets or lowered in _OUTLETS:
        return False
    words = lowered.replace("-", " ").split()
    if not words or len(words) > 5 or not _LETTER.search(fragment) or any(c.isdigit() for c in fragment):
        return False
    if all(word.strip(".") in _ROLE_WORDS or word in _OUTLETS for word in words):
        return False
    # A person's name has at least one capitalised word (scripts without case pass).
    return any(w[:1].isupper() or not w[:1].isalpha() or w[:1].lower() == w[:1].upper() for w in fragment.split())


def _strip_by(text: str) -> str:
    match = _BY.match(text)
    if not match:
        return text
    rest = text[match.end():]
    # "Di Maio" is a surname, "Di Mario Rossi" a byline: a particle needs two words after it.
    if match.group(0).strip().lower() == "di" and len(rest.split()) < 2:
        return text
    return rest


def _is_desk(fragment: str) -> bool:
    words = fragment.lower().split()
    return len(words) >= 2 and words[-1] in _DESK_WORDS


def _strip_roles(fragment: str) -> str:
    # "Jane Doe, Senior Political Correspondent" arrives split; "Jane Doe Staff Writer" does not.
    words = fragment.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _ROLE_WORDS:
        words.pop()
    while len(words) > 1 and words[0].lower().strip(".,") in _ROLE_WORDS:
        words.pop(0)
    return " ".join(words)


def clean_authors(raw_values: Iterable[str], outlets: Iterable[str] = ()) -> tuple[str, ...]:
    """Person names from raw byline strings, in order, without duplicates.

    ``outlets`` are names that are never authors (the publisher, the site name, the source).
    "By Jane Doe and John Roe, Reuters" gives ("Jane Doe", "John Roe").
    """
    outlet_names = {o.strip().lower() for o in outlets if o and o.strip()}
    names: dict[str, str] = {}
    for raw in raw_values:
        if not raw:
            continue
        text = " ".join(raw.split())
        text = _LABEL.sub("", text)
        text = _strip_by(text)
        text = _PARENS.sub("", text)
        text = _DATE_TAIL.sub("", text)
        for piece in _SPLIT.split(text):
            candidate = _strip_by(piece).strip(" .:-–—·•")
            if _is_desk(candidate):
                continue
            candidate = _strip_roles(candidate)
            if _looks_like_name(candidate, outlet_names):
                names.setdefault(candidate.lower(), candidate)
            if len(names) >= _MAX_NAMES:
                break
    return tuple(names.values())


# A dash before the name signs a letter or a column off: the writer's words, kept.
_SIGNATURE = re.compile(r"^\s*[-–—]")


def _name_key(text: str) -> str:
    return " ".join(tokens(text))


def is_byline_line(text: str, authors: Iterable[str]) -> bool:
    """Whether ``text`` says nothing but who wrote the article: the authors' names, maybe
    after "By" or a label ("Daniel Example", "By Ann Example and Bo Example")."""
    names = {_name_key(author) for author in authors} - {""}
    if not names or _SIGNATURE.match(text):
        return False
    stripped = _strip_by(_LABEL.sub("", text, count=1))
    parts = [_name_key(part) for part in _SPLIT.split(stripped)]
    parts = [part for part in parts if part]
    return bool(parts) and all(part in names for part in parts)
