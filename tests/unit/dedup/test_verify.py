"""Copy or not: verification of a candidate against a cluster's canonical, named cases."""

from __future__ import annotations

import pytest
from dedup_stories import (
    EARNINGS,
    EARNINGS_TEMPLATE,
    MATCH,
    TRAM,
    TRAM_FOLLOW_UP,
    TRAM_HARD_NEGATIVE,
    UNRELATED,
    edited,
    reordered,
    truncated,
)

from newsdedup.core.config import DedupConfig
from newsdedup.pipeline.dedup.minhash import jaccard
from newsdedup.pipeline.dedup.origin import REASONS, Candidate, decide, election_key
from newsdedup.pipeline.dedup.sketch import Sketcher
from newsdedup.pipeline.dedup.verify import verify

CONFIG = DedupConfig()
TEASER = "Read the full story at the Harbour Post website."


def sketch(body: tuple[str, ...]):  # type: ignore[no-untyped-def]
    return Sketcher(CONFIG).documents_of([body])[0]


COPIES = {
    "identical": (TRAM, TRAM),
    "truncated-half-with-teaser": (truncated(TRAM, 4, TEASER), TRAM),
    "truncated-to-lead": (truncated(TRAM, 3), TRAM),
    "edited-with-editors-note": (edited(TRAM), TRAM),
    "reordered": (reordered(MATCH), MATCH),
    "truncated-copy-of-edited-canonical": (truncated(TRAM, 4), edited(TRAM)),
    "extended-with-footer": ((*EARNINGS, "Copyright 2025 Wire Service. All rights reserved."), EARNINGS),
}

DIFFERENT = {
    "hard-negative-same-council": (TRAM_HARD_NEGATIVE, TRAM),
    "template-negative-other-names-and-figures": (EARNINGS_TEMPLATE, EARNINGS),
    "follow-up-reusing-the-lead": (TRAM_FOLLOW_UP, TRAM),
    "follow-up-containing-a-short-copy": (TRAM_FOLLOW_UP, truncated(TRAM, 2)),
    "unrelated": (UNRELATED, TRAM),
}


@pytest.mark.parametrize(("candidate", "canonical"), COPIES.values(), ids=COPIES.keys())
def test_copies_match_their_canonical(candidate: tuple[str, ...], canonical: tuple[str, ...]) -> None:
    match = verify(sketch(candidate), sketch(canonical), CONFIG)
    assert match is not None
    # Symmetric: whichever of the two came first is the canonical.
    assert verify(sketch(canonical), sketch(candidate), CONFIG) is not None


@pytest.mark.parametrize(("candidate", "canonical"), DIFFERENT.values(), ids=DIFFERENT.keys())
def test_different_stories_do_not_match(candidate: tuple[str, ...], canonical: tuple[str, ...]) -> None:
    assert verify(sketch(candidate), sketch(canonical), CONFIG) is None
    assert verify(sketch(canonical), sketch(candidate), CONFIG) is None


def test_identical_bodies_have_similarity_one() -> None:
    match = verify(sketch(TRAM), sketch(TRAM), CONFIG)
    assert match is not None and match.method == "jaccard" and match.similarity == 1.0


def test_a_truncated_copy_matches_by_containment() -> None:
    match = verify(sketch(truncated(TRAM, 3, TEASER)), sketch(TRAM), CONFIG)
    assert match is not None and match.method == "containment"
    assert match.similarity >= CONFIG.containment_threshold > match.jaccard


def test_a_reordered_copy_stays_above_the_threshold_and_unrelated_below() -> None:
    assert jaccard(sketch(reordered(MATCH)).signature, sketch(MATCH).signature) >= CONFIG.threshold
    assert jaccard(sketch(UNRELATED).signature, sketch(TRAM).signature) < 0.1


def test_empty_bodies_never_match() -> None:
    assert verify(sketch(()), sketch(()), CONFIG) is None


def test_election_prefers_uncredited_then_wire_then_published_then_seen_then_priority() -> None:
    from datetime import UTC, datetime, timedelta

    day = datetime(2025, 6, 7, 9, 30, tzinfo=UTC)

    def key(published: datetime | None, seen: datetime, priority: int, article_id: int, *,
            credited: bool = False, wire: bool = False) -> Candidate:
        return election_key(credited=credited, wire=wire, published_at=published,
                            first_seen_at=seen, priority=priority, article_id=article_id)

    def reason(a: Candidate, b: Candidate) -> str | None:
        """The reason ``a`` leads ``b`` (None when ``b`` leads)."""
        leads, index = decide(a, b)
        assert decide(b, a) == (not leads, index)
        return REASONS[index] if leads else None

    earlier_published = key(day, day + timedelta(days=2), 5, 9)
    later_published = key(day + timedelta(hours=1), day, 0, 1)
    undated = key(None, day - timedelta(days=9), 0, 1)
    assert reason(earlier_published, later_published) == "published"
    # A date counts only against a dated member: here the earlier first sighting decides.
    assert reason(undated, earlier_published) == "first_seen"
    assert reason(key(None, day, 0, 2), key(None, day + timedelta(1), 0, 1)) == "first_seen"
    assert reason(key(None, day, 0, 2), key(None, day, 1, 1)) == "priority"
    assert reason(key(None, day, 0, 1), key(None, day, 0, 2)) == "oldest"
    # A bare date is not compared with a time on the same day.
    midnight = day.replace(hour=0, minute=0)
    assert reason(key(day, day, 1, 1), key(midnight, day, 0, 2)) is None
    assert reason(key(midnight - timedelta(days=1), day, 1, 1), key(day, day, 0, 2)) == "published"
    # A wire beats an earlier publication; a credit line loses to anything uncredited.
    wire = key(day + timedelta(hours=3), day, 9, 9, wire=True)
    credited = key(day - timedelta(days=1), day - timedelta(days=1), 0, 1, credited=True)
    assert reason(wire, earlier_published) == "wire"
    assert reason(undated, credited) == "attribution"
