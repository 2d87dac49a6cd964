"""Does the end-tag repair give the tree a browser builds? libxml2's tree, before and after
``close_open_divs``, against html5lib's (an HTML5 parser, as browsers are) on the dev pages.

Usage:
    pip install --target /tmp/h5lib html5lib      # a measuring tool, not a dependency
    python -W ignore bench/endtags_html5.py [--html5lib /tmp/h5lib] [--data DIR]

For every paragraph of 80 characters or more, matched by its text, each tree says whether
it lies inside a sidebar, menu, header, footer, button or label (the landmarks the pruning
removes). Printed, for the pages the repair changes and for the others: how many
paragraphs libxml2's tree places as html5lib's does, before and after the repair, and the
pages where the repaired tree still differs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

import lxml.html

from newsdedup.pipeline.extract.devsets import DEV_SETS, load_dev_set
from newsdedup.pipeline.extract.endtags import close_open_divs

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = REPO / ".." / "shared" / "data"
LANDMARKS = frozenset({"aside", "button", "nav", "header", "footer", "label"})
MIN_CHARS = 80


def _placed(paragraphs: list[tuple[str, bool]]) -> dict[str, bool]:
    return {text[:120]: inside for text, inside in paragraphs if len(text) >= MIN_CHARS}


def by_lxml(html: str) -> dict[str, bool]:
    tree = lxml.html.document_fromstring(html)
    return _placed([(" ".join(p.text_content().split()), any(a.tag in LANDMARKS for a in p.iterancestors()))
                    for p in tree.iter("p")])


def by_html5(html5lib: ModuleType, html: str) -> dict[str, bool]:
    tree = html5lib.parse(html, treebuilder="lxml", namespaceHTMLElements=False)
    return _placed([(" ".join("".join(p.itertext()).split()), any(a.tag in LANDMARKS for a in p.iterancestors()))
                    for p in tree.iter("p")])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--html5lib", default="/tmp/h5lib", help="folder html5lib is installed in (pip --target)")
    parser.add_argument("--data", help="folder holding the dev sets (default $NEWSDEDUP_DEV_DATA or ../shared/data)")
    args = parser.parse_args()
    sys.path.insert(0, args.html5lib)
    try:
        html5lib = importlib.import_module("html5lib")
    except ImportError:
        print(f"html5lib not found (pip install --target {args.html5lib} html5lib)", file=sys.stderr)
        return 2
    root = Path(args.data or os.environ.get("NEWSDEDUP_DEV_DATA") or DEFAULT_ROOT)
    totals = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}  # pages, paragraphs, agree before, agree after
    for dev_set, page in ((name, page) for name in DEV_SETS for page in load_dev_set(root / name)):
        html = page.body.decode("utf-8", "replace")
        repaired = close_open_divs(html)
        try:
            browser, before, after = by_html5(html5lib, html), by_lxml(html), by_lxml(repaired)
        except ValueError as exc:  # control characters html5lib's lxml builder refuses
            print(f"  skipped {page.page_id}: {exc}")
            continue
        shared = set(browser) & set(before) & set(after)
        row = totals[repaired != html]
        row[0] += 1
        row[1] += len(shared)
        row[2] += sum(browser[k] == before[k] for k in shared)
        row[3] += sum(browser[k] == after[k] for k in shared)
        if any(browser[k] != after[k] for k in shared):
            print(f"  differs after the repair: {dev_set} {page.page_id}")
    for changed, (pages, paragraphs, agree_before, agree_after) in totals.items():
        label = "pages the repair changes" if changed else "pages it leaves as they are"
        print(f"{label}: {pages} pages, {paragraphs} paragraphs placed as html5lib places them: "
              f"{agree_before} before, {agree_after} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
