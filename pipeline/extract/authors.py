"""Author names from bylines and metadata: "By", roles, outlets and dates stripped, one name each."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdedup.pipeline.extract.text import tokens

__all__ = ["byline_piece", "clean_authors", "is_by_word", "is_byline_line", "is_label", "name_shaped", "read_credits", "title_cased"]

_MAX_NAMES = 12
_MAX_NAME_CHARS = 60
_BY_WORD = (
    r"^\s*(?:written\s+|reported\s+|text\s+|story\s+|photos?\s+|words\s+)?"
    r"(?:by|von|vom|par|por|di|door|av|af|от|автор(?:ы)?|автори?|текст|фото|بقلم|به قلم|מאת)\s*:?"
)
_BY = re.compile(_BY_WORD + r"\s+", re.IGNORECASE)
# A by-word with no name after it ("By", "Written by:"): a label, never a name.
_BY_ALONE = re.compile(_BY_WORD + r"\s*$", re.IGNORECASE)
_LABEL_WORD = (
    r"^\s*(?:authors?|autor(?:in|en)?|auteurs?|autores?|autore|writers?|reporters?|"
    r"作者|记者|記者|撰文|الكاتب|الكاتبة|نویسنده|تحریر|כותב|כתב|लेखक|लेखिका|লেখক)\s*"
)
_LABEL = re.compile(_LABEL_WORD + r"[:：]\s*", re.IGNORECASE)
# A label with nothing after it ("Author", "Autor:").
_LABEL_ALONE = re.compile(_LABEL_WORD + r"[:：]?\s*$", re.IGNORECASE)
# Hindi and Bengali "and" (a word of its own between names).
_INDIC_AND = "और|ও|এবং"
# Conjunctions are matched lower-case only, so that initials ("Jane E. Doe") stay whole.
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\+|、|·|\b(?:and|AND|And|und|y|et|e|og|och|en|i|и|та|і|a|ve|dan|ja|és|și|şi|και)\b|"
    # Hindi and Bengali "and", between blanks: a vowel sign after a letter is not a word
    # character, so "\b" would cut "औरंगज़ेब" after its "और".
    rf"(?<=\s)(?:{_INDIC_AND})(?=\s))\s*"
)
# Words that make a fragment a job title or a desk rather than a person.
_ROLE_WORDS = frozenset(
    ["staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors", "columnist", "contributor", "contributors", "contributing", "senior", "chief", "political", "business", "sports", "news", "desk", "team", "staff", "bureau", "agency", "agencies", "associated", "press", "wire", "wires", "freelance", "journalist", "journalists", "analyst", "producer", "producers", "photographer", "photographers", "photo", "photos", "video", "graphics", "illustration", "illustrations", "updated", "published", "founder", "co-founder", "cofounder", "ceo", "cto", "president", "director", "manager", "consultant", "coordinator", "expert", "specialist", "head", "lead", "architect", "engineer", "marketing", "content", "former", "deputy", "assistant", "associate", "executive", "correspondence", "redaktion", "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autor", "autorin", "online", "nachrichtenagentur", "agentur", "rédaction", "rédacteur", "journaliste", "correspondant", "envoyé", "spécial", "redacción", "redactor", "corresponsal", "periodista", "agencia", "редакция", "корреспондент", "редакція", "кореспондент",
     # Italian, Portuguese, Dutch, Polish, Czech, Turkish, Korean
     "giornalista", "redazione", "inviato", "inviata", "corrispondente", "jornalista", "repórter", "redação",
     "correspondente", "verslaggever", "redacteur", "dziennikarz", "dziennikarka", "redaktor", "korespondent",
     "redakce", "novinář", "muhabir", "muhabiri", "editörü", "기자", "특파원", "संवाददाता", "প্রতিবেদক"]
)
# A credit ending in one of these names a newsroom, not a person ("Steppe Wire staff",
# "MENA Feed markets desk", "Harbour Herald reporters").
_DESK_WORDS = frozenset(
    ["staff", "desk", "team", "newsroom", "redaktion", "bureau", "reporters", "correspondents",
     "editors", "service", "agency", "rédaction", "redacción", "редакция", "редакція", "redazione", "redação",
     "redactie", "redakcja", "redakce", "merkezi", "ब्यूरो", "डेस्क", "ডেস্ক"]
)
# Hindi and Bengali write a job after the name ("अनीता उदाहरण संवाददाता", correspondent)
# and a desk the same way with the paper's or the city's name ("जागरण संवाददाता",
# "নিজস্ব প্রতিবেদক": staff reporter): two words are a desk, more a person and a job.
_DESK_WHEN_TWO = frozenset(["संवाददाता", "প্রতিবেদক"])
# ... or opening with one of these ("Redaktion Beispiel", "Redazione Esempio": the
# newsroom of a paper, named after it).
_NEWSROOM_FIRST = frozenset(
    ["redaktion", "redazione", "rédaction", "redacción", "redação", "redactie", "redakcja", "redakce",
     "редакция", "редакція"]
)
# What the links, buttons and labels around a byline say ("Full bio", "View profile",
# "Cancel"), and the accounts a forum or CMS shows instead of a person ("Former member").
_INTERFACE_WORDS = frozenset(
    ["full", "bio", "profile", "view", "more", "all", "posts", "articles", "follow", "share", "contact", "email",
     "read", "about", "the", "author", "authors", "home", "privacy", "name", "website", "comment", "reply", "says",
     "cancel", "close", "submit", "login", "log", "in", "sign", "subscribe", "menu", "search", "member", "former",
     "guest", "anonymous", "user", "admin", "administrator", "unknown"]
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
    if all(word.strip(".") in _ROLE_WORDS or word in _OUTLETS or word in _INTERFACE_WORDS for word in words):
        return False
    # A person's name has at least one capitalised word (scripts without case pass).
    return any(w[:1].isupper() or not w[:1].isalpha() or _caseless(w) for w in fragment.split())


def _strip_by(text: str) -> str:
    match = _BY.match(text)
    if not match:
        return text
    rest = text[match.end():]
    # "Di Maio" is a surname, "Di Mario Rossi" a byline: a particle needs two words after it.
    if match.group(0).strip().lower() == "di" and len(rest.split()) < 2:
        return text
    return rest


# A date line's parts: "Published 3 May 2026 · By Jane Doe | 4 min read".
_LINE_PARTS = re.compile(r"\s+[·•|]\s+|\s+[-–—]\s+")
# Words a name may hold in lower case: particles ("van der Berg", "bin Salman") and the
# conjunctions between two names.
_LOWER_NAME_WORDS = frozenset(
    ["van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin", "al", "el", "ten", "ter",
     "y", "e", "and", "und", "et", "og", "och", "en", "i", "и", "та", "і"]
)
_MAX_LINE_NAME_CHARS = 80
# Korean bylines name the reporter first, the job after ("홍길동 기자", "[서울=뉴스] 홍길동
# 기자 = ", "홍길동·김철수 기자 hong@news.example"): a name of two to four syllables each.
_KOREAN_REPORTER = re.compile(
    r"^\s*(?:\[[^\]]{1,30}\]\s*)?(?P<name>[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4}){0,3})\s*(?:특파원|기자)(?:\s|=|$)"
)
# Hindi puts "by" after the name ("रमेश शर्मा द्वारा", "... द्वारा लिखित": written by), and
# Bengali too ("... দ্বারা"): names of two or three words each, of their letters and marks.
_INDIC_NAME_WORD = "[\u0900-\u0963\u0971-\u097f\u0980-\u09e3\u09f0-\u09f1]+"
_INDIC_NAME = rf"{_INDIC_NAME_WORD}(?:\s+{_INDIC_NAME_WORD}){{1,2}}"
_INDIC_NAMES = re.compile(rf"^\s*{_INDIC_NAME}(?:\s*(?:,|{_INDIC_AND})\s*{_INDIC_NAME})*\s*$")
_POSTPOSITION = re.compile(r"\s+(?:द्वारा(?:\s+लिखित)?|দ্বারা(?:\s+লিখিত)?)\s*$")
# Words of a clause or of a body's name, not of a person's: "यह योजना सरकार द्वारा" (this
# plan, by the government), "केंद्रीय चुनाव आयोग द्वारा" (by the Election Commission).
_INDIC_NOT_NAME_WORDS = frozenset(
    ["यह", "इस", "वह", "उस", "ये", "वे", "इन", "उन", "को", "की", "के", "का", "में", "से", "ने", "पर", "है", "हैं",
     "था", "थी", "एक", "सरकार", "आयोग", "बैंक", "पुलिस", "मंत्रालय", "विभाग", "निगम", "समिति", "न्यायालय", "अदालत",
     "संस्थान", "विश्वविद्यालय", "कंपनी", "बोर्ड", "परिषद", "प्राधिकरण", "पार्टी", "सेना", "संगठन",
     "এই", "ওই", "সেই", "এর", "কে", "থেকে", "একটি", "সরকার", "কমিশন", "ব্যাংক", "পুলিশ", "মন্ত্রণালয়", "বিভাগ",
     "কমিটি", "আদালত", "বোর্ড", "পরিষদ", "বিশ্ববিদ্যালয়", "কোম্পানি", "দল", "বাহিনী"]
)
_INDIC_LETTER = re.compile("[\u0900-\u09ff]")


def _indic_names(text: str) -> bool:
    """Whether ``text``, in Devanagari or Bengali, is one name or more of two or three
    words each, with no word of a clause or of an institution."""
    return bool(_INDIC_NAMES.match(text)) and not _INDIC_NOT_NAME_WORDS.intersection(text.split())
# In a script without capitals a sentence passes the capital test: a byline there is a
# name or two, this many words at most.
_MAX_CASELESS_NAME_WORDS = 6


def is_by_word(text: str) -> bool:
    """Whether ``text`` is a by-word and nothing more ("By", "Written by:", "Von")."""
    return bool(_BY_ALONE.match(text))


def is_label(text: str) -> bool:
    """Whether ``text`` is a by-word or an author label and nothing more ("Author:")."""
    return is_by_word(text) or bool(_LABEL_ALONE.match(text))


def name_shaped(text: str) -> bool:
    """Whether ``text``, less a leading by-word, could be nothing but names: every word
    capitalised (or a particle or conjunction), no digit, something left."""
    match = _BY.match(text)
    rest = text[match.end():] if match else text
    words = [w for w in _SPLIT.sub(" , ", rest).split() if w != ","]
    caseless = [_caseless(w) for w in words]
    return bool(words) and not any(c.isdigit() for c in rest) and all(
        w[:1].isupper() or w in _LOWER_NAME_WORDS or plain for w, plain in zip(words, caseless, strict=True)
    ) and (len(words) <= _MAX_CASELESS_NAME_WORDS or not all(caseless))


def _caseless(word: str) -> bool:
    """Whether ``word`` is written in a script without capitals (Arabic, Hebrew, Chinese...),
    where a name cannot be told by its capital."""
    return word[:1].isalpha() and word[:1].lower() == word[:1].upper()


def byline_piece(text: str) -> str | None:
    """The part of a short line that credits people and says nothing else ("By Jane Doe
    and John Roe", "Author: Jane Doe"; "Published 3 May 2026 · By Jane Doe" gives "By
    Jane Doe"), or None. Every word after the by-word or the label must be capitalised or
    a particle or conjunction, so that a sentence opening with "by" is not read as a
    byline."""
    for part in _LINE_PARTS.split(text):
        if len(part) > _MAX_LINE_NAME_CHARS:
            continue
        if _BY.match(part) and name_shaped(part):
            return part
        if (label := _LABEL.match(part)) and _label_names(part[label.end():]):
            return part
        if reporter := _KOREAN_REPORTER.match(part):
            return reporter.group("name")
        if (postposed := _POSTPOSITION.search(part)) and _indic_names(names := part[: postposed.start()]):
            return names.strip()
    return None


def _label_names(rest: str) -> bool:
    """Whether what follows an author label names people ("Author: Ann Example"); in
    Devanagari or Bengali, where a kicker passes the capital test, names as
    ``_indic_names`` reads them."""
    return name_shaped(rest) and (not _INDIC_LETTER.search(rest) or _indic_names(rest))


def title_cased(name: str) -> str:
    """A name written all in lower case by a CMS ("jane doe") as a person writes it; other
    names unchanged. Only two to four words of letters are touched."""
    words = name.split()
    if 2 <= len(words) <= 4 and name == name.lower() and all(w.isalpha() for w in words):
        return " ".join(w if w in _LOWER_NAME_WORDS else w[:1].upper() + w[1:] for w in words)
    return name


def _is_desk(fragment: str) -> bool:
    words = fragment.lower().split()
    return len(words) >= 2 and (
        words[-1] in _DESK_WORDS or words[0] in _NEWSROOM_FIRST or (len(words) == 2 and words[-1] in _DESK_WHEN_TWO)
    )


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
    return read_credits(raw_values, outlets)[0]


def read_credits(raw_values: Iterable[str], outlets: Iterable[str] = ()) -> tuple[tuple[str, ...], bool]:
    """``clean_authors``'s names, and whether the strings credit a newsroom or an outlet
    ("Staff", "Metro desk", the site's own name, a wire): an answer that names no person,
    unlike a label or a button's text."""
    outlet_names = {o.strip().lower() for o in outlets if o and o.strip()}
    names: dict[str, str] = {}
    newsroom = False
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
            if _BY_ALONE.match(candidate):
                continue
            if _is_desk(candidate) or _is_outlet(candidate, outlet_names):
                newsroom = True
                continue
            candidate = _strip_roles(candidate)
            if _looks_like_name(candidate, outlet_names):
                names.setdefault(candidate.lower(), candidate)
            if len(names) >= _MAX_NAMES:
                break
    return tuple(names.values()), newsroom


def _is_outlet(fragment: str, outlet_names: set[str]) -> bool:
    lowered = fragment.lower().strip(". ")
    words = lowered.replace("-", " ").split()
    return bool(words) and (
        lowered in outlet_names or lowered in _OUTLETS or all(w.strip(".") in _ROLE_WORDS or w in _OUTLETS for w in words)
    )


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
    stripped = _POSTPOSITION.sub("", _strip_by(_LABEL.sub("", text, count=1)))
    parts = [_name_key(part) for part in _SPLIT.split(stripped)]
    parts = [part for part in parts if part]
    return bool(parts) and all(part in names for part in parts)
