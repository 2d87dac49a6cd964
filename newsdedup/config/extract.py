"""``extract:`` settings and the per-source ``selectors:`` override."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from newsdedup.config.base import Section

__all__ = ["ExtractConfig", "SelectorsConfig"]


def _check_css(selector: str) -> str:
    # cssselect comes with Scrapy (through parsel); it is what lxml uses for CSS.
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from None
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
