"""Pages built in code for the extractor's tests, and story pages for tests that serve them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from newsdedup.core.records import FetchedPage

PROSE = (
    "The council met on Tuesday to discuss the budget for next year and agreed on new "
    "spending for schools, roads and the harbour, after a debate that lasted six hours."
)

#: The stories of :func:`story_page`, one a story number: (headline, what happened).
STORIES = (
    ("Council backs the northern tram line",
     "the city council voted on Thursday to build the northern tram line, work starting in the spring"),
    ("Harbour opens a new ferry terminal",
     "the harbour authority opened a new ferry terminal for passengers and freight"),
    ("Valley farmers bring in the best harvest in a decade",
     "farmers in the northern valley reported the best wheat harvest in a decade"),
    ("Orchestra plans a winter of free concerts",
     "the city orchestra announced a winter season of free concerts in the parks"),
    ("Airport tram line passes its tests",
     "engineers finished testing the tram line that will link the airport and centre"),
)

PageFactory = Callable[..., FetchedPage]


def html_page(body: str, head: str = "", lang: str = "en") -> str:
    """A minimal document around ``body``."""
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def article_html(paragraphs: int = 5, head: str = "", title: str = "Council agrees budget",
                 prose: str = PROSE) -> str:
    ps = "".join(f"<p>{prose} ({i})</p>" for i in range(paragraphs))
    return html_page(f"<article><h1>{title}</h1><div class='article-body'>{ps}</div></article>", head)


def story_page(n: int, published: datetime | None = None) -> bytes:
    """Story ``n`` of :data:`STORIES` as a news site serves it (UTF-8, English): dated
    ``published`` (default now), marked up as an article, eight paragraphs of prose, far
    above the too_short limit. Stories of different numbers are different stories, which
    dedup does not merge."""
    headline, what = STORIES[n]
    when = (published or datetime.now(UTC)).isoformat()
    head = (f"<title>{headline}</title><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='{when}'>")
    prose = (f"Officials said on Monday that {what}, and the report gives further detail "
             "about the story, its costs and the people involved.")
    return article_html(8, head, headline, prose).encode()
