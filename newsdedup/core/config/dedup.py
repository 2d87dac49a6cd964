"""``dedup:`` knobs of the paragraph and syndication stages.

Defaults are tuned on ``../shared/data/dedup-dev`` (see docs/benchmarks.md). The keys
marked *scheme* shape the stored signatures and LSH keys: changing one makes newsdedup
refuse to run until ``newsdedup reprocess --dedup`` rebuilds them. The others apply to
whatever is deduplicated next.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from newsdedup.core.config.base import Section

__all__ = ["DedupConfig"]

Ratio = Annotated[float, Field(gt=0, le=1)]


class DedupConfig(Section):
    """Paragraph repeats, source templates and syndication clusters."""

    # -- documents (syndication) --
    #: scheme: words per shingle of the clean body.
    shingle_size: Annotated[int, Field(ge=1, le=10)] = 5
    #: scheme: MinHash permutations per document signature (datasketch affine32 scheme).
    num_perm: Annotated[int, Field(ge=16, le=1024)] = 128
    #: scheme: LSH bands and rows per band (bands * rows <= num_perm). Two rows per band
    #: find copies down to an estimated Jaccard of about 0.15 (truncated copies).
    bands: Annotated[int, Field(ge=1, le=512)] = 64
    rows: Annotated[int, Field(ge=1, le=32)] = 2
    #: scheme: the first words of a body that make its "lead" signature.
    lead_words: Annotated[int, Field(ge=10, le=1000)] = 50
    #: A candidate whose estimated Jaccard with the cluster's canonical reaches this joins.
    threshold: Ratio = 0.5
    #: ...or whose estimated containment (shared shingles over the smaller body) reaches
    #: this, when the larger body's lead is also in the smaller one (a truncated copy
    #: keeps the lead; a follow-up that quotes a story as background does not).
    containment_threshold: Ratio = 0.65
    lead_threshold: Ratio = 0.35
    #: Shingles holding a name or number must be shared at least this much (containment):
    #: a recurring templated story with other names and figures is a different story.
    name_threshold: Ratio = 0.45
    #: Bodies with fewer words are never matched (a short text is its own story).
    min_words: Annotated[int, Field(ge=1)] = 25
    #: Copies are looked for among articles published (else first seen) within this many
    #: days before or after (exact copies join whatever the date). 0 disables the window,
    #: and the time buckets that keep LSH writes local: scheme, between 0 and not 0.
    date_window_days: Annotated[int, Field(ge=0, le=36_500)] = 14
    #: An LSH bucket stops collecting members at this size; at look-up, a bucket whose
    #: members span more than max_bucket_stories clusters is skipped as boilerplate.
    max_bucket_size: Annotated[int, Field(ge=2)] = 200
    max_bucket_stories: Annotated[int, Field(ge=1)] = 20
    #: Canonical of a cluster (``newsdedup.pipeline.dedup.origin``): an article that does not credit
    #: another outlet ("originally appeared on X", "(Reuters) -", "Source: X"), then one
    #: of ``wire_sources`` (outlets whose stories others republish), then the earliest
    #: published_at (only between dated members), then the fullest story, then the least
    #: frame, then first seen, then the source listed first in ``source_priority``
    #: (sources not listed come after), then the older article.
    wire_sources: tuple[str, ...] = ()
    source_priority: tuple[str, ...] = ()

    # -- paragraphs (repeats and source templates) --
    #: Estimated Jaccard above which two paragraphs are near repeats (digits masked).
    paragraph_threshold: Ratio = 0.8
    #: scheme: paragraphs shorter than this are compared exactly only (too short to shingle).
    paragraph_min_words: Annotated[int, Field(ge=2)] = 8
    #: scheme: words per shingle and MinHash permutations of a paragraph signature.
    paragraph_shingle_size: Annotated[int, Field(ge=1, le=10)] = 3
    paragraph_num_perm: Annotated[int, Field(ge=16, le=256)] = 32
    #: A paragraph that is a clipped copy (prefix, or cut mid-word) of another part of
    #: the article is a truncated repeat when it has at least this many words.
    truncated_min_words: Annotated[int, Field(ge=2)] = 6
    #: A paragraph (exact or near) in this many distinct articles of a source is template,
    #: from then on and in the source's earlier articles too. Exact repeats are counted
    #: over the source's whole history, near ones over the last three to six months.
    template_min_articles: Annotated[int, Field(ge=2)] = 3
    #: ...unless those articles are one recurring story (the days of a weather report or a
    #: markets wrap, one story at several URLs): beyond the paragraphs they share, the rest
    #: of their text overlaps at least this much (Jaccard of digit-masked word shingles).
    #: Different stories sharing a template overlap below 0.1 on dedup-dev; days of one
    #: series above 0.4.
    series_threshold: Ratio = 0.3

    #: Articles deduplicated per transaction.
    batch_size: Annotated[int, Field(ge=1, le=10_000)] = 1000
    #: An article the stage fails on (an exception, or the process killed while on it)
    #: is quarantined and tried again by later runs, this many attempts in all.
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 3

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupConfig:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands * rows ({self.bands} * {self.rows}) must not exceed num_perm "
                f"({self.num_perm})"
            )
        return self
