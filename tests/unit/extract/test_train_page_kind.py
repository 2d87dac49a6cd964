"""The page-kind training script's out-of-fold scores and ranking yardstick
(``bench/train_page_kind.py``), on made-up pages: one signal tells articles from
listings, another is noise."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import load_bench


@pytest.fixture(scope="module")
def train() -> Iterator[ModuleType]:
    module = load_bench("train_page_kind")
    # Fewer trees, for speed. The script is loaded from its file, so mypy cannot see its
    # globals; setattr (raising=True) checks TREES exists rather than adding a new name.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "TREES", 30)
        yield module


# Rows are the script's own Row records, a type mypy cannot see.
def _rows(train: ModuleType, *, separable: bool) -> list[Any]:
    rng = random.Random(7)
    rows = []
    for i in range(80):
        kind = "article" if i % 2 else "listing"
        cards = (0.0 if kind == "article" else 3.0) if separable else rng.random()
        vector = {"cards": cards + rng.random() * 0.5, "noise": rng.random()}
        rows.append(train.Row("extraction-wcxb-dev", "tune", kind, f"site{i}.example", "article", "", vector))
    return rows


def test_out_of_fold_scores_rank_listings_above_articles_on_a_telling_signal(train: ModuleType) -> None:
    rows = _rows(train, separable=True)
    scores = train.out_of_fold(rows, ["cards", "noise"])
    articles = [s for r, s in zip(rows, scores, strict=True) if r.page_type == "article"]
    listings = [s for r, s in zip(rows, scores, strict=True) if r.page_type == "listing"]
    assert min(listings) > max(articles)


def test_ranking_is_full_on_a_telling_signal_and_not_on_noise(train: ModuleType) -> None:
    names = ["cards", "noise"]
    telling = train.ranking(_rows(train, separable=True), names)
    noisy = train.ranking(_rows(train, separable=False), names)
    assert telling.endswith("mean 1.000")
    assert float(noisy.rsplit("mean ", 1)[1]) < 0.9


def test_drop_leaves_a_signal_out_and_tune_only_hides_validation(
    train: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "vectors.json"
    rows = _rows(train, separable=True)
    rows.append(train.Row("extraction-wcxb-dev", "validation", "article", "other.example", "article", "",
                          {"cards": 0.0, "noise": 0.5}))
    cache.write_text(json.dumps([r.__dict__ for r in rows]), encoding="utf-8")
    assert train.main(["--cache", str(cache), "--tune-only", "--drop", "noise"]) == 0
    out = capsys.readouterr().out
    assert "1 signals" in out
    assert "validation:" not in out
    assert train.main(["--cache", str(cache)]) == 0
    assert "2 signals" in capsys.readouterr().out
