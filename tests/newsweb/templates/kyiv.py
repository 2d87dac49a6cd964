"""Kyiv Daily's template: an independent English-language outlet with JSON-LD and a body."""

from __future__ import annotations

from html import escape

from newsweb import chrome
from newsweb.content.textgen import slugify
from newsweb.model import Outlet
from newsweb.templates.base import ArticleView, ListingView, Template, iso, json_ld

__all__ = ["KyivTemplate"]

_NAV = (("News", "/news"), ("War", "/tag/war"), ("Prisoner exchange", "/tag/prisoner-exchange"),
        ("Business", "/tag/business"), ("Opinion", "/tag/opinion"), ("Podcasts", "/tag/podcasts"))


def _date(moment_text: str, iso_text: str) -> str:
    return f'<time class="published" datetime="{iso_text}">{escape(moment_text)}</time>'


class KyivTemplate(Template):
    """Cookie banner, membership bar, tag line above the title, byline with read time,
    share bars, figure, "Read also" teaser, newsletter box, author bio, donation appeal,
    most-popular and related lists. Dates and body in JSON-LD."""

    name = "kyiv"

    def _head(self, outlet: Outlet, title: str, extra: str = "") -> str:
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="alternate" type="application/rss+xml" title="{escape(outlet.name)}" href="/feed/rss.xml">'
            f'<link rel="icon" href="/favicon.ico">{extra}</head>'
        )

    def _header(self, outlet: Outlet) -> str:
        nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for label, href in _NAV)
        return (
            chrome.cookie_banner(outlet.name)
            + '<div class="membership-bar">Support independent journalism from Ukraine. '
            '<a href="/membership">Become a member</a></div>'
            f'<header class="site-header"><a class="logo" href="/">{escape(outlet.name)}</a>'
            f'<nav class="main-nav"><ul>{nav}</ul></nav>'
            f'<button class="search">{chrome.icon("search", "Search")}</button>'
            f'<button class="menu">{chrome.icon("menu", "Menu")}</button></header>'
        )

    def _footer(self, outlet: Outlet) -> str:
        return (
            '<footer class="site-footer"><ul><li><a href="/about">About us</a></li>'
            '<li><a href="/contacts">Contacts</a></li><li><a href="/privacy">Privacy policy</a></li>'
            '<li><a href="/ethics">Editorial standards</a></li></ul>'
            f"<p>\u00a9 2016\u20132025 {escape(outlet.name)}. All rights reserved. Reproduction of our "
            "materials is allowed only with a hyperlink to the original.</p></footer>"
        )

    def article(self, view: ArticleView) -> str:
        truth, outlet, entry = view.truth, view.outlet, view.entry
        image = f"{outlet.base_url}/images/{entry.path.rsplit('/', 1)[-1]}.jpg"
        head_extra = (
            f'<link rel="canonical" href="{escape(truth.canonical_url)}">'
            + (f'<link rel="amphtml" href="{escape(truth.canonical_url)}/amp">' if entry.has_amp else "")
            + f'<meta property="og:title" content="{escape(truth.title)}">'
            '<meta property="og:type" content="article">'
            f'<meta property="og:image" content="{image}">'
            f'<meta name="description" content="{escape(truth.clean[0][:150])}">'
            + json_ld(truth, outlet, with_body=True, image=image)
            + entry.extra_head
        )
        authors = " and ".join(
            f'<a class="author" href="/author/{slugify(a, max_words=6)}">{escape(a)}</a>'
            for a in truth.authors
        )
        when = truth.published_at
        date_text = f"{when:%B} {when.day}, {when:%Y} {when.hour % 12 or 12}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"
        words = sum(len(p.split()) for p in truth.body)
        figure = chrome.figure(image, entry.caption, "Kyiv Daily") if entry.caption else ""
        box = chrome.newsletter_box(outlet.name, "The day's most important news from Ukraine, "
                                    "in your inbox every weekday at 8 a.m.")
        updated = (
            f'<p class="updated">Updated: <time datetime="{iso(truth.modified_at)}">'
            f"{truth.modified_at:%B %d, %Y %H:%M}</time></p>" if truth.modified_at else ""
        )
        bio = chrome.author_bio(truth.authors[0], entry.author_bio) if entry.author_bio else ""
        podcast = (chrome.podcast_player("Listen to our podcast", (entry.podcast,))
                   if entry.podcast else "")
        return (
            self._head(outlet, f"{truth.title} | {outlet.name}", head_extra)
            + '<body class="single-post">' + self._header(outlet)
            + '<main class="layout"><article class="post">'
            + f'<div class="post-tags">{escape(", ".join(("News Feed", *truth.tags)))}</div>'
            + f'<h1 class="post-title">{escape(truth.title)}</h1>'
            + f'<div class="post-meta">by {authors} {_date(date_text, iso(truth.published_at))} '
            f'<span class="read-time">{max(1, words // 200)} min read</span></div>{updated}'
            + chrome.share_bar(truth.canonical_url, truth.title)
            + '<div class="post-content">'
            + self.body(view, figure=figure, inline_box=box)
            + "</div>"
            + podcast
            + chrome.tag_list(truth.tags)
            + chrome.share_bar(truth.canonical_url, truth.title, "Share")
            + bio
            + chrome.donation_appeal(
                "We keep Ukraine's story on the front page",
                "Kyiv Daily is funded by its readers. Your contribution helps our reporters "
                "stay in the field and keeps our journalism free for everyone.",
                "Support us")
            + chrome.comments(entry.comments)
            + "</article>"
            + '<aside class="sidebar">'
            + chrome.link_list("Most popular", view.popular, "most-popular", numbered=True)
            + chrome.link_list("Related articles", view.related, "related")
            + "</aside></main>"
            + self._footer(outlet) + "</body></html>"
        )

    def listing(self, view: ListingView) -> str:
        outlet = view.outlet
        cards = "".join(
            f'<article class="card"><h2><a href="{escape(link.url)}">{escape(link.title)}</a></h2>'
            + (f'<time datetime="{iso(link.published_at)}">{link.published_at:%B %d, %Y}</time>'
               if link.published_at else "")
            + (f"<p>{escape(link.summary)}</p>" if link.summary else "")
            + "</article>"
            for link in view.items
        )
        # Like many a news theme, this one marks its topic hubs as articles, dated.
        stamp = (
            '<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{iso(view.stamped)}">'
        ) if view.stamped else ""
        return (
            self._head(outlet, f"{view.heading} | {outlet.name}", self.head_links(view) + stamp)
            + '<body class="archive">' + self._header(outlet)
            + f'<main class="layout"><section class="post-list"><h1>{escape(view.heading)}</h1>'
            + cards + self.pagination(view) + "</section>"
            + '<aside class="sidebar">'
            + chrome.link_list("Most read", view.sidebar, "most-read", numbered=True)
            + chrome.newsletter_box(outlet.name, "Our editors' picks, every evening.")
            + "</aside></main>"
            + self._footer(outlet) + "</body></html>"
        )

    def not_found(self, outlet: Outlet) -> str:
        return (
            self._head(outlet, f"Page not found | {outlet.name}")
            + '<body class="error404">' + self._header(outlet)
            + '<main class="layout"><section class="not-found"><h1>Page not found</h1>'
            "<p>Sorry, we couldn't find the page you were looking for. It may have been moved "
            "or deleted.</p><p>Try searching our archive or go back to the "
            '<a href="/">home page</a>.</p></section></main>'
            + self._footer(outlet) + "</body></html>"
        )
