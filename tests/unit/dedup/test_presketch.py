"""Paragraph sketches made ahead (by the extraction workers): the same as the stage's own,
taken only for the texts they were made for."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from dedup_helpers import articles, fates, store_in_order
from dedup_stories import EARNINGS, MATCH, TRAM

from newsdedup.core.config import DedupConfig
from newsdedup.pipeline.dedup import DedupStage
from newsdedup.pipeline.dedup.paragraphs import Verdict
from newsdedup.pipeline.dedup.presketch import (
    ArticleSketch,
    SketchCache,
    in_article_verdicts,
    sketch_article,
)
from newsdedup.pipeline.dedup.sketch import Sketcher
from newsdedup.storage.db import Database

CONFIG = DedupConfig()
# Repeats of several kinds inside one article: a block stored twice, the title again.
REPEATING = TRAM[:4] + TRAM[1:4] + ("Tram line reopens",)
BODIES = [(REPEATING, "Tram line reopens"), (MATCH, None), (EARNINGS, "Quarterly results")]


def test_an_article_sketched_alone_matches_the_batch_the_stage_sketches() -> None:
    sketcher = Sketcher(CONFIG)
    batch = sketcher.paragraphs_of([text for body, _ in BODIES for text in body])
    start = 0
    for body, title in BODIES:
        alone = sketch_article(sketcher, title, body)
        together = batch[start : start + len(body)]
        start += len(body)
        assert [(s.key, s.fingerprint, s.words) for s in alone.sketches] == [
            (s.key, s.fingerprint, s.words) for s in together
        ]
        for one, other in zip(alone.sketches, together, strict=True):
            assert (one.signature is None) == (other.signature is None)
            if one.signature is not None and other.signature is not None:
                assert np.array_equal(one.signature, other.signature)
        assert list(alone.verdicts) == in_article_verdicts(CONFIG, together, title)
    assert {v.fate for v in sketch_article(sketcher, BODIES[0][1], REPEATING).verdicts} == {
        "kept", "repeat"}


def test_the_stage_takes_the_sketches_made_for_the_stored_texts(db: Database) -> None:
    one, two = store_in_order(db, [("wire", "https://wire.example/1", TRAM),
                                   ("post", "https://post.example/2", MATCH)])
    made = sketch_article(Sketcher(CONFIG), None, TRAM)
    # Marked otherwise than the stage would decide, to see which one it used.
    planted = replace(made, verdicts=tuple(Verdict("repeat") for _ in made.verdicts))
    cache = SketchCache()
    cache.add(planted)
    cache.add(sketch_article(Sketcher(CONFIG), None, MATCH[:-1]))  # not what was stored
    DedupStage(CONFIG, db, sketches=cache).run()
    assert (cache.hits, cache.misses) == (1, 1)
    assert set(fates(db, one)) == {"repeat"}
    assert set(fates(db, two)) == {"kept"}


def test_a_stage_with_sketches_made_ahead_decides_as_one_without(db: Database) -> None:
    items = [("wire", f"https://wire.example/{i}", body) for i, (body, _) in enumerate(BODIES)]
    items.append(("post", "https://post.example/copy", TRAM))
    ids = store_in_order(db, items)
    cache = SketchCache()
    for _, _, body in items:
        cache.add(sketch_article(Sketcher(CONFIG), None, body))
    DedupStage(CONFIG, db, sketches=cache).run()
    assert cache.hits == len(items) and len(cache) == 0
    with_cache = _outcome(db, ids)
    DedupStage(CONFIG, db).reset()
    DedupStage(CONFIG, db).run()
    assert _outcome(db, ids) == with_cache
    assert len(with_cache[1]) == len(items) - 1  # the copy joined its story


def _outcome(db: Database, ids: list[int]) -> tuple[dict[int, list[str]], set[frozenset[int]]]:
    """Each article's paragraph fates, and the clusters as sets of articles."""
    found = articles(db)
    clusters: dict[int | None, set[int]] = {}
    for article_id in ids:
        clusters.setdefault(found[article_id].cluster_id, set()).add(article_id)
    return {i: fates(db, i) for i in ids}, {frozenset(members) for members in clusters.values()}


def test_the_cache_gives_a_sketch_once_per_article_made_for_and_holds_a_bounded_number() -> None:
    sketcher = Sketcher(CONFIG)
    made = sketch_article(sketcher, "A title", TRAM)
    cache = SketchCache(max_paragraphs=len(TRAM) + 1)
    cache.add(made)
    cache.add(made)
    cache.add(sketch_article(sketcher, None, MATCH))  # past the bound: dropped
    assert cache.take("Another title", TRAM) is None
    assert cache.take("A title", TRAM) == made
    assert cache.take("A title", TRAM) == made
    assert cache.take("A title", TRAM) is None
    assert cache.take(None, MATCH) is None
    assert (cache.hits, cache.misses) == (2, 3)
    assert isinstance(made, ArticleSketch)
