"""Syndicated copies found in every script: the dedup stage on news in many languages.

Usage:
    python bench/dedup_scripts.py [--data DIR] [--seed N]

dedup-dev is English only. This builds a labelled set of the same shape from the gold
bodies of ``extraction-dev`` (258 news articles in about a dozen languages and seven
scripts): each article is an original, and gets a copy of each difficulty, made as
dedup-dev's are but measured in the script's own words (a character where words are
not spaced):

- medium: the last 20% of the paragraphs dropped, 1% of the words replaced by other
  words of the article, the punctuation in the other width (full-width <-> ASCII, which
  NFKC reads alike: a check that it still does);
- hard: only the first half of the paragraphs, 3% of the words replaced.

The originals are one another's negatives: several stories per language, on the news
of the same weeks. The set is imported as ``bench/dedup.py`` imports dedup-dev (the
``newsdedup import`` path into a fresh SQLite file) and scored pairwise per script
(Latin, CJK (Han and kana), Hangul, other), so a stage that only works with spaces
shows where it fails. Run it on two checkouts with ``PYTHONPATH`` to compare them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from dedup import end_to_end, score  # the sibling benchmark's import and scoring

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "extraction-dev"
_WIDE = {ord(a): ord(b) for a, b in zip(",.:;!?()", "，。：；！？（）", strict=True)}
_NARROW = {b: a for a, b in _WIDE.items()}


def data_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) / "extraction-dev" if env else DEFAULT_DATA


def script_of(text: str) -> str:
    """The script most of the letters of ``text`` are in: latin, cjk, hangul or other."""
    counts: Counter[str] = Counter()
    for character in text[:4000]:
        if character.isalpha():
            name = unicodedata.name(character, "?").split()[0]
            counts["cjk" if name in ("CJK", "HIRAGANA", "KATAKANA") else name.lower()] += 1
    script = counts.most_common(1)[0][0] if counts else "other"
    return script if script in ("latin", "cjk", "hangul") else "other"


def _tokens(paragraph: str, unspaced: bool) -> list[str]:
    return list(paragraph) if unspaced else paragraph.split(" ")


def _edit(paragraphs: list[str], share: float, unspaced: bool, rng: random.Random) -> list[str]:
    """``share`` of the words (characters where unspaced) replaced by others of the text."""
    split = [_tokens(p, unspaced) for p in paragraphs]
    pool = [t for tokens in split for t in tokens if t.strip() and t.isalpha()]
    for tokens in split:
        for index, token in enumerate(tokens):
            if token.isalpha() and rng.random() < share:
                tokens[index] = rng.choice(pool)
    return ["".join(t) if unspaced else " ".join(t) for t in split]


def copies(paragraphs: list[str], unspaced: bool, rng: random.Random) -> dict[str, list[str]]:
    width = _NARROW if unspaced else _WIDE
    keep = max(1, round(len(paragraphs) * 0.8))
    medium = [p.translate(width) for p in _edit(paragraphs[:keep], 0.01, unspaced, rng)]
    hard = _edit(paragraphs[: max(1, len(paragraphs) // 2)], 0.03, unspaced, rng)
    return {"medium": medium, "hard": hard}


def build(data: Path, seed: int) -> list[dict[str, Any]]:
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for page_id in sorted(gold):
        body = gold[page_id].get("articleBody") or ""
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        if len(paragraphs) < 2:
            continue
        script = script_of(body)
        title = gold[page_id].get("title") or paragraphs[0][:80]
        cluster = f"story-{page_id}"
        rows.append({"id": f"{page_id}/original", "source": f"origin-{page_id}", "title": title,
                     "text": "\n\n".join(paragraphs), "cluster": cluster, "role": "singleton",
                     "script": script})
        for difficulty, text in copies(paragraphs, script == "cjk", rng).items():
            rows.append({"id": f"{page_id}/{difficulty}", "source": f"{difficulty}-{page_id}",
                         "title": title, "text": "\n\n".join(text), "cluster": cluster,
                         "role": "copy", "difficulty": difficulty, "script": script})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the extraction-dev folder (default ../shared/data/extraction-dev)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the copies' edits")
    args = parser.parse_args()
    data = data_dir(args.data)
    if not (data / "ground-truth.json").exists():
        print(f"no extraction-dev at {data}: pass --data or set NEWSDEDUP_DEV_DATA", file=sys.stderr)
        return 2
    rows = build(data, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "scripts.jsonl"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                        encoding="utf-8")
        result = end_to_end(path, rows, f"sqlite:///{workdir / 'scripts.db'}")
    predicted = result["predicted"]
    print(f"{len(rows)} documents from {data}, seed {args.seed}; "
          f"import + dedup {result['seconds']:.2f} s")
    print(f"{'script':8} {'stories':>7} {'precision':>9} {'recall':>7} {'medium':>7} {'hard':>7} "
          f"{'false pairs':>11}")
    for script in ("latin", "cjk", "hangul", "other", "all"):
        part = [row for row in rows if script in (row["script"], "all")]
        if not part:
            continue
        scored = score(part, {row["id"]: predicted[row["id"]] for row in part})
        stories = sum(1 for row in part if row["role"] == "singleton")
        print(f"{script:8} {stories:7d} {scored['precision']:9.4f} {scored['recall']:7.4f} "
              f"{scored['recall_by']['medium']:7.4f} {scored['recall_by']['hard']:7.4f} "
              f"{scored['false_pairs']:11d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
