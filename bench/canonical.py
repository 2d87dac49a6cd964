"""Does the original lead its cluster? The share of clusters whose canonical is the original.

Usage:
    python bench/canonical.py [--data DIR] [--wire SOURCE ...] [--database-url URL]

``dev.jsonl`` of dedup-dev is imported through ``import_paths`` (the ``newsdedup import``
code path) into a fresh SQLite file (or the Postgres server at ``--database-url``, in a
schema of its own). Every stored cluster with more than one member that holds a
document labelled ``original`` is counted; it is right when its canonical is an original.
The run is repeated with each ``--wire`` source marked as a wire (``dedup.wire_sources``),
as a deployment that knows which outlet originates the stories would configure it.
Prints the share, the reasons the canonicals were elected, and the wrong ones by reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsdedup.core.config import Config, DedupConfig
from newsdedup.pipeline.imports import import_paths, read_jsonl
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsdedup.storage.models import ArticleRow, ClusterRow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup import data_dir, fresh_postgres  # the sibling benchmark's helpers


def measure(path: Path, url: str, wires: tuple[str, ...]) -> dict[str, Any]:
    # model_copy: the wire sources are the dump's outlets, not configured sources.
    config = Config().model_copy(update={"dedup": DedupConfig(wire_sources=wires)})
    db = Database(url)
    try:
        upgrade(db)
        import_paths(config, db, [path], source=None, fmt="jsonl")
        with db.reader() as session:
            stored = session.execute(
                select(ArticleRow.canonical_url, ArticleRow.cluster_id, ArticleRow.is_canonical,
                       ClusterRow.canonical_reason)
                .join(ClusterRow, ClusterRow.id == ArticleRow.cluster_id)
            ).all()
    finally:
        db.dispose()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    urls = {article.canonical_url: number for number, article in read_jsonl(path, None) if article}
    members: dict[int, list[tuple[dict[str, Any], bool]]] = defaultdict(list)
    reasons: dict[int, str] = {}
    for canonical_url, cluster_id, is_canonical, reason in stored:
        if canonical_url in urls:
            members[cluster_id].append((lines[urls[canonical_url] - 1], bool(is_canonical)))
            reasons[cluster_id] = reason or "unknown"
    counted, right = 0, 0
    by_reason: Counter[str] = Counter()
    wrong_by_reason: Counter[str] = Counter()
    for cluster_id, docs in members.items():
        if len(docs) < 2 or not any(doc["role"] == "original" for doc, _ in docs):
            continue
        counted += 1
        by_reason[reasons[cluster_id]] += 1
        if any(doc["role"] == "original" and canonical for doc, canonical in docs):
            right += 1
        else:
            wrong_by_reason[reasons[cluster_id]] += 1
    return {"clusters": counted, "right": right, "share": right / counted if counted else 1.0,
            "reasons": dict(by_reason), "wrong": dict(wrong_by_reason)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the dedup-dev folder (default ../shared/data/dedup-dev)")
    parser.add_argument("--wire", action="append", default=[], metavar="SOURCE",
                        help="also measure with this source marked as a wire (repeatable)")
    parser.add_argument("--database-url", help="run on this Postgres server instead of SQLite")
    args = parser.parse_args()
    path = data_dir(args.data) / "dev.jsonl"
    if not path.is_file():
        print(f"dedup-dev is absent: {path} not found (set NEWSDEDUP_DEV_DATA or --data)", file=sys.stderr)
        return 2
    runs: list[tuple[str, tuple[str, ...]]] = [("text evidence and time only", ())]
    if args.wire:
        runs.append((f"wire_sources {args.wire}", tuple(args.wire)))
    for name, wires in runs:
        with tempfile.TemporaryDirectory() as tmp:
            if args.database_url:
                url, drop = fresh_postgres(args.database_url)
                try:
                    result = measure(path, url, wires)
                finally:
                    drop()
            else:
                result = measure(path, f"sqlite:///{Path(tmp) / 'canonical.db'}", wires)
        print(f"== {name} ==")
        print(f"clusters holding an original (2+ members): {result['clusters']}; canonical is the "
              f"original: {result['right']} = {result['share']:.4f}")
        print(f"elected by: {result['reasons']}; wrong, by reason: {result['wrong']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
