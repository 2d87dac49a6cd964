"""Quality gate: the dedup stages on dedup-dev must stay above their floors.

``dev.jsonl`` goes through ``import_paths`` (the ``newsdedup import`` code path) into a
fresh SQLite database, and the stored clusters are scored pairwise against the gold
clusters, as the data set's README defines. The floors sit just under the figures
measured when they were set (docs/benchmarks.md, "Deduplication"); they only go up.
The data lives outside the repository: the test skips with a message where it is
absent, and fails under CI=true, where it must be present.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select
from support import dev_data_dir

from newsdedup.core.config import Config
from newsdedup.pipeline.imports import import_paths, read_jsonl
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import upgrade
from newsdedup.storage.models import ArticleRow

pytestmark = [pytest.mark.devdata, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
F1_FLOOR = 0.990
PRECISION_FLOOR = 0.998
# Negatives that must never share a cluster with another story.
NEVER_MERGED = ("template_negative", "followup_negative")


def dedup_dev() -> Path:
    return dev_data_dir("dedup-dev", "dev.jsonl") / "dev.jsonl"


def pairs(groups: dict[object, list[str]]) -> set[tuple[str, str]]:
    return {pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)}


def test_dedup_quality_stays_above_the_floors(tmp_path: Path) -> None:
    path = dedup_dev()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = Database(f"sqlite:///{tmp_path / 'gate.db'}")
    try:
        upgrade(db)
        import_paths(Config(), db, [path], source=None, fmt="jsonl")
        with db.reader() as session:
            stored = {url: cluster for url, cluster in
                      session.execute(select(ArticleRow.canonical_url, ArticleRow.cluster_id))}
    finally:
        db.dispose()
    line_of = {article.canonical_url: line for line, article in read_jsonl(path, None) if article}
    by_line = dict(enumerate(rows, start=1))
    predicted: dict[object, list[str]] = defaultdict(list)
    gold: dict[object, list[str]] = defaultdict(list)
    for url, cluster in stored.items():
        predicted[cluster].append(by_line[line_of[url]]["id"])
    for row in rows:
        gold[row["cluster"]].append(row["id"])
    assert sum(len(m) for m in predicted.values()) == len(rows), "every document is one article"

    gold_pairs, predicted_pairs = pairs(gold), pairs(predicted)
    hits = len(gold_pairs & predicted_pairs)
    precision = hits / len(predicted_pairs)
    recall = hits / len(gold_pairs)
    f1 = 2 * precision * recall / (precision + recall)
    role = {row["id"]: row["role"] for row in rows}
    merged = sorted({doc for pair in predicted_pairs - gold_pairs for doc in pair
                     if role[doc] in NEVER_MERGED})
    summary = f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}"
    assert not merged, f"negatives merged into other stories: {merged[:10]} ({summary})"
    assert precision >= PRECISION_FLOOR, summary
    assert f1 >= F1_FLOOR, summary
