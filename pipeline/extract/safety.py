"""The safety net: when the body we found looks unlike the page's article, ask a second opinion.

Our pass (chrome pruned, then trafilatura's fast content finder) is right on most pages,
but when it goes wrong it loses the whole article: the pruning took a box whose class
named chrome but which held the story, or the finder settled on one block of a page cut
into many. Two cheap signals say when to doubt it, measured on the pages themselves:

- **text share**: the body has less than ``DOUBT_PROSE_SHARE`` of the characters that the
  page shows in prose paragraphs (``<p>`` of 60+ characters) before any pruning;
- **pruned prose**: pruning removed more than ``DOUBT_PRUNED_SHARE`` of those characters;
- **long text share**: on a page where most long text runs (60+ characters in one text
  node, whatever the tag) sit outside ``<p>`` prose, the body has less than
  ``DOUBT_LONG_TEXT_SHARE`` of them: pages that set their story in ``<div>``s and ``<br>``s
  have little ``<p>`` prose for the first signal to count.

Only then (about one page in ten on the dev sets' tuning parts) an independent candidate
is made: trafilatura's full comparison (its own finder checked against its readability
and jusText ports) on a fresh parse of the page, nothing pruned but the grids of other
posts' teasers (``prune.drop_teaser_grids``: another post's headline and excerpt are never
this page's story, and would make the candidate look longer). The candidate replaces
ours when the two agree that ours is part of the story (``AGREEMENT`` of our 4-gram
shingles are in the candidate) and the candidate is at least ``LONGER`` times as long,
or when pruning removed more than half of the page's prose (ours cannot hold the story
then), provided the candidate is not mostly link text. No rule names a site.

**Recovery.** A page whose cleaned body comes out under the minimum length would be
rejected as too short; before that, the page's independent candidates are asked
(``recovers``): trafilatura's full pass on a fresh parse and the JSON-LD ``articleBody``.
One that holds the minimum, ``RECOVER_LONGER`` times our words, ``RECOVER_MIN_PROSE``
paragraphs of prose and not mostly link text replaces the body, which the page-kind rules
then judge as any other (a listing recovered this way is still rejected as a listing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from newsdedup.pipeline.extract.metrics import shingles
from newsdedup.pipeline.extract.text import length_in_words, prose_paragraphs

__all__ = ["Verdict", "doubt", "prefer_candidate", "recovers"]

#: Doubt our body when it has less than this share of the page's prose characters...
DOUBT_PROSE_SHARE = 0.8
#: ...or when pruning removed more than this share of them.
DOUBT_PRUNED_SHARE = 0.3
#: ...or when it has less than this share of the page's long text runs (any tag).
DOUBT_LONG_TEXT_SHARE = 0.5
#: Pruning that removed more than this share of the prose took the story with it.
LOST_PRUNED_SHARE = 0.5
#: Share of our shingles the candidate must contain to count as "the same story, longer".
AGREEMENT = 0.7
#: How much longer (characters) the candidate must be to replace ours.
LONGER = 2.0
#: Past this much prose (a book-length dump, not an article) the second opinion is not
#: asked: a second parse and full pass would only double a long extraction's time.
MAX_PROSE_CHARS = 300_000
#: A candidate whose words are mostly the page's link text is a menu or teaser list.
MAX_CANDIDATE_LINK_SHARE = 0.5
#: A too-short body is recovered only by a candidate with this many prose paragraphs
#: (``text.PROSE_WORDS`` words or more)...
RECOVER_MIN_PROSE = 2
#: ...and at least this many times our words.
RECOVER_LONGER = 2.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why the candidate replaces our body (``reason``), with the figures that decided."""

    reason: str
    ours_chars: int
    candidate_chars: int
    agreement: float


def doubt(body_chars: int, prose_before: int, prose_after: int, long_text: int = 0) -> str | None:
    """Why our body of ``body_chars`` characters is in doubt, or None when it is trusted.

    ``prose_before`` and ``prose_after`` are the page's prose characters before and after
    pruning; ``long_text`` the characters of its long text runs before pruning (any tag).
    """
    if max(prose_before, long_text) > MAX_PROSE_CHARS:
        return None
    if prose_before > 0 and body_chars < DOUBT_PROSE_SHARE * prose_before:
        return "low text share"
    if prose_before > 0 and prose_after < (1 - DOUBT_PRUNED_SHARE) * prose_before:
        return "pruning removed prose"
    # Only where most of the long text is outside <p> (else the prose signals above judge).
    if prose_before < DOUBT_LONG_TEXT_SHARE * long_text and body_chars < DOUBT_LONG_TEXT_SHARE * long_text:
        return "low share of long text"
    return None


def containment(part: str, whole: str) -> float:
    """Share of ``part``'s token 4-grams (with multiplicity) that ``whole`` also has."""
    mine = shingles(part)
    total = sum(mine.values())
    if total == 0:
        return 0.0
    shared: Counter[tuple[str, ...]] = mine & shingles(whole)
    return sum(shared.values()) / total


def prefer_candidate(
    ours: str, candidate: str, *, prose_before: int, prose_after: int, candidate_link_share: float,
) -> Verdict | None:
    """A verdict for the candidate when it should replace ``ours``, else None."""
    if not candidate or candidate_link_share > MAX_CANDIDATE_LINK_SHARE:
        return None
    agreement = containment(ours, candidate) if ours else 1.0
    if prose_before > 0 and prose_after < LOST_PRUNED_SHARE * prose_before and len(candidate) > len(ours):
        return Verdict("pruning removed most prose", len(ours), len(candidate), agreement)
    if len(candidate) >= LONGER * len(ours) and agreement >= AGREEMENT:
        return Verdict("candidate holds ours and more", len(ours), len(candidate), agreement)
    return None


def recovers(ours_words: int, candidate: list[str], *, min_words: int, link_share: float) -> str | None:
    """Why ``candidate`` (paragraphs, cleaned) should replace a body of ``ours_words``
    words that is too short to keep, or None when it should not."""
    words = length_in_words("\n".join(candidate))
    if words < max(min_words, RECOVER_LONGER * ours_words) or link_share > MAX_CANDIDATE_LINK_SHARE:
        return None
    prose = len(prose_paragraphs(candidate))
    if prose < RECOVER_MIN_PROSE:
        return None
    return f"{ours_words} words recovered to {words} ({prose} paragraphs of prose)"
