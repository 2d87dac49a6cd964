"""Language identification on the dev sets' gold texts: accuracy and speed of each detector.

Usage:
    python bench/language.py [--data DIR] [--limit N] [--chars N]

The reference language of a page is the one its own markup declares (``<html lang>``,
else ``content-language``), normalised to ISO 639-1; pages that declare none are left
out. Each detector reads the page's gold body text (its first ``--chars`` characters,
4,000 as the extractor uses) *without* the declaration, so agreement with it measures the
detector alone. A declaration is itself sometimes wrong (a template's default "en" over a
German page): the disagreements are listed so that they can be read.

Detectors: ``newsdedup`` (``newsdedup.pipeline.extract.language.detect_language``), ``py3langid``
and, when the package is installed, ``lingua`` (``lingua-language-detector``, all
languages, low-accuracy mode off).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdedup.pipeline.extract.language import detect_language, normalize_language

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data"
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.IGNORECASE)
_META_LANG = re.compile(
    rb"<meta[^>]+http-equiv\s*=\s*[\"']?content-language[\"']?[^>]+content\s*=\s*[\"']?([A-Za-z_-]+)",
    re.IGNORECASE,
)

# (set, page id, declared language, gold text)
Sample = tuple[str, str, str, str]
Detector = Callable[[str], str | None]


def data_root(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDEDUP_DEV_DATA")
    return Path(env) if env else DEFAULT_DATA


def _declared(body: bytes) -> str | None:
    head = body[:65_536]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return normalize_language(match.group(1).decode("ascii")) if match else None


def load(root: Path, limit: int | None) -> list[Sample]:
    samples: list[Sample] = []
    dev = root / "extraction-dev"
    if (dev / "ground-truth.json").exists():
        truth = json.loads((dev / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id in sorted(truth)[:limit]:
            body = gzip.decompress((dev / "html" / f"{page_id}.html.gz").read_bytes())
            if (declared := _declared(body)) and truth[page_id]["articleBody"].strip():
                samples.append(("extraction-dev", page_id, declared, truth[page_id]["articleBody"]))
    wcxb = root / "extraction-wcxb-dev"
    if (wcxb / "index.json").exists():
        index = json.loads((wcxb / "index.json").read_text(encoding="utf-8"))
        for page_id in sorted(index)[:limit]:
            gold = json.loads((wcxb / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
            body = gzip.decompress((wcxb / "html" / f"{page_id}.html.gz").read_bytes())
            if (declared := _declared(body)) and (gold.get("main_content") or "").strip():
                samples.append(("extraction-wcxb-dev", page_id, declared, gold["main_content"]))
    return samples


def detectors() -> dict[str, Detector]:
    import py3langid

    found: dict[str, Detector] = {
        "newsdedup": detect_language,
        "py3langid": lambda text: normalize_language(py3langid.classify(text)[0]),
    }
    try:
        from lingua import LanguageDetectorBuilder  # type: ignore[import-not-found,unused-ignore]  # optional
    except ImportError:
        return found
    lingua = LanguageDetectorBuilder.from_all_languages().build()

    def with_lingua(text: str) -> str | None:
        language = lingua.detect_language_of(text)
        return normalize_language(language.iso_code_639_1.name) if language is not None else None

    found["lingua"] = with_lingua
    return found


def measure(samples: list[Sample], name: str, detect: Detector, chars: int) -> list[str]:
    detect(samples[0][3][:chars])  # warm-up: models load on first use
    right = unsure = 0
    per_language: collections.Counter[str] = collections.Counter()
    wrong_language: collections.Counter[str] = collections.Counter()
    mistakes: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for _, _, declared, text in samples:
        guess = detect(text[:chars])
        per_language[declared] += 1
        if guess == declared:
            right += 1
        elif guess is None:
            unsure += 1
            wrong_language[declared] += 1
        else:
            wrong_language[declared] += 1
            mistakes[f"{declared}->{guess}"] += 1
    seconds = time.perf_counter() - started
    total = len(samples)
    lines = [
        f"| {name} | {right / total:.4f} | {right} | {unsure} | {total - right - unsure} "
        f"| {1000 * seconds / total:.3f} |",
    ]
    common = ", ".join(f"{k} {v}" for k, v in mistakes.most_common(12))
    lines.append(f"  {name} wrong: {common or 'none'}")
    by_language = ", ".join(
        f"{lang} {per_language[lang] - wrong_language[lang]}/{per_language[lang]}"
        for lang, _ in per_language.most_common()
    )
    lines.append(f"  {name} right per declared language: {by_language}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding the dev sets (default ../shared/data)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (sorted by id)")
    parser.add_argument("--chars", type=int, default=4000, help="characters of each text read (default 4000)")
    args = parser.parse_args(argv)
    samples = load(data_root(args.data), args.limit)
    if not samples:
        print("no dev set found (use --data or NEWSDEDUP_DEV_DATA)", file=sys.stderr)
        return 2
    languages = collections.Counter(declared for _, _, declared, _ in samples)
    print(f"{len(samples)} gold texts whose page declares its language, {len(languages)} languages: "
          + ", ".join(f"{k} {v}" for k, v in languages.most_common()))
    print()
    print("| detector | agrees with the declaration | right | no answer | other language | ms/text |")
    print("|---|---:|---:|---:|---:|---:|")
    details: list[str] = []
    for name, detect in detectors().items():
        row, *rest = measure(samples, name, detect, args.chars)
        print(row)
        details.extend(rest)
    print()
    print("\n".join(details))
    # As the extractor uses it: the declaration as evidence. Where the text overrules it.
    overruled = collections.Counter(
        f"{declared}->{found}"
        for _, _, declared, text in samples
        if (found := detect_language(text[: args.chars], declared=declared)) != declared
    )
    print(f"\nnewsdedup with the declaration as evidence: overruled on {sum(overruled.values())} of "
          f"{len(samples)} texts: " + (", ".join(f"{k} {v}" for k, v in overruled.most_common()) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
