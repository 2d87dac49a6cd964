"""What a request is for (:class:`Target`, carried in its meta), and reading responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scrapy.http import HtmlResponse, Response

from newsdedup.core.records import PageHints
from newsdedup.core.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy.http.headers import Headers

__all__ = [
    "HTML_TYPES",
    "META_KEY",
    "Target",
    "canonical",
    "field_text",
    "header",
    "headers_dict",
    "is_html",
    "media_type",
]

#: The request meta key holding the request's :class:`Target`.
META_KEY = "newsdedup_target"

#: Media types stored as pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")

_FIELD_CONTROLS = str.maketrans({"\x00": " ", "\r": " ", "\n": " "})


@dataclass(frozen=True, slots=True)
class Target:
    """What a request is for: ``url`` is the canonical identity (url_state.url), which
    for discovery documents may differ from the URL requested. ``page`` counts listing
    pages from the start URL ``root``. ``revisits``: the revisit steps behind an article
    URL once this request is answered (``newsdedup.storage.frontier.revisit_steps``)."""

    url: str
    kind: str
    hints: PageHints = field(default_factory=PageHints)
    root: str | None = None
    page: int = 1
    revisits: int = 0


def field_text(value: bytes | str) -> str:
    """A header name or value as text, with each NUL, CR and LF replaced by a space.

    RFC 9110 (5.5) lets a recipient do that instead of refusing the message; it matters
    here because these values are stored, and Postgres refuses text holding a NUL.
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return text.translate(_FIELD_CONTROLS)


def media_type(value: bytes | str | None) -> str:
    """A Content-Type value without parameters, lower-case ("" when absent)."""
    if value is None:
        return ""
    return field_text(value).split(";", 1)[0].strip().lower()


def is_html(response: Response) -> bool:
    """HTML by its Content-Type, or by Scrapy's sniffing when the header is missing."""
    media = media_type(response.headers.get("Content-Type"))
    return media in HTML_TYPES or (not media and isinstance(response, HtmlResponse))


def headers_dict(headers: Headers) -> dict[str, str]:
    """Headers as :class:`~newsdedup.core.records.FetchedPage` keeps them: lower-case names,
    repeated values joined by ``", "``."""
    return {
        field_text(key).lower(): ", ".join(field_text(v) for v in values)
        for key, values in headers.items()
    }


def header(response: Response, name: str) -> str | None:
    """One header's value as text, None when absent or empty."""
    value = response.headers.get(name)
    return field_text(value).strip() or None if value else None


def canonical(url: str, tracking: frozenset[str] = frozenset()) -> str | None:
    """The identity of ``url`` (``tracking``: a source's extra tracking parameters);
    None when it is not an absolute http(s) URL."""
    try:
        return canonicalize_url(url, tracking)
    except ValueError:
        return None
