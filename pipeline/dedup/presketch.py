"""Paragraph sketches made ahead, where the article is extracted, for the dedup stage to reuse.

Sketching an article's paragraphs (keys, fingerprints, MinHash signatures) and finding
its in-article repeats is pure computation on its title and paragraph texts. An
extraction worker does it right after extracting the article (:func:`sketch_article`),
so the run's own process, which alone writes to the database, does not. The run keeps
what comes back in a :class:`SketchCache`; the dedup stage takes an article's sketches
from it when the stored title and paragraphs are the ones sketched (compared by a digest
of their texts) and computes them itself otherwise. Both ways give the same sketches:
each paragraph's depends on its own text only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from newsdedup.core.config import DedupConfig
from newsdedup.core.normalise import key
from newsdedup.pipeline.dedup.paragraphs import Verdict, article_repeats
from newsdedup.pipeline.dedup.sketch import ParagraphSketch, Sketcher

__all__ = ["ArticleSketch", "SketchCache", "article_digest", "in_article_verdicts", "sketch_article"]

#: Paragraphs a cache holds at most (about 0.7 KB each): past that, new sketches are
#: dropped and the dedup stage computes those articles' itself.
MAX_CACHED_PARAGRAPHS = 100_000


@dataclass(frozen=True, slots=True)
class ArticleSketch:
    """An article's paragraph sketches and in-article verdicts, by the digest of its texts."""

    digest: bytes
    sketches: tuple[ParagraphSketch, ...]
    verdicts: tuple[Verdict, ...]


def article_digest(title: str | None, paragraphs: Sequence[str]) -> bytes:
    """A digest of an article's title and paragraph texts (each length-prefixed)."""
    digest = hashlib.blake2b(digest_size=20)
    for text in (title or "", *paragraphs):
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def in_article_verdicts(config: DedupConfig, sketches: Sequence[ParagraphSketch],
                        title: str | None) -> list[Verdict]:
    """The in-article fate of each sketched paragraph, as the dedup stage decides it."""
    return article_repeats(sketches, key(title) if title else None,
                           near_threshold=config.paragraph_threshold,
                           truncated_min_words=config.truncated_min_words)


def sketch_article(sketcher: Sketcher, title: str | None, paragraphs: Sequence[str]) -> ArticleSketch:
    """Sketch one article's paragraphs and find its in-article repeats."""
    sketches = sketcher.paragraphs_of(paragraphs)
    verdicts = in_article_verdicts(sketcher.config, sketches, title)
    return ArticleSketch(article_digest(title, paragraphs), tuple(sketches), tuple(verdicts))


class SketchCache:
    """Sketches made ahead, waiting for the dedup stage (one run's; in memory).

    ``hits`` and ``misses`` count :meth:`take` calls that found a sketch and that did not.
    """

    def __init__(self, max_paragraphs: int = MAX_CACHED_PARAGRAPHS) -> None:
        self.max_paragraphs = max_paragraphs
        self.hits = 0
        self.misses = 0
        self._held: dict[bytes, tuple[ArticleSketch, int]] = {}
        self._paragraphs = 0

    def __len__(self) -> int:
        return len(self._held)

    def add(self, sketch: ArticleSketch) -> None:
        """Keep ``sketch`` (once per article it was made for), unless the cache is full."""
        held = self._held.get(sketch.digest)
        if held is not None:
            self._held[sketch.digest] = (held[0], held[1] + 1)
            return
        if self._paragraphs + len(sketch.sketches) > self.max_paragraphs:
            return
        self._held[sketch.digest] = (sketch, 1)
        self._paragraphs += len(sketch.sketches)

    def take(self, title: str | None, paragraphs: Sequence[str]) -> ArticleSketch | None:
        """The sketch made for exactly this title and these paragraphs, if any (given
        out as many times as it was added)."""
        digest = article_digest(title, paragraphs)
        held = self._held.get(digest)
        if held is None:
            self.misses += 1
            return None
        self.hits += 1
        sketch, count = held
        if count > 1:
            self._held[digest] = (sketch, count - 1)
        else:
            del self._held[digest]
            self._paragraphs -= len(sketch.sketches)
        return sketch
