"""How much of a story each syndicated member tells, and how much frame it adds.

A copy is made from the original by framing it (an outlet's header and footer, an
editor's note, a teaser pointing to the full story, "read more" and advertisement
inserts) and often by cutting its end; the original is the fullest, least framed text.
:class:`StoryText` holds one clean body (template and repeated paragraphs already
removed by the dedup stage) as paragraphs of word 3-gram hashes, built when first
compared: most articles never join a cluster. A paragraph of one member is *covered* by
another when most of its 3-grams occur anywhere in the other (so light word edits and
reordered paragraphs still match).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdedup.pipeline.extract.chrome import frame_rule

__all__ = ["Paragraph", "StoryText", "is_frame", "unique_frames", "unique_story_words"]

_WORD = re.compile(r"\w+")
_SHINGLE = 3
# A paragraph is covered by another body when this share of its 3-grams occurs in it.
_COVERED = 0.5
# Paragraphs of fewer words (headlines, datelines, short inserts) are not story text.
_MIN_STORY_WORDS = 8
# Frame paragraphs are short; a long paragraph that mentions a newsletter is reporting.
_MAX_FRAME_WORDS = 60

def is_frame(text: str) -> bool:
    """Whether a paragraph is an outlet's frame around a story, not story text: a line
    of the extractor's chrome catalogue or a note or teaser it keeps (its frame rules)."""
    if len(text.split()) > _MAX_FRAME_WORDS:
        return False
    return frame_rule(text.strip()) is not None


@dataclass(frozen=True, slots=True)
class Paragraph:
    shingles: frozenset[int]
    words: int
    frame: bool

    @property
    def story(self) -> bool:
        return not self.frame and self.words >= _MIN_STORY_WORDS


def _paragraph(text: str) -> Paragraph:
    words = _WORD.findall(text.casefold())
    if len(words) < _SHINGLE:
        shingles = frozenset((hash(tuple(words)),)) if words else frozenset()
    else:
        shingles = frozenset(hash(tuple(words[i:i + _SHINGLE])) for i in range(len(words) - _SHINGLE + 1))
    return Paragraph(shingles, len(words), is_frame(text))


class StoryText:
    """One clean body, its paragraphs hashed on first use."""

    __slots__ = ("_paragraphs", "_texts", "_union", "templated", "title")

    def __init__(self, paragraphs: Sequence[str], *, templated: int = 0,
                 title: str | None = None) -> None:
        self._texts = paragraphs
        #: paragraphs the dedup stage removed as templates of the article's source
        self.templated = templated
        self.title = tuple(_WORD.findall(title.casefold())) if title else ()
        self._paragraphs: list[Paragraph] | None = None
        self._union: frozenset[int] | None = None

    @classmethod
    def of_text(cls, text: str | None, templated: int = 0, title: str | None = None) -> StoryText:
        """A stored clean text (paragraphs separated by blank lines)."""
        return cls([p for p in (text or "").split("\n\n") if p.strip()], templated=templated,
                   title=title)

    @property
    def paragraphs(self) -> list[Paragraph]:
        if self._paragraphs is None:
            self._paragraphs = [_paragraph(text) for text in self._texts]
        return self._paragraphs

    @property
    def shingles(self) -> frozenset[int]:
        if self._union is None:
            self._union = frozenset().union(*(p.shingles for p in self.paragraphs))
        return self._union

    def story_words(self) -> int:
        return sum(p.words for p in self.paragraphs if p.story)


def _covered(paragraph: Paragraph, other: StoryText) -> bool:
    if not paragraph.shingles:
        return True
    shared = len(paragraph.shingles & other.shingles)
    return shared >= _COVERED * len(paragraph.shingles)


def unique_story_words(mine: StoryText, other: StoryText) -> int:
    """Words of ``mine``'s story paragraphs that ``other`` does not tell."""
    return sum(p.words for p in mine.paragraphs if p.story and not _covered(p, other))


def _wraps(mine: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether title ``mine`` is title ``other`` with words added around it (a kicker
    such as "Analysis:", an outlet's name after a bar)."""
    size = len(other)
    return 0 < size < len(mine) and any(
        mine[start:start + size] == other for start in range(len(mine) - size + 1)
    )


def unique_frames(mine: StoryText, other: StoryText) -> int:
    """The frame ``mine`` has and ``other`` lacks: frame paragraphs, the template
    paragraphs of its source (an outlet's header and footer), words wrapped around the
    other's title."""
    return (mine.templated + _wraps(mine.title, other.title)
            + sum(1 for p in mine.paragraphs if p.frame and not _covered(p, other)))
