"""A measured model of "this page is not an article": a vector of general page signals
and a small ensemble of regression trees learned on the tuning part of the dev sets.

``page_vector`` turns the signals of a page (``page_signals``, ``page_layout``) and its
extracted body into named numbers; ``PageModel`` scores them with the trees stored in
``page_model.json`` (written by ``bench/train_page_kind.py``, which documents the split,
the cost and the threshold, and prints tuning and validation figures). The score is a
log-odds; each tree's step is credited to the signal it split on, so a rejection can say
which signals weighed most.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from newsdedup.pipeline.extract.jsonld import ARTICLE_TYPES, NOT_ARTICLE_TYPES
from newsdedup.pipeline.extract.page_signals import PageSignals
from newsdedup.pipeline.extract.page_words import TEXT_CLASSES
from newsdedup.pipeline.extract.text import PROSE_WORDS, SENTENCE_END, length_in_words

__all__ = ["BodyFacts", "PageModel", "Verdict", "load_page_model", "page_vector"]

_TRAILING_ID = re.compile(r"\d{3,}")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)
# General words of the web's URL vocabulary, by the kind of page they name.
_URL_WORDS = {
    "url_docs": re.compile(r"(?:^|[/._-])(?:docs?|documentation|api|reference|manual|wiki|guide|handbook|learn|"
                           r"tutorials?|sdk|developers?)(?:$|[/._-])", re.IGNORECASE),
    "url_forum": re.compile(r"(?:^|[/._-])(?:forums?|threads?|topics?|questions?|community|discuss|discussions?|"
                            r"t|answers|board|boards|viewtopic|showthread)(?:$|[/._-])", re.IGNORECASE),
    "url_shop": re.compile(r"(?:^|[/._-])(?:products?|shop|store|p|item|items|buy|catalog|dp|collections?|"
                           r"cart)(?:$|[/._-])", re.IGNORECASE),
    "url_service": re.compile(r"(?:^|[/._-])(?:pricing|plans?|features?|services?|solutions?|about|contact|"
                              r"platform|enterprise|pricing|demo|signup|careers)(?:$|[/._-])", re.IGNORECASE),
    "url_news": re.compile(r"(?:^|[/._-])(?:news|blog|article|articles|story|stories|post|posts|opinion|"
                           r"politics|sport|sports|world|business)(?:$|[/._-])", re.IGNORECASE),
}
_LD_GROUPS = {
    "ld_article": ARTICLE_TYPES,
    "ld_collection": NOT_ARTICLE_TYPES,
    "ld_product": frozenset({"product", "offer", "aggregateoffer", "productgroup", "individualproduct",
                             "aggregaterating", "review"}),
    "ld_forum": frozenset({"qapage", "question", "answer", "discussionforumposting", "comment"}),
    "ld_webpage": frozenset({"webpage", "website"}),
    "ld_faq": frozenset({"faqpage"}),
    "ld_software": frozenset({"softwareapplication", "webapplication", "mobileapplication", "softwaresourcecode"}),
    "ld_org": frozenset({"organization", "localbusiness", "service", "corporation", "professionalservice"}),
    "ld_howto": frozenset({"howto", "course", "recipe", "event", "jobposting"}),
    "ld_breadcrumb": frozenset({"breadcrumblist"}),
    "ld_person": frozenset({"person"}),
    "ld_video": frozenset({"videoobject"}),
}
_OG_GROUPS = ("article", "product", "website")


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What the body extractor found, and what the older listing rules measured on it."""

    paragraphs: Sequence[str]
    link_word_share: float
    headline_paragraphs: int
    #: Each paragraph's kind as the body extractor found it (heading, item, text, lead).
    kinds: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's score (log-odds of "not an article") and the signals that weighed most.

    ``threshold``: the score from which the model rejects a page on its own; ``veto``:
    the score below which it overrules a page-type rule (the page reads as an article)."""

    score: float
    threshold: float
    veto: float
    reasons: tuple[tuple[str, float], ...]

    @property
    def rejects(self) -> bool:
        return self.score >= self.threshold

    @property
    def confirms(self) -> bool:
        """Whether a page-type rule that fired is let stand."""
        return self.score >= self.veto

    def detail(self) -> str:
        why = ", ".join(f"{name} {value}" for name, value in self.reasons) or "no single signal"
        return f"page-kind model: not an article (score {self.score:.2f} >= {self.threshold:.2f}; {why})"

    def agreement(self) -> str:
        why = ", ".join(f"{name} {value}" for name, value in self.reasons) or "no single signal"
        return f"page-kind model agrees: score {self.score:.2f} >= {self.veto:.2f}; {why}"


def _log(value: float) -> float:
    return math.log1p(max(value, 0.0))


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def _url_features(url: str) -> dict[str, float]:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    features = {
        "url_depth": float(len(segments)),
        "url_ends_slash": float(path.endswith("/") and bool(segments)),
        "url_root": float(not segments),
        "url_query": float(bool(parts.query)),
        "url_trailing_id": float(bool(_TRAILING_ID.search(last))),
        "url_extension": float(bool(_EXTENSION.search(last))),
        "url_last_chars": _log(len(last)),
    }
    lowered = path.lower()
    for name, pattern in _URL_WORDS.items():
        features[name] = float(bool(pattern.search(lowered)))
    return features


def _meta_features(signals: PageSignals) -> dict[str, float]:
    types = signals.ld_types
    features = {name: float(bool(types & group)) for name, group in _LD_GROUPS.items()}
    features["ld_none"] = float(not types)
    og = (signals.og_type or "").lower()
    for group in _OG_GROUPS:
        features[f"og_{group}"] = float(og.startswith(group))
    features["og_none"] = float(not og)
    features.update({
        "declared_article": float(signals.declared_article),
        "has_date": float(signals.has_date),
        "strong_date": float(signals.strong_date),
        "has_author": float(signals.has_author),
        "has_modified": float(signals.has_modified),
        "paginated": float(signals.paginated),
        "date_in_path": float(signals.date_in_path),
        "slug_words": float(min(signals.slug_words, 15)),
    })
    return features


def _signal_counts(signals: PageSignals) -> dict[str, float]:
    return {
        "cards": _log(signals.cards),
        "card_sentences": _log(signals.card_sentences),
        "card_words": _log(signals.card_words),
        "prices": _log(signals.prices),
        "times": _log(signals.times),
        "forum_boxes": _log(signals.forum_boxes),
        "code_blocks": _log(signals.code_blocks),
    }


def _layout_features(signals: PageSignals) -> dict[str, float]:
    layout = signals.layout
    features = {f"page_{name}": _log(value) for name, value in layout.as_dict().items()}
    content = layout.chars - layout.chrome_chars
    features.update({
        "page_link_share": _share(layout.link_chars, layout.chars),
        "content_link_share": _share(layout.content_link_chars, content),
        "chrome_share": _share(layout.chrome_chars, layout.chars),
        "table_share": _share(layout.table_chars, layout.chars),
        "heading_share": _share(layout.heading_chars, layout.chars),
        "linked_heading_share": _share(layout.linked_headings, layout.headings),
        "prose_paragraph_share": _share(layout.prose_paragraphs, layout.paragraphs),
        "sentence_paragraph_share": _share(layout.sentence_paragraphs, layout.paragraphs),
        "mean_paragraph_words": _log(_share(layout.paragraph_words, layout.paragraphs)),
        "linked_item_share": _share(layout.linked_items, layout.list_items),
        "headline_anchors_per_prose": _share(layout.headline_anchors, layout.prose_paragraphs + 1),
        "headings_per_prose": _share(layout.headings, layout.prose_paragraphs + 1),
    })
    return features


def _body_features(signals: PageSignals, body: BodyFacts) -> dict[str, float]:
    paragraphs = body.paragraphs
    counts = [length_in_words(p) for p in paragraphs]
    words = sum(counts)
    prose = [p for p, n in zip(paragraphs, counts, strict=True) if n >= PROSE_WORDS]
    own = sum(1 for p in prose if not any(p in card for card in signals.card_texts))
    chars = sum(len(p) for p in paragraphs)
    return {
        "body_paragraphs": _log(len(paragraphs)),
        "body_words": _log(words),
        "body_prose": _log(len(prose)),
        "body_own_prose": _log(own),
        "body_prose_share": _share(len(prose), len(paragraphs)),
        "body_sentence_share": _share(sum(1 for p in paragraphs if SENTENCE_END.search(p)), len(paragraphs)),
        "body_mean_words": _log(_share(words, len(paragraphs))),
        "body_longest_words": _log(max(counts, default=0)),
        "body_link_share": body.link_word_share,
        "body_page_share": min(_share(chars, signals.layout.chars - signals.layout.chrome_chars), 2.0),
        "body_headline_share": _share(body.headline_paragraphs, len(paragraphs)),
    }


_YOU = re.compile(r"(?<!\w)(?:you|your|yours|du|dich|dir|dein\w*|vous|votre|vos|tu|tú|usted|voi|vostr\w|jij|jouw|uw|"
                  r"ты|вы|ваш\w*|あなた|你|您)(?!\w)")
_WE = re.compile(r"(?<!\w)(?:we|our|ours|us|wir|uns|unser\w*|nous|notre|nos|nosotros|nuestr\w+|noi|nostr\w|wij|ons|"
                 r"onze|мы|наш\w*|我们|私たち)(?!\w)")
_I = re.compile(r"(?<!\w)(?:i|my|me|mine|ich|mein\w*|mich|mir|je|j|mon|ma|mes|yo|io|ik|mijn|я|мой|我)(?!\w)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|\$|£|usd|eur|gbp)(?!\w)", re.IGNORECASE)
_CODE = re.compile(r"[{}();=<>\[\]_]")
_SHORT_WORDS = 8
_CODE_SHARE = 0.06


def _shape_features(body: BodyFacts) -> dict[str, float]:
    """The shape of the extracted body: headings, list items, questions, pronouns, numbers."""
    paragraphs = body.paragraphs
    text = " ".join(paragraphs)
    # The pronoun patterns are lower-case: one lowering is cheaper than matching each
    # pattern case-blind.
    lowered = text.lower()
    words = max(length_in_words(text), 1)
    kinds = list(body.kinds) or ["text"] * len(paragraphs)
    counts = sorted(length_in_words(p) for p in paragraphs)
    per_100 = 100.0 / words
    return {
        "shape_heading_share": _share(kinds.count("heading"), len(kinds)),
        "shape_item_share": _share(kinds.count("item"), len(kinds)),
        "shape_question_share": _share(sum(1 for p in paragraphs if p.rstrip().endswith("?")), len(paragraphs)),
        "shape_code_share": _share(sum(1 for p in paragraphs if len(_CODE.findall(p)) > _CODE_SHARE * len(p)),
                                   len(paragraphs)),
        "shape_short_share": _share(sum(1 for n in counts if n < _SHORT_WORDS), len(counts)),
        "shape_median_words": _log(counts[len(counts) // 2] if counts else 0),
        "shape_you": len(_YOU.findall(lowered)) * per_100,
        "shape_we": len(_WE.findall(lowered)) * per_100,
        "shape_i": len(_I.findall(lowered)) * per_100,
        "shape_numbers": len(_NUMBER.findall(text)) * per_100,
        "shape_prices": len(_PRICE.findall(text)) * per_100,
    }


def _word_features(signals: PageSignals) -> dict[str, float]:
    """The interface phrases of each class in the page's visible text, per 1,000 words."""
    found = signals.words
    per_1000 = 1000.0 / max(found.words, 1)
    return {f"text_{name}": found.phrases.get(name, 0) * per_1000 for name in TEXT_CLASSES}


def page_vector(signals: PageSignals, body: BodyFacts, rules: Iterable[str] = ()) -> dict[str, float]:
    """The named signals the model reads: counts as log(1 + n), shares in [0, 1], flags 0/1.
    ``rules``: the names of the page-type rules that call the page no article."""
    vector = {f"rule_{name}": 1.0 for name in rules}
    vector.update(_url_features(signals.url))
    vector.update(_meta_features(signals))
    vector.update(_signal_counts(signals))
    vector.update(_layout_features(signals))
    vector.update(_body_features(signals, body))
    vector.update(_shape_features(body))
    vector.update(_word_features(signals))
    return vector


@dataclass(frozen=True, slots=True)
class _Tree:
    """A regression tree in arrays: node i splits on ``feature[i]`` at ``threshold[i]``
    (left when value <= threshold) unless ``feature[i]`` is -1 (a leaf); ``value[i]`` is the
    node's mean step (leaves: the step taken)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def walk(self, row: Sequence[float], credit: list[float]) -> float:
        node = 0
        while (index := self.feature[node]) >= 0:
            child = self.left[node] if row[index] <= self.threshold[node] else self.right[node]
            credit[index] += self.value[child] - self.value[node]
            node = child
        return self.value[node]


class PageModel:
    """The trees, their learning rate and base score, and the rejection threshold."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.features: tuple[str, ...] = tuple(data["features"])
        self.base = float(data["base"])
        self.rate = float(data["rate"])
        self.threshold = float(data["threshold"])
        self.veto = float(data["veto"])
        self.trees = tuple(
            _Tree(tuple(t["feature"]), tuple(t["threshold"]), tuple(t["left"]), tuple(t["right"]), tuple(t["value"]))
            for t in data["trees"]
        )

    def judge(self, vector: Mapping[str, float], top: int = 3) -> Verdict:
        """The score of ``vector`` (missing names read as 0) and the ``top`` signals that
        pushed it most towards "not an article", with their values."""
        row = [float(vector.get(name, 0.0)) for name in self.features]
        credit = [0.0] * len(row)
        score = self.base
        for tree in self.trees:
            score += self.rate * tree.walk(row, credit)
        order = sorted(range(len(row)), key=lambda i: credit[i], reverse=True)[:top]
        reasons = tuple((self.features[i], round(row[i], 2)) for i in order if credit[i] > 0)
        return Verdict(score, self.threshold, self.veto, reasons)


def load_page_model() -> PageModel:
    """The model shipped with the package (``page_model.json``)."""
    text = resources.files("newsdedup.pipeline.extract").joinpath("page_model.json").read_text(encoding="utf-8")
    return PageModel(json.loads(text))
