"""Token 4-gram precision/recall/F1 of extracted text against gold, as extraction-dev defines them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["PageScore", "Summary", "score_page", "shingles", "summarize"]

_TOKEN = re.compile(r"\w+")
_N = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of token 4-grams of ``text``; a text of 1-3 tokens is one shingle."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < _N:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + _N]) for i in range(len(tokens) - _N + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's score. ``precision`` is None when the prediction is empty."""

    precision: float | None
    recall: float
    f1: float


def score_page(predicted: str | None, gold: str) -> PageScore:
    """Score one prediction; an empty or missing prediction has recall 0 and no precision."""
    pred = shingles(predicted or "")
    ref = shingles(gold)
    if not pred:
        return PageScore(None, 0.0, 0.0)
    overlap = sum((pred & ref).values())
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values()) if ref else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PageScore(precision, recall, f1)


@dataclass(frozen=True, slots=True)
class Summary:
    """Means over pages. ``f1`` is the harmonic mean of mean precision and mean recall."""

    pages: int
    precision: float
    recall: float
    f1: float
    mean_page_f1: float
    share_f1_90: float


def summarize(scores: Sequence[PageScore] | Iterable[PageScore]) -> Summary:
    """Aggregate page scores; pages with no prediction count in recall only."""
    items = list(scores)
    if not items:
        return Summary(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    precisions = [s.precision for s in items if s.precision is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(s.recall for s in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Summary(
        pages=len(items),
        precision=precision,
        recall=recall,
        f1=f1,
        mean_page_f1=sum(s.f1 for s in items) / len(items),
        share_f1_90=sum(1 for s in items if s.f1 >= 0.9) / len(items),
    )
