"""Where to put the same-story thresholds of ``newsdedup.pipeline.identity``: similarity of edits
of one story against similarity of different stories.

Usage:
    python bench/same_story.py [--stories N]

Stories come from the fixture web's text generator (``generate_story``, N seeds). An
edit of a story is what a newsroom does to a published article: a paragraph added at
the end, one rewritten, the last ones cut, a standfirst added, half the body replaced
by new paragraphs (a heavy rewrite of breaking news). Different stories are pairs of
different seeds (the generator writes several stories on one topic, so pairs share
names and phrasing, as an outlet's stories of one week do). Prints, for each kind of
pair, the body MinHash similarity (min/percentiles/max) and the title word Jaccard, and
how many pairs the shipped thresholds call the same story.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from newsdedup.core.records import Article
from newsdedup.pipeline.identity import (
    TEXT_THRESHOLD,
    TITLE_TEXT_FLOOR,
    TITLE_THRESHOLD,
    SameStoryCheck,
    Similarity,
)
from newsdedup.storage.articles import StoredStory

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb
from newsweb.content.textgen import generate_story

Edit = Callable[[list[str], random.Random, list[str]], list[str]]


def _add(body: list[str], rng: random.Random, other: list[str]) -> list[str]:
    return [*body, other[0]]


def _rewrite_one(body: list[str], rng: random.Random, other: list[str]) -> list[str]:
    out = list(body)
    out[rng.randrange(len(out))] = other[0]
    return out


def _cut(body: list[str], rng: random.Random, other: list[str]) -> list[str]:
    return body[: max(1, len(body) - 2)]


def _half(body: list[str], rng: random.Random, other: list[str]) -> list[str]:
    keep = len(body) // 2
    return body[:keep] + other[: len(body) - keep]


def _correct(body: list[str], rng: random.Random, other: list[str]) -> list[str]:
    return [paragraph.replace(" the ", " a ", 1) for paragraph in body]


EDITS: dict[str, Edit] = {
    "paragraph added": _add,
    "one rewritten": _rewrite_one,
    "last two cut": _cut,
    "words corrected": _correct,
    "half replaced": _half,
}


def _article(title: str, paragraphs: list[str]) -> Article:
    return Article(source="bench", url="https://bench.example/a", canonical_url="https://bench.example/a",
                   title=title, paragraphs=tuple(paragraphs))


def _summary(values: list[float]) -> str:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return (f"min {ordered[0]:.2f}  p05 {pick(0.05):.2f}  median {statistics.median(ordered):.2f}"
            f"  p95 {pick(0.95):.2f}  max {ordered[-1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    check = SameStoryCheck()
    stories = [generate_story(seed) for seed in range(1, args.stories + 1)]
    pairs: dict[str, list[Similarity]] = {name: [] for name in EDITS}
    pairs["different story"] = []
    for index, story in enumerate(stories):
        other = stories[(index + 1) % len(stories)]
        body = [p.removeprefix("## ") for p in story.paragraphs]
        other_body = [p.removeprefix("## ") for p in other.paragraphs]
        stored = StoredStory(index, "https://bench.example/a", story.title, None, "\n\n".join(body))
        for name, edit in EDITS.items():
            edited = edit(body, rng, other_body)
            title = story.title if name != "half replaced" else other.title
            pairs[name].append(check.similarity(stored, _article(title, edited)))
        for _ in range(3):
            different = stories[rng.randrange(len(stories))]
            if different is story:
                continue
            paragraphs = [p.removeprefix("## ") for p in different.paragraphs]
            pairs["different story"].append(
                check.similarity(stored, _article(different.title, paragraphs)))
    print(f"thresholds: body >= {TEXT_THRESHOLD}, or title or lead >= {TITLE_THRESHOLD}"
          f" with body >= {TITLE_TEXT_FLOOR}")
    print(f"{'pair':<18} {'n':>5}  body MinHash similarity{'':<36} same-story verdicts")
    for name, values in pairs.items():
        same = sum(1 for value in values if value.same_story())
        print(f"{name:<18} {len(values):>5}  {_summary([v.text for v in values])}   {same}/{len(values)}")
    titles = [v.title for v in pairs["different story"] if v.title is not None]
    print(f"title word Jaccard of different stories: {_summary(titles)}")
    only_text = [replace(v, title=None, lead=None) for v in pairs["half replaced"]]
    print(f"half replaced, new title, body alone: {sum(v.same_story() for v in only_text)}"
          f"/{len(only_text)} same")


if __name__ == "__main__":
    main()
