"""Why a request failed: our ``IgnoreRequest`` reasons, and failures mapped to fetch outcomes.

The outcome names are :data:`newsdedup.storage.frontier.FETCH_OUTCOMES`; each is counted as
``fetch/<outcome>`` and stored in ``url_state.last_outcome``.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as tx_error
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from newsdedup.storage.frontier import ERROR_OUTCOMES, FETCH_OUTCOMES

__all__ = [
    "DOWNLOAD_ERRORS",
    "OffsiteRedirect",
    "RedirectLoop",
    "RedirectToKnown",
    "RequestRefused",
    "RobotsDisallowed",
    "TooManyRedirects",
    "classify_failure",
    "crawl_failure",
]


class RequestRefused(IgnoreRequest):
    """Base of our reasons to drop a request; ``outcome`` names the fetch outcome."""

    outcome = "error"


class RobotsDisallowed(RequestRefused):
    """robots.txt forbids the URL (raised before any request to it)."""

    outcome = "robots_disallowed"


class RedirectLoop(RequestRefused):
    """A redirect led back to a URL already in its own chain."""

    outcome = "redirect_loop"


class TooManyRedirects(RequestRefused):
    """The chain reached ``crawl.max_redirects``."""

    outcome = "too_many_redirects"


class OffsiteRedirect(RequestRefused):
    """A redirect left the source's domains; the target is never requested."""

    outcome = "offsite"


class RedirectToKnown(RequestRefused):
    """A redirect reached an article this run requests on its own: not fetched twice.

    ``target`` is the redirect's destination.
    """

    outcome = "redirected"

    def __init__(self, target: str) -> None:
        super().__init__(f"redirects to {target}, fetched on its own")
        self.target = target


_TIMEOUTS = (DownloadTimeoutError, tx_error.TimeoutError)
_CONNECTION = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    ResponseDataLossError,
    tx_error.ConnectError,
    tx_error.ConnectionDone,
    tx_error.ConnectionLost,
    tx_error.DNSLookupError,
    ResponseFailed,
    ResponseNeverReceived,
)


#: Failures to reach a server at all (DNS, refused or dropped connection, timeout).
DOWNLOAD_ERRORS = (*_TIMEOUTS, *_CONNECTION)


def classify_failure(failure: Failure) -> tuple[str, str]:
    """The fetch outcome of a failed request and a one-line message for ``last_error``.

    A cancelled download is the size cap at work (Scrapy cancels a body past
    ``DOWNLOAD_MAXSIZE``); the crawler never cancels downloads for other reasons.
    """
    exc = failure.value
    # A NUL (from a URL in a server's Location header) would make Postgres refuse the row.
    message = " ".join(str(exc).replace("\x00", " ").split()) or type(exc).__name__
    if isinstance(exc, RequestRefused):
        return exc.outcome, message
    if isinstance(exc, _TIMEOUTS):
        return "timeout", message
    if isinstance(exc, DownloadCancelledError | CancelledError):
        detail = message if message != type(exc).__name__ else "download cancelled"
        return "too_large", f"larger than the size cap: {detail}"
    if isinstance(exc, _CONNECTION):
        return "connection_error", f"{type(exc).__name__}: {message}"
    return "error", f"{type(exc).__name__}: {message}"


def crawl_failure(stats: Mapping[str, int]) -> str | None:
    """Why a source's crawl failed as a whole, or None: it made requests and every one
    failed (no answer, an error status after retries, or robots.txt forbade it: a site
    that shuts its feeds to crawlers leaves the source nothing, run after run). A crawl
    with some failures succeeded; its ``fetch/errors`` say how many."""
    attempts = sum(stats.get(f"fetch/{outcome}", 0) for outcome in FETCH_OUTCOMES)
    errors = stats.get("fetch/errors", 0)
    refused = stats.get("fetch/robots_disallowed", 0)
    if attempts == 0 or errors + refused < attempts:
        return None
    kinds = ", ".join(
        f"{outcome} {stats[f'fetch/{outcome}']}"
        for outcome in sorted(ERROR_OUTCOMES | {"robots_disallowed"})
        if stats.get(f"fetch/{outcome}")
    )
    return f"every request failed ({attempts}: {kinds})"
