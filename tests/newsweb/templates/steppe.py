"""Steppe Wire's template: a state-broadcaster style site with meta tags only, no JSON-LD."""

from __future__ import annotations

from html import escape

from newsweb import chrome
from newsweb.model import Outlet
from newsweb.templates.base import ArticleView, ListingView, Template, iso

__all__ = ["SteppeTemplate"]

# The sprite whose <title>s leak as "icon bookmark icon camera ..." into naive text.
_SPRITE = (
    "bookmark", "camera", "check", "chevron-down", "chevron-left", "chevron-right", "close",
    "download", "facebook", "mail", "play", "pause", "search", "telegram", "x",
)
_SECTIONS = (("World", "/news"), ("Russia", "/russia"), ("Business", "/business"),
             ("Sport", "/sport"), ("Podcasts", "/podcasts"))
_COMMENT_POLICY = (
    "Please keep the discussion civil. Comments that contain insults or calls to "
    "violence will be removed by moderators."
)


class SteppeTemplate(Template):
    """Icon sprite, ticker, summary under the title, date as "10 Jun, 2025 19:34",
    podcast players with timers, comments with a policy note. Dates in meta tags."""

    name = "steppe"

    def _head(self, outlet: Outlet, title: str, extra: str = "") -> str:
        return (
            f'<!DOCTYPE html><html lang="en" prefix="og: https://ogp.me/ns#"><head>'
            f'<meta charset="utf-8"><title>{escape(title)} \u2014 {escape(outlet.name)}</title>'
            '<meta name="viewport" content="width=device-width">'
            f'<link rel="alternate" type="application/atom+xml" href="/feeds/all.atom">{extra}</head>'
        )

    def _top(self, outlet: Outlet) -> str:
        sections = "".join(f'<a class="nav-item" href="{href}">{escape(label)}</a>'
                           for label, href in _SECTIONS)
        return (
            chrome.icon_sprite(_SPRITE)
            + f'<header class="header"><a class="header__logo" href="/">{escape(outlet.name)}</a>'
            f'<nav class="header__nav">{sections}</nav>'
            f'<a class="header__live" href="/live">{chrome.icon("play", "Live")} Live</a></header>'
            '<div class="ticker"><span class="ticker__label">Trending</span>'
            '<a href="/tags/prisoner-exchange">Prisoner exchange</a> <a href="/tags/istanbul-talks">'
            "Istanbul talks</a> <a href=\"/tags/energy\">Energy</a></div>"
        )

    def _footer(self, outlet: Outlet) -> str:
        return (
            f'<footer class="footer"><p>\u00a9 Autonomous Nonprofit Organization \u201c{escape(outlet.name)}\u201d, 2005\u20132025. '
            "All rights reserved. This website contains materials that may not be suitable "
            'for readers under 16.</p><a href="/about">About us</a> <a href="/terms">Terms of use</a></footer>'
        )

    def article(self, view: ArticleView) -> str:
        truth, outlet, entry = view.truth, view.outlet, view.entry
        when = truth.published_at
        head_extra = (
            f'<link rel="canonical" href="{escape(truth.canonical_url)}">'
            f'<meta property="og:title" content="{escape(truth.title)}">'
            f'<meta property="og:url" content="{escape(truth.canonical_url)}">'
            '<meta property="og:type" content="article">'
            f'<meta property="og:site_name" content="{escape(outlet.name)}">'
            f'<meta property="article:published_time" content="{iso(when)}">'
            + (f'<meta property="article:modified_time" content="{iso(truth.modified_at)}">'
               if truth.modified_at else "")
            + "".join(f'<meta name="author" content="{escape(a)}">' for a in truth.authors)
            + (f'<meta name="description" content="{escape(truth.lead)}">' if truth.lead else "")
            + entry.extra_head
        )
        lead = f'<div class="article__summary summary">{escape(truth.lead)}</div>' if truth.lead else ""
        caption = (
            f'<div class="media"><img src="/static/{entry.path.rsplit("/", 1)[-1]}.jpg" alt="">'
            f'<div class="media__footer">{escape(entry.caption)} \u00a9 Global Look Press</div></div>'
            if entry.caption else ""
        )
        podcast = chrome.podcast_player("Podcasts", (entry.podcast, ("Crosstalk: the week", "15:36"))) \
            if entry.podcast else ""
        return (
            self._head(outlet, truth.title, head_extra)
            + '<body class="article-page">' + self._top(outlet)
            + '<main class="layout"><div class="article">'
            + f'<div class="article__date"><span class="date">{when.day:02d} {when:%b}, {when:%Y} {when:%H:%M}</span></div>'
            + f'<h1 class="article__heading">{escape(truth.title)}</h1>'
            + lead + caption
            + '<div class="article__share">'
            + "".join(chrome.icon(name, f"icon {name}") for name, _ in chrome.SHARE_ICONS)
            + "</div>"
            + '<div class="article__text text">'
            + self.body(view, teaser_label="READ MORE:", teaser_after=2)
            + "</div>"
            + chrome.tag_list(truth.tags, "/tags/", "Tags")
            + chrome.comments(entry.comments, "Comments", _COMMENT_POLICY)
            + podcast
            + "</div>"
            + '<aside class="layout__aside">'
            + chrome.link_list("Most read", view.popular, "most-read")
            + chrome.link_list("You may also like", view.related, "also-like")
            + "</aside></main>"
            + self._footer(outlet) + "</body></html>"
        )

    def listing(self, view: ListingView) -> str:
        outlet = view.outlet
        cards = "".join(
            f'<div class="card"><a class="card__link" href="{escape(link.url)}">'
            f'<strong class="card__heading">{escape(link.title)}</strong></a>'
            + (f'<span class="card__date">{link.published_at:%d %b, %Y %H:%M}</span>'
               if link.published_at else "")
            + (f'<div class="card__summary">{escape(link.summary)}</div>' if link.summary else "")
            + "</div>"
            for link in view.items
        )
        return (
            self._head(outlet, view.heading, self.head_links(view))
            + '<body class="listing-page">' + self._top(outlet)
            + f'<main class="layout"><h1 class="listing__heading">{escape(view.heading)}</h1>'
            + f'<div class="listing">{cards}</div>'
            + self.pagination(view, previous="\u2190 Back", following="More news \u2192")
            + chrome.link_list("Most read", view.sidebar, "most-read")
            + "</main>" + self._footer(outlet) + "</body></html>"
        )

    def not_found(self, outlet: Outlet) -> str:
        return (
            self._head(outlet, "404 \u2014 page not found")
            + '<body class="error-page">' + self._top(outlet)
            + '<main class="layout"><div class="error"><h1>404</h1>'
            "<p>The page you requested was not found. It may have been removed, or the "
            'address may be wrong.</p><a href="/">Go to the main page</a></div></main>'
            + self._footer(outlet) + "</body></html>"
        )
