"""``extract:`` settings and the per-source ``selectors:`` override."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from newsdedup.core.config.base import Section

__all__ = ["ExtractConfig", "SelectorsConfig"]


def _check_css(selector: str) -> str:
    # The extractor matches selectors with soupsieve (pipeline.extract.select), so
    # :has() and :-soup-contains() are valid here.
    import soupsieve

    try:
        soupsieve.compile(selector)
    except (soupsieve.SelectorSyntaxError, NotImplementedError) as exc:  # pseudo-elements
        reason = str(exc).splitlines()[0]
        raise ValueError(f"invalid CSS selector {selector!r}: {reason}") from None
    return selector


class SelectorsConfig(Section):
    """CSS selectors that override the generic heuristics for one site."""

    body: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    remove: tuple[str, ...] = ()

    @field_validator("body", "title", "date", "author")
    @classmethod
    def _css(cls, value: str | None) -> str | None:
        return None if value is None else _check_css(value)

    @field_validator("remove")
    @classmethod
    def _css_list(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_css(item) for item in value)


class ExtractConfig(Section):
    """How pages become articles."""

    min_words: Annotated[int, Field(ge=0)] = 40
