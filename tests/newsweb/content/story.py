"""The ``Story`` record: one piece of journalism before any outlet wraps it in a page."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HEADING", "Story"]

#: A paragraph starting with this marker is a sub-heading.
HEADING = "## "


@dataclass(frozen=True, slots=True)
class Story:
    """A story's text. ``paragraphs`` hold sub-headings as ``"## Heading"``; ``lead`` is
    the standfirst an outlet may print under the title; ``revised`` is the body after a
    later update (same URL, changed text), when the story has one."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    lead: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = "en"
    revised: tuple[str, ...] | None = None
