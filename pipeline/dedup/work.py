"""One article's way through a dedup batch: what each step found out about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdedup.pipeline.dedup.paragraphs import Verdict
from newsdedup.pipeline.dedup.sketch import DocumentSketch, ParagraphSketch
from newsdedup.pipeline.dedup.templates import TemplateResult
from newsdedup.storage.dedup import PendingArticle, StoredParagraph

__all__ = ["Work"]


@dataclass(slots=True)
class Work:
    """Filled in step by step: paragraph sketches and their band keys, in-article
    verdicts, template result (final fates), clean body, document sketch, LSH keys
    (None when the body is too short to be matched)."""

    article: PendingArticle
    paragraphs: Sequence[StoredParagraph]
    day: int
    sketches: list[ParagraphSketch] = field(default_factory=list)
    paragraph_keys: list[list[int]] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    result: TemplateResult | None = None
    body: list[str] = field(default_factory=list)
    document: DocumentSketch | None = None
    keys: list[int] | None = None
    #: the outlet the body credits as the original (``newsdedup.pipeline.dedup.origin``)
    credited_to: str | None = None

    @property
    def id(self) -> int:
        return self.article.id

    @property
    def source_id(self) -> int:
        return self.article.source_id
