"""Whether a candidate is a copy of a cluster's canonical, from their MinHash sketches.

Three estimates decide, all from signatures sharing one set of permutations:
Jaccard of the bodies; containment (shared shingles over the smaller body) with the
larger body's lead found in the smaller one, for truncated copies and copies with an
editor's note; and containment of the shingles that hold names and numbers, so a
recurring templated story (same sentences, other names and figures) stays apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from newsdedup.core.config import DedupConfig
from newsdedup.pipeline.dedup.minhash import Signature, containment, jaccard

__all__ = ["Match", "MatchMethod", "Sketch", "verify"]

MatchMethod = Literal["exact", "jaccard", "containment"]

# Below this many name shingles the name check has too little evidence to veto a match.
_MIN_NAME_SHINGLES = 8


class Sketch(Protocol):
    """What verification reads of a body (a DocumentSketch or a stored signature row)."""

    @property
    def shingles(self) -> int: ...
    @property
    def signature(self) -> Signature: ...
    @property
    def lead_shingles(self) -> int: ...
    @property
    def lead_signature(self) -> Signature: ...
    @property
    def name_shingles(self) -> int: ...
    @property
    def name_signature(self) -> Signature: ...


@dataclass(frozen=True, slots=True)
class Match:
    """A verified copy: ``similarity`` is the Jaccard estimate for a ``jaccard`` match and
    the containment estimate for a ``containment`` one; ``jaccard`` ranks candidates."""

    method: MatchMethod
    similarity: float
    jaccard: float


def verify(candidate: Sketch, canonical: Sketch, config: DedupConfig) -> Match | None:
    """The match between two bodies, or None when they are different stories."""
    if candidate.shingles == 0 or canonical.shingles == 0:
        return None
    names_a, names_b = candidate.name_shingles, canonical.name_shingles
    if min(names_a, names_b) >= _MIN_NAME_SHINGLES:
        shared_names = containment(
            jaccard(candidate.name_signature, canonical.name_signature), names_a, names_b
        )
        if shared_names < config.name_threshold:
            return None
    similarity = jaccard(candidate.signature, canonical.signature)
    if similarity >= config.threshold:
        return Match("jaccard", similarity, similarity)
    contained = containment(similarity, candidate.shingles, canonical.shingles)
    if contained < config.containment_threshold:
        return None
    larger, smaller = (
        (candidate, canonical) if candidate.shingles >= canonical.shingles else (canonical, candidate)
    )
    lead = containment(
        jaccard(larger.lead_signature, smaller.signature), larger.lead_shingles, smaller.shingles
    )
    if lead < config.lead_threshold:
        return None
    return Match("containment", contained, similarity)
