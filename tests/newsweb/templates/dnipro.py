"""Dnipro Pravda's template: a Ukrainian regional site whose only metadata is visible text.

No JSON-LD, no date meta tags, no canonical link: the date and byline exist only as page
text (Kyiv time, +03:00) and in the URL. Pages may be encoded in windows-1251, declared
only by ``<meta http-equiv>``; every character used here exists in that code page.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from newsweb import chrome
from newsweb.content.stories_uk import NOT_FOUND_UK
from newsweb.model import Outlet
from newsweb.templates.base import ArticleView, ListingView, Template

__all__ = ["KYIV_OFFSET", "DniproTemplate"]

#: The offset of the times printed on the page (Kyiv summer time).
KYIV_OFFSET = timedelta(hours=3)

_NAV = (("Новини", "/novyny"), ("Політика", "/polityka"), ("Економіка", "/ekonomika"),
        ("Суспільство", "/suspilstvo"), ("Спорт", "/sport"))


class DniproTemplate(Template):
    """Ukrainian chrome: cookie notice, menu, "Читайте також" teaser, tag line, comments,
    a donation appeal; the byline and date are plain text."""

    name = "dnipro"

    def _head(self, outlet: Outlet, title: str, encoding: str, extra: str = "") -> str:
        charset = (
            '<meta charset="utf-8">' if encoding == "utf-8" else
            f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
        )
        return (
            f'<!DOCTYPE html><html lang="uk"><head>{charset}<title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width">{extra}</head>'
        )

    def _top(self, outlet: Outlet) -> str:
        nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for label, href in _NAV)
        return (
            '<div class="cookies">Ми використовуємо файли cookie, щоб покращити роботу сайту. '
            'Залишаючись на сайті, ви погоджуєтеся з цим. <button>Гаразд</button></div>'
            f'<div class="top"><a class="logo" href="/">{escape(outlet.name)}</a>'
            f'<ul class="menu">{nav}</ul>'
            '<form class="search" action="/poshuk"><input name="q" placeholder="Пошук"></form></div>'
        )

    def _footer(self, outlet: Outlet) -> str:
        return (
            f'<div class="footer">\u00a9 {escape(outlet.name)}, 2008\u20132025. Усі права захищено. '
            "Використання матеріалів дозволяється лише з посиланням на джерело. "
            '<a href="/pro-nas">Про нас</a> \u00b7 <a href="/reklama">Реклама</a></div>'
        )

    def article(self, view: ArticleView) -> str:
        truth, outlet, entry = view.truth, view.outlet, view.entry
        local = truth.published_at + KYIV_OFFSET
        tags = ", ".join(f'<a href="/tag/{index}">{escape(tag)}</a>'
                         for index, tag in enumerate(truth.tags, 1))
        photo = (
            f'<div class="photo"><img src="/img/{entry.path.rsplit("/", 1)[-1]}.jpg" alt="">'
            f'<p class="photo-sign">{escape(entry.caption)} Фото: прес-служба</p></div>'
            if entry.caption else ""
        )
        return (
            self._head(outlet, f"{truth.title} \u2014 {outlet.name}", entry.encoding, entry.extra_head)
            + "<body>" + self._top(outlet)
            + '<div class="content"><div class="news-item">'
            + f'<div class="news-date">{local:%d.%m.%Y %H:%M}</div>'
            + f'<h1>{escape(truth.title)}</h1>'
            + f'<div class="news-author">Автор: {escape(", ".join(truth.authors))}</div>'
            + '<div class="news-text">'
            + self.body(view, figure=photo, teaser_label="Читайте також:", teaser_after=2)
            + "</div>"
            + f'<div class="news-tags">Теги: {tags}</div>'
            + '<div class="support"><b>Підтримайте незалежну журналістику</b> \u2014 '
            'ваш внесок допомагає нам працювати. <a href="/pidtrymka">Підтримати</a></div>'
            + chrome.comments(entry.comments, "Коментарі")
            + "</div>"
            + chrome.link_list("Популярне", view.popular, "popular")
            + chrome.link_list("Інші новини", view.related, "other-news")
            + "</div>" + self._footer(outlet) + "</body></html>"
        )

    def listing(self, view: ListingView) -> str:
        outlet = view.outlet
        items = "".join(
            '<div class="news-line">'
            + (f'<span class="time">{(link.published_at + KYIV_OFFSET):%d.%m %H:%M}</span> '
               if link.published_at else "")
            + f'<a href="{escape(link.url)}">{escape(link.title)}</a>'
            + (f'<p class="anons">{escape(link.summary)}</p>' if link.summary else "")
            + "</div>"
            for link in view.items
        )
        return (
            self._head(outlet, f"{view.heading} \u2014 {outlet.name}", "utf-8", self.head_links(view))
            + "<body>" + self._top(outlet)
            + f'<div class="content"><h1>{escape(view.heading)}</h1><div class="news-list">{items}</div>'
            + self.pagination(view, previous="Попередня", following="Наступна")
            + chrome.link_list("Популярне", view.sidebar, "popular")
            + "</div>" + self._footer(outlet) + "</body></html>"
        )

    def not_found(self, outlet: Outlet) -> str:
        heading, text, hint = NOT_FOUND_UK
        return (
            self._head(outlet, f"{heading} \u2014 {outlet.name}", "utf-8")
            + "<body>" + self._top(outlet)
            + f'<div class="content"><div class="error-404"><h1>{escape(heading)}</h1>'
            f"<p>{escape(text)}</p><p>{escape(hint)} "
            '<a href="/">На головну</a></p></div></div>'
            + self._footer(outlet) + "</body></html>"
        )
