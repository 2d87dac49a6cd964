"""``dedup:`` knobs of the paragraph and syndication stages."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from newsdedup.config.base import Section

__all__ = ["DedupConfig"]

Ratio = Annotated[float, Field(gt=0, le=1)]


class DedupConfig(Section):
    """Paragraph repeats, source templates and syndication clusters."""

    shingle_size: Annotated[int, Field(ge=1, le=10)] = 5
    num_perm: Annotated[int, Field(ge=16, le=1024)] = 128
    threshold: Ratio = 0.5
    paragraph_threshold: Ratio = 0.8
    template_min_articles: Annotated[int, Field(ge=2)] = 3
    date_window_days: Annotated[int, Field(ge=0)] = 14
    source_priority: tuple[str, ...] = ()
