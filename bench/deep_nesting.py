"""Pages nested deeper than libxml2's default limit (256 open elements): what the extractor
keeps of them, and its time, against another checkout (the baseline) side by side.

Usage:
    python bench/deep_nesting.py [--baseline DIR] [--workdir DIR]

Writes pages whose story (five paragraphs, then two more after the nesting closes) sits
N elements deep, in ``<div>``s or in a table of tables (``<table><tr><td>`` per level),
for N from 100 to 3,000; then runs ``newsdedup extract`` on each in a subprocess for this
checkout and, with ``--baseline``, for the checkout in DIR (e.g. a ``git archive`` of
main). Prints per page and checkout: the outcome (article or rejection reason), the words
kept, the wall time of the process, and the time ratio this/baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
URL = "https://deep.example/news/2024/05/07/council-agrees-budget-after-long-debate"
SENTENCE = (
    "The council met on Tuesday to discuss the budget for next year and agreed on new "
    "spending for schools, roads and the harbour after a debate of six hours"
)
DEPTHS = (100, 300, 600, 1_500, 3_000)
NESTINGS = {"divs": ("<div>", "</div>"), "tables": ("<table><tr><td>", "</td></tr></table>")}


def page(depth: int, opening: str, closing: str) -> str:
    story = "".join(f"<p>{SENTENCE} ({n}).</p>" for n in range(5))
    after = "".join(f"<p>{SENTENCE} [after {n}].</p>" for n in range(2))
    return (
        "<html><head><title>Council agrees budget</title></head><body><h1>Council agrees budget</h1>"
        + opening * depth + story + closing * depth + after + "</body></html>"
    )


def run_extract(checkout: Path, path: Path) -> tuple[str, int, float]:
    """(outcome, words kept, wall seconds) of one ``newsdedup extract`` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env["PYTHONPATH"] = str(checkout)
    started = time.perf_counter()
    # Run from the pages' folder: ``-m`` puts the working directory first on the path, and
    # from a checkout it would import that checkout's package whatever PYTHONPATH says.
    done = subprocess.run(
        [sys.executable, "-m", "newsdedup", "extract", "--url", URL, str(path)],
        cwd=path.parent, env=env, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        return f"exit {done.returncode}", 0, wall
    record = json.loads(done.stdout.splitlines()[0])
    words = len((record.get("text") or "").split())
    return record.get("reason") or record["status"], words, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--workdir", type=Path, help="where the pages are written (default: a temporary folder)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="deep-nesting-"))
    workdir.mkdir(parents=True, exist_ok=True)
    checkouts = [("this", REPO)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    print("| nesting | depth | " + " | ".join(f"{name}: outcome, words, s" for name, _ in checkouts)
          + (" | time this/baseline |" if args.baseline else " |"))
    print("|---|---:|" + "---:|" * len(checkouts) + ("---:|" if args.baseline else ""))
    for nesting, (opening, closing) in NESTINGS.items():
        for depth in DEPTHS:
            path = workdir / f"{nesting}-{depth}.html"
            path.write_text(page(depth, opening, closing), encoding="utf-8")
            figures = {name: run_extract(checkout, path) for name, checkout in checkouts}
            cells = [f"{outcome}, {words}, {wall:.1f}" for outcome, words, wall in figures.values()]
            ratio = f" {figures['this'][2] / figures['baseline'][2]:.2f} |" if args.baseline else ""
            print(f"| {nesting} | {depth:,} | " + " | ".join(cells) + " |" + ratio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
