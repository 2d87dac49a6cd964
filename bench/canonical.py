"""Does the original lead its cluster? The share of clusters whose canonical is the original.

Usage:
    python bench/canonical.py [--data DIR] [--wire SOURCE ...] [--database-url URL]

``dev.jsonl`` of dedup-dev is imported through ``import_paths`` (the ``newsdedup import``
code path) into a fresh SQLite file (or the Postgres server at ``--database-url``, in a
schema of its own). Every stored cluster with more than one member that holds a
document labelled ``original`` is counted; it is right when its canonical is an original.
The run is repeated with each ``--wire`` source marked as a wire (``dedup.wire_sources``),
as a deployment that knows which outlet originates the stories would configure it.
Prints the share, the reasons the canonicals were elected, and the wrong ones by reason;
then the share per half of the gold stories (split by a hash of the story id: ``tune``
to tune on, ``check`` to confirm), per the hardest copy difficulty in the cluster, and
apart for the clusters where a copy is the original's twin (the same words under the
same title, up to case and punctuation: no text evidence can tell them apart).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import zlib
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
        # The join on ClusterRow leaves only clustered articles: cluster_id is set.
        if canonical_url in urls and cluster_id is not None:
            members[cluster_id].append((lines[urls[canonical_url] - 1], bool(is_canonical)))
            reasons[cluster_id] = reason or "unknown"
    return _score(members, reasons)


def half_of(cluster: str) -> str:
    """``tune`` or ``check``: a fixed split of the gold stories by a hash of their id."""
    return "tune" if zlib.crc32(cluster.encode("utf-8")) % 2 == 0 else "check"


def _words(doc: dict[str, Any]) -> list[str]:
    return re.findall(r"\w+", f"{doc.get('title') or ''} {doc['text']}".casefold())


def _twin(docs: list[tuple[dict[str, Any], bool]]) -> bool:
    """Whether a copy tells the original's words under its title, word for word: then
    nothing in the text can tell which one is the original."""
    original = next(_words(doc) for doc, _ in docs if doc["role"] == "original")
    return any(doc["role"] != "original" and _words(doc) == original for doc, _ in docs)


def _hardest(docs: list[tuple[dict[str, Any], bool]]) -> str:
    found = {doc.get("difficulty") for doc, _ in docs}
    return next((level for level in ("hard", "medium", "easy") if level in found), "none")


def _score(members: dict[int, list[tuple[dict[str, Any], bool]]],
           reasons: dict[int, str]) -> dict[str, Any]:
    """The share of clusters led by their original: in all, per half and per hardest copy."""
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    by_reason: Counter[str] = Counter()
    wrong_by_reason: Counter[str] = Counter()
    for cluster_id, docs in members.items():
        if len(docs) < 2 or not any(doc["role"] == "original" for doc, _ in docs):
            continue
        right = any(doc["role"] == "original" and canonical for doc, canonical in docs)
        gold = next(doc["cluster"] for doc, _ in docs if doc["role"] == "original")
        by_reason[reasons[cluster_id]] += 1
        if not right:
            wrong_by_reason[reasons[cluster_id]] += 1
        groups = ["all", f"half {half_of(gold)}", f"hardest copy {_hardest(docs)}"]
        groups.append("a copy is the original's twin" if _twin(docs) else
                      f"no twin copy, half {half_of(gold)}")
        for group in groups:
            tally[group]["clusters"] += 1
            tally[group]["right"] += right
    shares = {group: (c["right"], c["clusters"]) for group, c in sorted(tally.items())}
    counted, right_all = shares.get("all", (0, 0))[1], shares.get("all", (0, 0))[0]
    return {"clusters": counted, "right": right_all,
            "share": right_all / counted if counted else 1.0, "groups": shares,
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
        for group, (right, clusters) in result["groups"].items():
            if group != "all":
                print(f"  {group}: {right}/{clusters} = {right / clusters:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
