"""Is new text under a stored URL the same story? The check that keeps two stories apart.

A page fetched again under a canonical URL already stored may carry an edit of that
story (a revision) or a different story (a CMS that reuses URLs, a misleading
rel=canonical, a query parameter wrongly taken for tracking). :class:`SameStoryCheck`
decides from the title, the lead and a MinHash estimate of the bodies' Jaccard
similarity. The thresholds were measured with ``bench/same_story.py`` on the fixture
web (docs/benchmarks.md): edits of one story stay well above them, different stories
of one outlet well below.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from newsdedup.core.normalise import key, words
from newsdedup.core.records import Article
from newsdedup.pipeline.dedup.minhash import MinHasher, jaccard
from newsdedup.pipeline.dedup.shingles import hash_words, shingle_sets
from newsdedup.storage.articles import StoredStory

__all__ = ["SameStoryCheck", "Similarity"]

#: Body similarity (estimated Jaccard of word 3-shingles) at or above which new text
#: is the same story, whatever its title. Measured (bench/same_story.py): different
#: stories reach 0.20 at most, edits short of a rewrite of half the body 0.31 at least.
TEXT_THRESHOLD = 0.25
#: Title (or lead) word-set Jaccard at or above which the text is the same story, when
#: both have at least ``_MIN_TITLE_WORDS`` words and the bodies still share at least
#: ``TITLE_TEXT_FLOOR``: a heavy rewrite keeps its headline, but two stories of one
#: outlet may share most of a headline pattern (up to 0.82 measured) and nothing else.
TITLE_THRESHOLD = 0.6
TITLE_TEXT_FLOOR = 0.2
_MIN_TITLE_WORDS = 3
_SHINGLE_SIZE = 3
_NUM_PERM = 128


@dataclass(frozen=True, slots=True)
class Similarity:
    """How alike stored and new text are: ``text`` the MinHash estimate, ``title`` and
    ``lead`` word-set Jaccard (None when either side has none)."""

    text: float
    title: float | None
    lead: float | None

    def same_story(self) -> bool:
        if self.text >= TEXT_THRESHOLD:
            return True
        headline = max(self.title or 0.0, self.lead or 0.0)
        return headline >= TITLE_THRESHOLD and self.text >= TITLE_TEXT_FLOOR


def _word_jaccard(first: str | None, second: str | None) -> float | None:
    a, b = set(words(first or "")), set(words(second or ""))
    if len(a) < _MIN_TITLE_WORDS or len(b) < _MIN_TITLE_WORDS:
        return None
    return len(a & b) / len(a | b)


class SameStoryCheck:
    """Callable as :data:`newsdedup.storage.articles.SameStory`; ``stats`` counts its verdicts
    (``identity/same_story``, ``identity/different_story``)."""

    name = "identity"

    def __init__(self) -> None:
        self.hasher = MinHasher(_NUM_PERM)
        self.stats: collections.Counter[str] = collections.Counter()

    def similarity(self, stored: StoredStory, article: Article) -> Similarity:
        hashes = hash_words([key(stored.text), key(article.text)])
        sets = shingle_sets(hashes, _SHINGLE_SIZE)
        signatures = self.hasher.signatures(sets)
        return Similarity(
            text=jaccard(signatures[0], signatures[1]),
            title=_word_jaccard(stored.title, article.title),
            lead=_word_jaccard(stored.lead, article.lead),
        )

    def __call__(self, stored: StoredStory, article: Article) -> bool:
        same = self.similarity(stored, article).same_story()
        self.stats[f"{self.name}/{'same_story' if same else 'different_story'}"] += 1
        return same
