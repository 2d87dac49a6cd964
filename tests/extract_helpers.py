"""Pages built in code for the extractor's unit tests."""

from __future__ import annotations

from collections.abc import Callable

from newsdedup.core.records import FetchedPage

PROSE = (
    "The council met on Tuesday to discuss the budget for next year and agreed on new "
    "spending for schools, roads and the harbour, after a debate that lasted six hours."
)

PageFactory = Callable[..., FetchedPage]


def html_page(body: str, head: str = "", lang: str = "en") -> str:
    """A minimal document around ``body``."""
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def article_html(paragraphs: int = 5, head: str = "", title: str = "Council agrees budget") -> str:
    ps = "".join(f"<p>{PROSE} ({i})</p>" for i in range(paragraphs))
    return html_page(f"<article><h1>{title}</h1><div class='article-body'>{ps}</div></article>", head)
