"""A plain urllib client for the fixture news web: through its proxy, no redirects followed."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message

from newsweb import NewsWeb


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as responses, so tests can see each hop."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


Fetch = Callable[..., Fetched]


def fetch_through(web: NewsWeb, url: str, *, headers: Mapping[str, str] | None = None,
                  method: str = "GET", timeout: float = 10) -> Fetched:
    """GET ``url`` (an absolute ``http://*.test`` URL) through ``web`` as a proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": web.proxy_url}),
                                         _NoRedirect())
    request = urllib.request.Request(url, headers=dict(headers or {}), method=method)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read())

