"""What every outlet template shares: the page views, body rendering, JSON-LD and AMP."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from newsweb.model import ArticleTruth, Entry, Link, Outlet

__all__ = ["ArticleView", "ListingView", "Template", "iso", "json_ld"]


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything an article page shows: the article and the links around it."""

    outlet: Outlet
    entry: Entry
    truth: ArticleTruth
    related: Sequence[Link] = ()
    popular: Sequence[Link] = ()
    teaser: Link | None = None


@dataclass(frozen=True, slots=True)
class ListingView:
    """One page of a section listing (or the home page). ``sidebar`` holds the links of
    its "most read" box. ``stamped``: the date a template that marks every page as an
    article (``og:type article`` and a publication time) stamps on it, if it does."""

    outlet: Outlet
    heading: str
    items: Sequence[Link]
    page: int
    pages: int
    base_path: str
    sidebar: Sequence[Link] = ()
    stamped: datetime | None = None

    def page_url(self, number: int) -> str:
        return self.base_path if number == 1 else f"{self.base_path}?page={number}"


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, seconds precision."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_ld(truth: ArticleTruth, outlet: Outlet, *, with_body: bool, image: str | None = None) -> str:
    """A ``<script type="application/ld+json">`` NewsArticle, with ``articleBody`` or not."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": truth.title,
        "datePublished": iso(truth.published_at),
        "dateModified": iso(truth.modified_at or truth.published_at),
        "author": [{"@type": "Person", "name": name} for name in truth.authors],
        "publisher": {"@type": "Organization", "name": outlet.name,
                      "logo": {"@type": "ImageObject", "url": f"{outlet.base_url}/logo.png"}},
        "mainEntityOfPage": {"@type": "WebPage", "@id": truth.canonical_url},
        "inLanguage": truth.language,
        "keywords": ", ".join(truth.tags),
    }
    if image:
        data["image"] = [image]
    if with_body:
        data["articleBody"] = " ".join(truth.body)
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


class Template:
    """Renders one outlet's pages. Subclasses give the outlet's own chrome and layout."""

    name = "base"

    def article(self, view: ArticleView) -> str:
        raise NotImplementedError

    def listing(self, view: ListingView) -> str:
        raise NotImplementedError

    def not_found(self, outlet: Outlet) -> str:
        """The outlet's "page not found" page (served as a 404, or as 200 for a soft 404)."""
        raise NotImplementedError

    def error_with_article(self, view: ArticleView) -> str:
        """An error page that still carries a story around its banner (seed 000)."""
        return self.article(view)

    # Shared pieces -----------------------------------------------------------------

    def body(self, view: ArticleView, *, figure: str = "", teaser_label: str = "Read also:",
             inline_box: str = "", teaser_after: int = 3, box_after: int = 5) -> str:
        """The body paragraphs (sub-headings as <h2>), with chrome slotted between them:
        ``figure`` after the first paragraph, a "read also" teaser and an inline box."""
        parts: list[str] = []
        count = 0
        for paragraph, kind in zip(view.truth.body, view.truth.kinds, strict=True):
            if kind == "lead":
                continue
            if kind == "heading":
                parts.append(f"<h2>{escape(paragraph)}</h2>")
                continue
            parts.append(f"<p>{escape(paragraph)}</p>")
            count += 1
            if count == 1 and figure:
                parts.append(figure)
            if count == teaser_after and view.teaser is not None:
                parts.append(
                    f'<p class="read-also"><strong>{escape(teaser_label)}</strong> '
                    f'<a href="{escape(view.teaser.url)}">{escape(view.teaser.title)}</a></p>'
                )
            if count == box_after and inline_box:
                parts.append(inline_box)
        return "\n".join(parts)

    def pagination(self, view: ListingView, *, previous: str = "Previous",
                   following: str = "Next") -> str:
        """Numbered page links plus rel=prev/next anchors."""
        if view.pages <= 1:
            return ""
        links = []
        if view.page > 1:
            links.append(f'<a rel="prev" href="{view.page_url(view.page - 1)}">{escape(previous)}</a>')
        for number in range(1, view.pages + 1):
            if number == view.page:
                links.append(f'<span class="current">{number}</span>')
            else:
                links.append(f'<a class="page-number" href="{view.page_url(number)}">{number}</a>')
        if view.page < view.pages:
            links.append(f'<a rel="next" href="{view.page_url(view.page + 1)}">{escape(following)}</a>')
        return f'<nav class="pagination">{" ".join(links)}</nav>'

    def head_links(self, view: ListingView) -> str:
        """<link rel=prev/next> for the <head> of a listing page."""
        tags = []
        if view.page > 1:
            tags.append(f'<link rel="prev" href="{view.page_url(view.page - 1)}">')
        if view.page < view.pages:
            tags.append(f'<link rel="next" href="{view.page_url(view.page + 1)}">')
        return "".join(tags)

    def amp(self, view: ArticleView) -> str:
        """The AMP version of an article: minimal markup, rel=canonical to the real page."""
        truth = view.truth
        paragraphs = "".join(
            f"<h2>{escape(p)}</h2>" if kind == "heading" else f"<p>{escape(p)}</p>"
            for p, kind in zip(truth.body, truth.kinds, strict=True)
        )
        return (
            f'<!doctype html><html amp lang="{truth.language}"><head><meta charset="utf-8">'
            f"<title>{escape(truth.title)}</title>"
            f'<link rel="canonical" href="{escape(truth.canonical_url)}">'
            '<meta name="viewport" content="width=device-width">'
            '<script async src="https://cdn.ampproject.invalid/v0.js"></script>'
            "<style amp-boilerplate>body{visibility:hidden}</style></head><body>"
            f'<header class="amp-header"><a href="/">{escape(view.outlet.name)}</a></header>'
            f"<article><h1>{escape(truth.title)}</h1>"
            f'<p class="byline">{escape(", ".join(truth.authors))} &middot; '
            f'<time datetime="{iso(truth.published_at)}">{truth.published_at:%d %b %Y}</time></p>'
            f"{paragraphs}</article>"
            f'<footer class="amp-footer">\u00a9 {escape(view.outlet.name)}</footer></body></html>'
        )
