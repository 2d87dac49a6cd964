"""MENA Feed's template: a newswire portal with JSON-LD (no body) and a legal disclaimer."""

from __future__ import annotations

from html import escape

from newsweb import chrome
from newsweb.model import Outlet
from newsweb.templates.base import ArticleView, ListingView, Template, iso, json_ld

__all__ = ["ERROR_BANNER", "MenafeedTemplate"]

#: The banner of the 403 page that still carries a story (seed 000's first lines).
ERROR_BANNER = (
    "Sorry!!",
    "Error! We're sorry, but the page you were looking for doesn't exist.",
)

_DISCLAIMER = (
    "Legal Disclaimer: MENA Feed provides the information \u201cas is\u201d without warranty of "
    "any kind. We do not accept any responsibility or liability for the accuracy, content, "
    "images, videos, licenses, completeness, legality, or reliability of the information "
    "contained in this article. If you have any complaints or copyright issues related to "
    "this article, kindly contact the provider above."
)
_TICKER = (("Brent", "68.41", "+0.52%"), ("Gold", "2,384.10", "-0.18%"),
           ("TASI", "11,902.3", "+0.31%"), ("DFMGI", "5,411.7", "-0.07%"))


class MenafeedTemplate(Template):
    """Market ticker, category bar, date as "Thursday, August 7, 2025", JSON-LD without
    articleBody, a "Most Read" list and a legal disclaimer after every story."""

    name = "menafeed"

    def _head(self, outlet: Outlet, title: str, extra: str = "") -> str:
        return (
            '<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=utf-8">'
            f"<title>{escape(title)}</title>{extra}</head>"
        )

    def _top(self, outlet: Outlet) -> str:
        ticker = "".join(
            f'<li><span class="sym">{name}</span> <span class="px">{price}</span> '
            f'<span class="chg">{change}</span></li>'
            for name, price, change in _TICKER
        )
        return (
            chrome.cookie_banner(outlet.name, "/Privacy")
            + f'<div id="ticker"><ul>{ticker}</ul></div>'
            + f'<div id="header"><a href="/" id="logo">{escape(outlet.name)}</a>'
            '<span class="tagline">The Middle East and North Africa Financial Network</span>'
            '<ul id="cats"><li><a href="/latest">Latest</a></li><li><a href="/latest?cat=business">'
            'Business</a></li><li><a href="/latest?cat=energy">Energy</a></li>'
            '<li><a href="/latest?cat=markets">Markets</a></li></ul></div>'
        )

    def _footer(self, outlet: Outlet) -> str:
        return (
            f'<div id="footer"><p>\u00a9 2000\u20132025 {escape(outlet.name)}. All Rights Reserved.</p>'
            '<a href="/Contact">Contact Us</a> | <a href="/Privacy">Privacy Policy</a></div>'
        )

    def _story(self, view: ArticleView, *, with_banner: bool) -> str:
        truth, outlet, entry = view.truth, view.outlet, view.entry
        when = truth.published_at
        head_extra = (
            f'<link rel="canonical" href="{escape(truth.canonical_url)}">'
            f'<meta property="og:title" content="{escape(truth.title)}">'
            + json_ld(truth, outlet, with_body=False)
            + entry.extra_head
        )
        banner = (
            '<div class="alert alert-danger"><h2>' + escape(ERROR_BANNER[0]) + "</h2><p>"
            + escape(ERROR_BANNER[1]) + "</p></div>" if with_banner else ""
        )
        return (
            self._head(outlet, f"{truth.title} | {outlet.name}", head_extra)
            + '<body id="news-page">' + self._top(outlet)
            + '<div id="main"><div id="newsBody">' + banner
            + f'<h1 class="title">{escape(truth.title)}</h1>'
            + f'<div class="date" data-iso="{iso(when)}">{when:%A}, {when:%B} {when.day}, {when:%Y}</div>'
            + f'<div class="source">Source: {escape(", ".join(truth.authors))}</div>'
            + '<div class="article-body">'
            + self.body(view, teaser_label="Read Also:", teaser_after=4)
            + "</div>"
            + f'<div class="disclaimer"><p>{escape(_DISCLAIMER)}</p></div>'
            + chrome.share_bar(truth.canonical_url, truth.title, "Share")
            + "</div>"
            + '<div id="sidebar">'
            + chrome.link_list("Most Read", view.popular, "most-read", numbered=True)
            + chrome.link_list("Related Stories", view.related, "related")
            + chrome.newsletter_box(outlet.name, "Daily business headlines from the Gulf and beyond.")
            + "</div></div>"
            + self._footer(outlet) + "</body></html>"
        )

    def article(self, view: ArticleView) -> str:
        return self._story(view, with_banner=False)

    def error_with_article(self, view: ArticleView) -> str:
        return self._story(view, with_banner=True)

    def listing(self, view: ListingView) -> str:
        outlet = view.outlet
        rows = "".join(
            f'<tr><td class="headline"><a href="{escape(link.url)}">{escape(link.title)}</a></td>'
            + (f'<td class="when">{link.published_at:%m/%d/%Y %I:%M:%S %p}</td>'
               if link.published_at else "<td></td>")
            + "</tr>"
            for link in view.items
        )
        return (
            self._head(outlet, f"{view.heading} | {outlet.name}", self.head_links(view))
            + '<body id="list-page">' + self._top(outlet)
            + f'<div id="main"><h1>{escape(view.heading)}</h1><table class="news-list">{rows}</table>'
            + self.pagination(view, previous="\u00ab Prev", following="Next \u00bb")
            + chrome.link_list("Most Read", view.sidebar, "most-read", numbered=True)
            + "</div>" + self._footer(outlet) + "</body></html>"
        )

    def not_found(self, outlet: Outlet) -> str:
        return (
            self._head(outlet, f"Page Not Found | {outlet.name}")
            + '<body id="error-page">' + self._top(outlet)
            + '<div id="main"><div class="alert alert-danger"><h2>' + escape(ERROR_BANNER[0])
            + "</h2><p>" + escape(ERROR_BANNER[1]) + "</p></div>"
            + '<p><a href="/latest">Browse the latest news</a></p></div>'
            + self._footer(outlet) + "</body></html>"
        )
