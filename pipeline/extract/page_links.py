"""Links from a page to the pages under its own URL path: what a section or index page holds.

A section page at ``/news`` links the stories at ``/news/<slug>``; a category page at
``/guides/`` links ``/guides/<topic>``. An article links other pages of its site, but
seldom pages under its own path (its slug is its headline). Nothing here names a site:
``page_kind`` reads the count.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

__all__ = ["child_links"]

# Bounds on the work for huge pages: the first links only.
_MAX_LINKS = 5000
# What lies under a page's path without being a page of its own: its pages 2, 3... (a
# paginated article), its AMP, print, feed or comments view.
_VIEW = re.compile(r"(?:page/)?\d{1,4}|amp|feed|rss|print|comments?|reply|edit", re.IGNORECASE)
_SKIPPED = ("#", "javascript:", "mailto:", "tel:", "data:")


def _host(netloc: str | None) -> str:
    return (netloc or "").lower().removeprefix("www.")


def _path(path: str) -> str:
    return unquote(path).rstrip("/").lower()


def child_links(root: HtmlElement, url: str) -> int:
    """Distinct pages of the site of ``url`` that ``root`` links under the page's own path.

    A link counts when it names the page's host (``www.`` aside) and a path that goes at
    least one segment deeper than the page's own (``/news`` -> ``/news/a-story``); the
    page's other views (``/2``, ``/page/3``, ``/amp``, ``/print``, ``/feed``, ``/comments``)
    do not. A page at its site's root has no children here (every link would count).
    """
    own = urlsplit(url)
    base = _path(own.path)
    if not base:
        return 0
    host = _host(own.hostname)
    prefix = base + "/"
    seen: set[str] = set()
    for count, anchor in enumerate(root.iter("a")):
        if count >= _MAX_LINKS:
            break
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(_SKIPPED):
            continue
        try:
            target = urlsplit(urljoin(url, href))
            target_host = target.hostname
        except ValueError:
            continue
        path = _path(target.path)
        if _host(target_host) != host or not path.startswith(prefix):
            continue
        rest = path[len(prefix):]
        if rest and not _VIEW.fullmatch(rest):
            seen.add(path)
    return len(seen)
