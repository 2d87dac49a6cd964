"""Page metadata from JSON-LD, <meta>, <time>, the URL and the byline: title, dates, authors..."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.core.config import SelectorsConfig
from newsdedup.core.records import DateOrigin
from newsdedup.pipeline.extract.authors import clean_authors, read_credits, title_cased
from newsdedup.pipeline.extract.bylines import (
    byline_box,
    byline_box_names,
    byline_box_pieces,
    byline_box_text,
    headline_by_line,
    headline_element,
    lines_under_headline,
    marked_up_names,
)
from newsdedup.pipeline.extract.dates import (
    local_zone,
    parse_date,
    parse_day_word,
    parse_relative_date,
    parse_text_date,
    url_date,
)
from newsdedup.pipeline.extract.jsonld import LinkedData, read_linked_data, text_value
from newsdedup.pipeline.extract.language import normalize_language
from newsdedup.pipeline.extract.markup import markup_text
from newsdedup.pipeline.extract.select import TreeView
from newsdedup.pipeline.extract.text import CJK, normalize_space

__all__ = ["PageMetadata", "read_metadata"]

_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "published_time", "article.published", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "publication_date", "date", "dc.date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "article_date_original",
    "og:pubdate", "displaydate", "citation_publication_date",
)
_MODIFIED_KEYS = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "modified_time",
    "datemodified", "last-modified", "lastmod", "dcterms.modified", "dc.date.modified",
    "article.updated", "revision_date",
)
_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl", "og:article:author")
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description", "dc.description")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site", "publisher", "copyright")
_DATE_CLASS = re.compile(r"date|time|publish|dateline|byline|meta|posted|stamp|datum|fecha|data", re.IGNORECASE)
# What sets a site's or section's name apart from the headline in a page's title.
_AFFIX_AFTER = re.compile(r"^\s*(?:[|\-–—·•»/]|::|ㅣ|｜)\s*\S")
# A bar: what alone may set a name before the headline ("Kicker - Headline" is a news
# title's kicker, kept).
_BAR = r"(?:[|»]|::|ㅣ|｜)"
_AFFIX_BEFORE = re.compile(rf"\S\s*{_BAR}\s*$")
_MAX_SITE_NAME_WORDS = 3
_BAR_AFTER = re.compile(rf"\s*{_BAR}\s*")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•]\s+|\s*[ㅣ｜：]\s*|\s+::\s+")
# Separators set with no space around them: underscores anywhere, a dash between two
# characters written without spaces (Chinese, Japanese).
_UNSPACED_SEPARATORS = re.compile(rf"_+|(?<=[{CJK}])[-–—](?=[{CJK}])")
_MAX_TEXT_DATE_NODES = 40
# A date line under the headline is short: a date, maybe a time, a label, a reading time.
_MAX_DATE_LINE_CHARS = 60
_MAX_DATE_LINE_WORDS = 10
_UPDATED = re.compile(r"updated|aktualisiert|mis à jour|actualizado|aggiornato|bijgewerkt|atualizado|обновлено|оновлено",
                      re.IGNORECASE)
# Bylines and visible dates sit near the top: scans stop after this many elements.
_MAX_SCANNED = 5000


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; dates are UTC, each with where it was read from.

    ``shown_date`` is the date a reader sees under the headline, or a span before the fetch
    ("3 hours ago"), when the page declares none (see ``_shown_date``): the publication
    time of a page taken as an article, never evidence that a page is one.
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_from: DateOrigin | None = None
    shown_date: datetime | None = None
    modified_at: datetime | None = None
    modified_from: DateOrigin | None = None
    language: str | None = None
    canonical_href: str | None = None
    og_url: str | None = None
    is_amp: bool = False
    og_type: str | None = None
    descriptions: tuple[str, ...] = ()
    site_names: tuple[str, ...] = ()
    linked: LinkedData = field(default_factory=LinkedData)

    @property
    def article_body(self) -> str | None:
        """JSON-LD ``articleBody``, when the page publishes one; schema.org makes it text,
        and markup some publishers put in it is read as a browser would show it."""
        article = self.linked.article
        body = text_value(article.get("articleBody")) if article else None
        return markup_text(body) if body else None


def _meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        content = meta.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def _first(meta: dict[str, list[str]], keys: Iterable[str]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key][0]
    return None


def _first_date(values: Iterable[str | None]) -> datetime | None:
    for value in values:
        stamp = parse_date(value)
        if stamp is not None:
            return stamp
    return None


def _itemprop_dates(tree: HtmlElement, prop: str) -> Iterator[str | None]:
    for element in tree.xpath(f'//*[@itemprop="{prop}"]'):
        yield element.get("datetime") or element.get("content") or normalize_space(element.text_content())


def _selected_text(view: TreeView, selector: str | None) -> list[HtmlElement]:
    return view.select(selector) if selector else []


def _title(tree: HtmlElement, meta: dict[str, list[str]], article: dict[str, Any] | None, sites: Iterable[str]) -> str | None:
    headline = normalize_space(text_value(article.get("headline")) or "") if article else ""
    og_title = normalize_space(_first(meta, ("og:title", "twitter:title")) or "")
    h1s = [text for h in tree.iter("h1") if (text := normalize_space(h.text_content()))]
    declared = [t for t in (headline, og_title) if t]
    # The visible headline when the publisher's own metadata confirms it, else that metadata.
    for h1 in h1s:
        if h1 in declared:
            return h1
    if affixed := _affixed_headline(h1s, declared, sites):
        return affixed
    if headline:
        return headline
    if og_title:
        return _strip_site(og_title, sites)
    title = tree.find(".//title")
    text = normalize_space(title.text_content()) if title is not None else ""
    # A logo set as an h1 is the site's name: the page's <title> then says more.
    if shown := [h1 for h1 in h1s if not _names_site(h1, text, sites)]:
        return shown[0]
    return _without_site_prefix(_strip_site(text, sites), h1s) or (h1s[0] if h1s else None)


def _without_site_prefix(title: str, names: list[str]) -> str:
    """``title`` less a site's name (one of ``names``) opening it across a bar ("Herald |
    Story told" gives "Story told")."""
    for name in names:
        bar = _BAR_AFTER.match(title, len(name)) if title[: len(name)].lower() == name.lower() else None
        if bar and (rest := title[bar.end():]):
            return rest
    return title


def _names_site(h1: str, title: str, sites: Iterable[str]) -> bool:
    """Whether ``h1`` is the site's name: declared as such, or a short name (three words
    at most) standing where a page's title sets the site, its last part or its first
    across a bar, with a longer part beside it ("Story told | Herald", "Herald | Story
    told"; not "Strikes – latest news | Herald", where the h1 opens the headline)."""
    if h1.lower() in {site.lower() for site in sites}:
        return True
    if len(h1.split()) > _MAX_SITE_NAME_WORDS:
        return False
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title)]
    if len(parts) < 2:
        return False
    longest = max(len(part.split()) for part in parts)
    last = parts[-1].lower() == h1.lower()
    first = parts[0].lower() == h1.lower() and bool(_BAR_AFTER.match(title, len(parts[0])))
    return (last or first) and longest > len(h1.split())


def _affixed_headline(h1s: list[str], declared: list[str], sites: Iterable[str]) -> str | None:
    """The visible headline where a declared title is it with the site's or section's name
    set after (or, across a bar, before) it: "Headline | Site", "Site | Headline". An h1
    that is the site's own name is no headline."""
    names = {site.lower() for site in sites}
    shown = [h1 for h1 in h1s if h1.lower() not in names]
    return next((h1 for h1 in shown for title in declared if _affixed(h1, title)), None)


def _affixed(headline: str, title: str) -> bool:
    """Whether ``title`` is ``headline`` with a name set before or after it across a
    separator ("Headline | Site", "Headline - Site", "Site | Headline"), case aside."""
    lowered, line = title.lower(), headline.lower()
    if len(line.split()) < 3 or lowered == line:
        return False
    if lowered.startswith(line):
        return bool(_AFFIX_AFTER.match(title[len(headline):]))
    if lowered.endswith(line):
        return bool(_AFFIX_BEFORE.search(title[: len(title) - len(headline)]))
    return False


def _strip_site(title: str, sites: Iterable[str]) -> str:
    """``title`` without a trailing " | Site Name" when the tail names the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return _strip_unspaced_site(title, sites)
    tail = parts[-1].strip().lower()
    site_words = {s.lower() for s in sites}
    if tail in site_words or any(tail in s or s in tail for s in site_words if len(s) > 3) or len(tail.split()) <= 3:
        head = title[: title.lower().rfind(tail)].rstrip(" |-–—:·•ㅣ｜：")
        return head.strip() or title
    return title


def _strip_unspaced_site(title: str, sites: Iterable[str]) -> str:
    """``title`` up to a separator with no spaces around it ("Headline_Site",
    "标题_港口日报_港口网", "标题-港口日报") when the part after it is a declared site name:
    Chinese sites write their titles so. Without a declared name the title stays whole (a
    dash between words is no separator)."""
    names = {name.lower() for name in sites if len(name) > 1}
    separators = list(_UNSPACED_SEPARATORS.finditer(title)) if names else []
    for index, separator in enumerate(separators):
        end = separators[index + 1].start() if index + 1 < len(separators) else len(title)
        if title[separator.end():end].strip().lower() in names:
            return title[: separator.start()].strip() or title
    return title


def _linked_authors(article: dict[str, Any] | None) -> list[str]:
    """The people the JSON-LD article names as its ``author``, else as its ``creator``
    (schema.org's wider property: a site that credits its organisation as the author may
    name the reporter there)."""
    if not article:
        return []
    for key in ("author", "creator"):
        value = article.get(key)
        names: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.strip():
                names.append(item)
            elif isinstance(item, dict) and "organization" not in str(item.get("@type", "")).lower():
                name = text_value(item.get("name"))
                if name:
                    names.append(name)
        if names:
            return names
    return []


def _meta_authors(meta: dict[str, list[str]]) -> list[str]:
    return [v for key in _AUTHOR_KEYS for v in meta.get(key, ()) if not v.startswith("http")]


def _authors(tree: HtmlElement, meta: dict[str, list[str]], article: dict[str, Any] | None,
             outlets: tuple[str, ...], headline: HtmlElement | None) -> tuple[str, ...]:
    """Author names from the first kind of evidence that gives any, strongest first. A
    kind whose strings clean into no name passes the turn to the next (a label, a button,
    names glued into one string), unless it credits a newsroom or an outlet ("Staff", the
    site's own name): then the page names no person, and other names on it (related
    posts' authors) are not this article's."""
    boxes: list[HtmlElement | None] = []  # the byline box, found once when first asked for

    def box() -> HtmlElement | None:
        if not boxes:
            boxes.append(byline_box(tree))
        return boxes[0]

    finders: tuple[Callable[[], list[str]], ...] = (
        lambda: [title_cased(name) for name in _linked_authors(article)],
        lambda: [title_cased(name) for name in _meta_authors(meta)],
        lambda: marked_up_names(tree),
        lambda: byline_box_names(box()),
        lambda: byline_box_text(box()),
        lambda: byline_box_pieces(box()),
        lambda: headline_by_line(headline),
    )
    for find in finders:
        names, newsroom = read_credits(find(), outlets)
        if names or newsroom:
            return names
    return ()


def _text_date(tree: HtmlElement, zone: tzinfo, now: datetime | None = None) -> datetime | None:
    """The first date in an element whose class says date (or time, byline...); with
    ``now``, the first span before it ("3 hours ago") where no date is written."""
    body = tree.find("body")
    if body is None:
        return None
    checked = 0
    for index, element in enumerate(body.iter(etree.Element)):
        if index > _MAX_SCANNED:
            break
        if element.tag in ("script", "style") or not _DATE_CLASS.search(element.get("class") or ""):
            continue
        checked += 1
        text = normalize_space(element.text_content())[:300]
        # Written dates here were read for ``published_at`` already: with ``now`` only spans.
        stamp = _read_date(text, zone, now, written=now is None)
        if stamp is not None:
            return stamp
        if checked >= _MAX_TEXT_DATE_NODES:
            break
    return None


def _read_date(text: str, zone: tzinfo, now: datetime | None, *, written: bool = True) -> datetime | None:
    """A date written for readers (with ``written``), else, with ``now``, a span before
    the fetch ("3 hours ago") or a day named from it ("Yesterday, 14:05")."""
    stamp = parse_text_date(text, zone) if written else None
    if stamp is None and now is not None:
        stamp = parse_relative_date(text, now) or parse_day_word(text, now, zone)
    return stamp


def _shown_date(tree: HtmlElement, headline: HtmlElement | None, zone: tzinfo,
                fetched_at: datetime | None) -> datetime | None:
    """A date line just under the headline (see ``_headline_date``), else a span before the
    fetch in an element whose class says date ("3 hours ago"). Kept apart from
    ``published_at``: on a listing page the line under the ``<h1>`` is a teaser's date."""
    return _headline_date(headline, zone, fetched_at) or (_text_date(tree, zone, fetched_at) if fetched_at else None)


def _headline_date(headline: HtmlElement | None, zone: tzinfo, now: datetime | None) -> datetime | None:
    """A date line just under the headline whatever its class ("December 15, 2025" in a
    ``<p class="text-muted">``): a short line of a few words that reads as a date. One
    that says it was updated gives way to one that does not."""
    updated: datetime | None = None
    for line in lines_under_headline(headline):
        if len(line) > _MAX_DATE_LINE_CHARS or len(line.split()) > _MAX_DATE_LINE_WORDS:
            continue
        stamp = _read_date(line, zone, now)
        if stamp is None:
            continue
        if not _UPDATED.search(line):
            return stamp
        updated = updated or stamp
    return updated


Dated = tuple[datetime, DateOrigin]
_UNDATED: tuple[datetime | None, DateOrigin | None] = (None, None)


def _tagged(stamp: datetime | None, origin: DateOrigin) -> Dated | None:
    return (stamp, origin) if stamp is not None else None


def _selected_date(view: TreeView, selectors: SelectorsConfig, zone: tzinfo) -> Dated | None:
    """The first date the source's own ``selectors.date`` elements give."""
    for element in _selected_text(view, selectors.date):
        attribute = element.get("datetime") or element.get("content")
        if attribute:
            stamp = parse_date(attribute)
            origin: DateOrigin = "time" if element.get("datetime") else "meta"
        else:
            stamp = parse_text_date(normalize_space(element.text_content()), zone)
            origin = "text"
        if stamp is not None:
            return stamp, origin
    return None


def _linked_date(linked: LinkedData, key: str) -> Dated | None:
    """``key`` of the page's article object (or the first object with a publication date)."""
    obj = linked.article or next((o for o in linked.objects if o.get("datePublished")), None)
    return _tagged(parse_date(text_value(obj.get(key))), "json-ld") if obj else None


def _first_found(finders: Iterable[Callable[[], Dated | None]]) -> tuple[datetime | None, DateOrigin | None]:
    return next((found for find in finders if (found := find()) is not None), _UNDATED)


def _dates(
    tree: HtmlElement, meta: dict[str, list[str]], linked: LinkedData, url: str,
    selectors: SelectorsConfig, zone: tzinfo, view: TreeView,
) -> tuple[tuple[datetime | None, DateOrigin | None], tuple[datetime | None, DateOrigin | None]]:
    """Publication and modification times, each from the strongest evidence that has one."""
    def meta_date(keys: Iterable[str]) -> datetime | None:
        return _first_date(meta.get(key, [None])[0] for key in keys)

    published = _first_found((
        lambda: _selected_date(view, selectors, zone),
        lambda: _linked_date(linked, "datePublished"),
        lambda: _tagged(meta_date(_PUBLISHED_KEYS), "meta"),
        lambda: _tagged(_first_date(_itemprop_dates(tree, "datePublished")), "time"),
        lambda: _tagged(_first_date(tree.xpath("//time[@datetime]/@datetime")[:3]), "time"),
        lambda: _tagged(url_date(url), "url"),
        lambda: _tagged(_text_date(tree, zone), "text"),
    ))
    modified = _first_found((
        lambda: _linked_date(linked, "dateModified"),
        lambda: _tagged(meta_date(_MODIFIED_KEYS), "meta"),
        lambda: _tagged(_first_date(_itemprop_dates(tree, "dateModified")), "time"),
    ))
    if modified[0] is not None and modified[0] == published[0]:
        # CMSs fill dateModified with the publication time: that is no modification.
        modified = _UNDATED
    return published, modified


def _language(tree: HtmlElement, meta: dict[str, list[str]], article: dict[str, Any] | None) -> str | None:
    root = tree.getroottree().getroot()
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _first(meta, ("content-language", "language", "dc.language", "og:locale")),
        text_value(article.get("inLanguage")) if article else None,
    ]
    for candidate in candidates:
        code = normalize_language(candidate)
        if code:
            return code
    return None


def _selected_title(view: TreeView, selectors: SelectorsConfig) -> str | None:
    """The text of the first element the source's ``selectors.title`` names."""
    for element in _selected_text(view, selectors.title):
        return normalize_space(element.text_content()) or None
    return None


def read_metadata(tree: HtmlElement, url: str, selectors: SelectorsConfig, outlets: Iterable[str] = (),
                  zone: tzinfo | None = None, fetched_at: datetime | None = None) -> PageMetadata:
    """Everything the page declares about itself. ``url`` is where it was fetched from (for
    URL dates); ``outlets`` are names that are never authors (the source's name, its host);
    ``zone`` is the civil time zone of dates printed without one (default: guessed from
    the page's language, see ``local_zone``); ``fetched_at`` is when it was fetched, the
    moment that "3 hours ago" counts back from (such spans are not read without it)."""
    meta = _meta_map(tree)
    linked = read_linked_data(tree)
    article = linked.article
    site_names = tuple(
        dict.fromkeys(
            n for n in (*linked.publisher_names, *(meta.get(k, [None])[0] for k in _SITE_KEYS)) if n
        )
    )
    # The source's selectors share one view of the tree (built only if one is set).
    view = TreeView(tree)
    title = _selected_title(view, selectors) or _title(tree, meta, article, site_names)
    # Bylines and date lines are read under the <h1> that shows the title.
    headline = headline_element(tree, title)
    if selectors.author:
        authors = clean_authors(
            [normalize_space(e.text_content()) for e in _selected_text(view, selectors.author)], (*site_names, *outlets)
        )
    else:
        authors = _authors(tree, meta, article, (*site_names, *outlets), headline)
    language = _language(tree, meta, article)
    zone = zone or local_zone(language)
    (published, published_from), (modified, modified_from) = _dates(tree, meta, linked, url, selectors, zone, view)
    descriptions = [text_value(article.get("description")) if article else None]
    descriptions += [v for key in _DESCRIPTION_KEYS for v in meta.get(key, ())]
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    )
    root = tree.getroottree().getroot()
    return PageMetadata(
        title=title,
        authors=authors,
        published_at=published,
        published_from=published_from,
        shown_date=_shown_date(tree, headline, zone, fetched_at) if published is None else None,
        modified_at=modified,
        modified_from=modified_from,
        language=language,
        canonical_href=str(canonical[0]).strip() if canonical else None,
        og_url=_first(meta, ("og:url",)),
        is_amp="amp" in root.attrib or "\u26a1" in root.attrib,
        og_type=(_first(meta, ("og:type",)) or "").lower() or None,
        descriptions=tuple(dict.fromkeys(normalize_space(d) for d in descriptions if d)),
        site_names=site_names,
        linked=linked,
    )
