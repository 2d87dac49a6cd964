"""Poison pills (issue 11): the memory and time of importing documents far past any real
article, against another checkout (the baseline) side by side.

Usage:
    python bench/poison.py [--baseline DIR] [--limit-gib 6] [--workdir DIR]

Writes the inputs (a tiny document; one 10 MB single-paragraph document; 30,000
look-alike paragraphs, 3.7 MB, that differ only in their figures; 30,000 distinct
paragraphs), then runs ``newsdedup import`` on each in a subprocess with a fresh SQLite
database, for this checkout and, with ``--baseline``, for the checkout in DIR (e.g. a
``git archive`` of main). Prints per input and checkout: peak resident memory of the
child (ru_maxrss), wall time, exit status, and the ratios. Each child runs under an
address-space limit (``--limit-gib``) so a baseline that asks for tens of GiB fails with
MemoryError instead of pushing the machine into swap.

Then times the bounded paths in this process: the in-article repeat search
(``article_repeats``) on 2,000 paragraphs (the article limit) and 30,000, look-alike and
distinct; and the end-tag repair before parsing on deeply broken markup.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CONFIG = """
database:
  url: sqlite:///news.db
sources:
  - name: dump
    start_urls: [https://dump.example/]
"""


def look_alike(count: int) -> list[str]:
    return [
        f"The council counted {i} riders on tram line {i % 7} and spent {3 * i} crowns "
        "on the northern depot this week."
        for i in range(count)
    ]


def distinct(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                  for _ in range(20_000)]
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(12, 40))).capitalize() + "."
            for _ in range(count)]


def one_paragraph(chars: int, seed: int = 2) -> str:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
                  for _ in range(5000)]
    words: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(vocabulary)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)


def write_inputs(folder: Path) -> dict[str, Path]:
    inputs = {
        "tiny document": ["A short paragraph of text, the size of the process itself."],
        "10 MB single paragraph": [one_paragraph(10_000_000)],
        "30,000 look-alike paragraphs": look_alike(30_000),
        "30,000 distinct paragraphs": distinct(30_000),
    }
    paths = {}
    for number, (name, paragraphs) in enumerate(inputs.items()):
        path = folder / f"input{number}.jsonl"
        record = {"url": f"https://dump.example/{number}", "text": "\n\n".join(paragraphs)}
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        paths[name] = path
    return paths


def run_import(checkout: Path, path: Path, workdir: Path, limit: int) -> tuple[float, float, int]:
    """(peak RSS in MB, wall seconds, exit status) of one import in a fresh database."""
    folder = Path(tempfile.mkdtemp(dir=workdir))
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env["PYTHONPATH"] = str(checkout)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "newsdedup", "import", str(path), "--source", "dump"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=limited,
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        print(f"    ({checkout.name}: exit {child.returncode}: {last[0][:120]})")
    return usage.ru_maxrss / 1024, wall, child.returncode


def bounded_paths() -> None:
    from newsdedup.core.config import DedupConfig
    from newsdedup.pipeline.dedup.paragraphs import article_repeats
    from newsdedup.pipeline.dedup.sketch import Sketcher

    config = DedupConfig()
    sketcher = Sketcher(config)
    print("\nin-article repeat search (article_repeats), best of 3:")
    for name, make in (("look-alike", look_alike), ("distinct", distinct)):
        for count in (2_000, 30_000):
            sketches = sketcher.paragraphs_of(make(count))
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                article_repeats(sketches, None, near_threshold=config.paragraph_threshold,
                                truncated_min_words=config.truncated_min_words)
                best = min(best, time.perf_counter() - started)
            print(f"  {count:>6,} {name:<10} paragraphs: {best:7.3f} s")
    end_tags()


def end_tags() -> None:
    """The end-tag repair before parsing (``extract/endtags.py``) on markup that makes an
    unbounded stack walk quadratic: thousands of stray end tags over thousands of open
    ``<div>``s, with and without a table cell in between."""
    from newsdedup.pipeline.extract.endtags import close_open_divs

    pages = {
        "stray </section> over open divs": "<div>" * 20_000 + "</section>" * 20_000,
        "... below a table": "<section><table>" + "<div>" * 20_000 + "</section>" * 20_000,
        "... over open sections": "<section>" * 20_000 + "<div>" * 20_000 + "</section>" * 20_000,
    }
    print("\nend-tag repair before parsing (close_open_divs), best of 3:")
    for name, body in pages.items():
        html = f"<html><body>{body}</body></html>"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            close_open_divs(html)
            best = min(best, time.perf_counter() - started)
        print(f"  {name:<32} ({len(html) / 1e6:.2f} MB): {best:7.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--limit-gib", type=float, default=6.0,
                        help="address-space limit of each import (GiB)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="poison-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    limit = int(args.limit_gib * (1 << 30))
    paths = write_inputs(workdir)
    checkouts = [("this", REPO)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    print(f"newsdedup import, peak RSS of the child / wall time (address space <= {args.limit_gib:g} GiB):")
    for name, path in paths.items():
        print(f"  {name} ({path.stat().st_size / 1e6:.1f} MB file):")
        figures = {}
        for label, checkout in checkouts:
            rss, wall, code = run_import(checkout, path, workdir, limit)
            figures[label] = (rss, code)
            outcome = "ok" if code == 0 else "FAILED"
            print(f"    {label:<9} {rss:8.0f} MB  {wall:6.1f} s  {outcome}")
        if "baseline" in figures and figures["baseline"][1] == 0:
            print(f"    ratio this/baseline: {figures['this'][0] / figures['baseline'][0]:.2f}")
    bounded_paths()


if __name__ == "__main__":
    main()
