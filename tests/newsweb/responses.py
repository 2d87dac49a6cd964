"""What a page handler gets (``Request``) and gives back (``Response``), plus conditional GET."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol
from urllib.parse import urlencode

__all__ = [
    "Handler",
    "Request",
    "Response",
    "SiteState",
    "binary",
    "conditional",
    "html",
    "http_date",
    "redirect",
    "text",
    "xml",
]


class SiteState(Protocol):
    """The mutable part of a site that handlers read (revisions, per-URL counters)."""

    def revision(self, key: str) -> int: ...

    def gone(self, key: str) -> int | None: ...

    def hit(self, key: str) -> int: ...

    def limited(self, key: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Request:
    """One request as a page handler sees it: host without port, lower-case; path
    without the query; ``query`` as a flat mapping (last value wins)."""

    method: str
    host: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    state: SiteState

    @property
    def url(self) -> str:
        tail = f"?{urlencode(dict(self.query))}" if self.query else ""
        return f"http://{self.host}{self.path}{tail}"


@dataclass(frozen=True, slots=True)
class Response:
    """A response to write. ``chunks`` (instead of ``body``) is streamed with chunked
    transfer encoding and no Content-Length; ``stall`` sends nothing until the server
    stops. ``validators`` adds ETag and Last-Modified and allows a 304."""

    status: int
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: datetime | None = None
    validators: bool = False
    chunks: Callable[[], Iterable[bytes]] | None = field(default=None, compare=False)
    stall: bool = False

    @property
    def etag(self) -> str:
        return '"' + hashlib.blake2b(self.body, digest_size=10).hexdigest() + '"'


Handler = Callable[[Request], Response]


def http_date(moment: datetime) -> str:
    """An RFC 7231 date (``Sun, 06 Nov 1994 08:49:37 GMT``) of an aware datetime."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def html(markup: str, *, status: int = 200, last_modified: datetime | None = None,
         encoding: str = "utf-8", declare_charset: bool = True) -> Response:
    """An HTML page. ``declare_charset=False`` leaves the charset out of Content-Type,
    so only the page's own ``<meta>`` says how it is encoded."""
    content_type = f"text/html; charset={encoding}" if declare_charset else "text/html"
    return Response(
        status=status,
        body=markup.encode(encoding),
        content_type=content_type,
        last_modified=last_modified,
        validators=status == 200,
    )


def xml(document: str, content_type: str, *, last_modified: datetime | None = None) -> Response:
    return Response(200, document.encode("utf-8"), f"{content_type}; charset=utf-8",
                    last_modified=last_modified, validators=True)


def binary(body: bytes, content_type: str, *, last_modified: datetime | None = None) -> Response:
    return Response(200, body, content_type, last_modified=last_modified, validators=True)


def text(body: str, *, status: int = 200, last_modified: datetime | None = None) -> Response:
    return Response(status, body.encode("utf-8"), "text/plain; charset=utf-8",
                    last_modified=last_modified, validators=status == 200)


def redirect(location: str, status: int = 301) -> Response:
    note = f'<html><body><a href="{location}">Moved</a></body></html>'
    return Response(status, note.encode(), headers=(("Location", location),))


def conditional(response: Response, headers: Mapping[str, str]) -> Response:
    """``response`` as a 304 when the request's validators match it (RFC 9110 13.2.2):
    If-None-Match decides when present, else If-Modified-Since against Last-Modified."""
    if not response.validators or response.status != 200:
        return response
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        matched = "*" in tags or response.etag in tags
    else:
        since = headers.get("if-modified-since")
        matched = False
        if since and response.last_modified is not None:
            try:
                stamp = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                stamp = None
            if stamp is not None and stamp.tzinfo is not None:
                matched = response.last_modified.replace(microsecond=0) <= stamp
    if not matched:
        return response
    # The 304 keeps the validators it matched; the body (and so the ETag source) goes.
    return replace(response, status=304, body=b"", content_type=None, chunks=None,
                   validators=False, headers=(*response.headers, ("ETag", response.etag)))
