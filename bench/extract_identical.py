"""Extractor output on every dev page, saved or compared, with CPU ms per page per set.

Usage:
    python bench/extract_identical.py ref FILE     # save the output of every page (pickle)
    python bench/extract_identical.py check FILE   # compare with FILE, print diffs and CPU ms/page
    python bench/extract_identical.py time N       # CPU ms/page per set, N runs

For speed work that must not change any output: save FILE on the unchanged code first.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
import time
from pathlib import Path

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import FetchedPage
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.devsets import DEV_SETS, load_dev_set

_DATA = Path("/work/shared/data")


def _pages() -> dict[str, list[tuple[str, FetchedPage]]]:
    return {s: [(p.page_id, p.fetched()) for p in load_dev_set(_DATA / s)] for s in DEV_SETS}


def _record(result: object) -> str:
    fields = dataclasses.asdict(result)  # type: ignore[call-overload]
    return repr({k: v for k, v in fields.items() if "fetched" not in k})


def _run(pages: dict[str, list[tuple[str, FetchedPage]]]) -> tuple[dict[tuple[str, str], str], dict[str, float]]:
    extractor = Extractor(ExtractConfig())
    out: dict[tuple[str, str], str] = {}
    cpu: dict[str, float] = {}
    for name, items in pages.items():
        start = time.process_time()
        for page_id, page in items:
            out[(name, page_id)] = _record(extractor.extract(page))
        cpu[name] = round((time.process_time() - start) * 1000 / len(items), 1)
    return out, cpu


def main() -> None:
    mode, arg = sys.argv[1], sys.argv[2]
    pages = _pages()
    if mode == "ref":
        out, cpu = _run(pages)
        Path(arg).write_bytes(pickle.dumps(out))
        print("ms/page", cpu)
    elif mode == "check":
        ref = pickle.loads(Path(arg).read_bytes())
        out, cpu = _run(pages)
        diffs = [k for k in ref if ref[k] != out.get(k)]
        print("pages", len(ref), "differing", len(diffs), diffs[:10], "ms/page", cpu)
    else:
        for _ in range(int(arg)):
            print("ms/page", _run(pages)[1], flush=True)


if __name__ == "__main__":
    main()
