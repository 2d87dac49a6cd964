"""Deduplication: clean paragraphs (repeats, source templates), then syndication clusters.

The public surface is :class:`DedupStage` (run it on pending articles, or reset them for
``newsdedup reprocess --dedup``) and :func:`check_signature_scheme`. The modules, one job
each: ``normalise`` (text forms), ``minhash`` (shingles, signatures, band keys),
``sketch`` (what is compared), ``paragraphs`` (in-article repeats), ``templates``
(source templates), ``verify`` (is it a copy), ``clusters`` (placing articles in
stories), ``scheme`` (stored parameters), ``stage`` (batches and storage).
"""

from newsdedup.pipeline.dedup.scheme import check_signature_scheme
from newsdedup.pipeline.dedup.stage import DedupStage

__all__ = ["DedupStage", "check_signature_scheme"]
