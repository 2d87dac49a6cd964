"""``NewsWeb``: serves a :class:`Site` on 127.0.0.1 as an HTTP forward proxy for ``.test`` hosts.

Clients set ``http_proxy=http://127.0.0.1:PORT`` and send absolute-form requests
(``GET http://kyiv-daily.test/news/x HTTP/1.1``); origin-form requests are answered from
the Host header. Unknown hosts get a 502, as a real proxy would. The socket is bound and
listening when :meth:`NewsWeb.start` returns, so there is nothing to wait for.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from newsweb.responses import Response, conditional, http_date
from newsweb.site import Site

__all__ = ["NewsWeb", "RequestRecord"]

_REASONS_502 = b"<html><body><h1>502 Bad Gateway</h1><p>Unknown host.</p></body></html>"


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the web received. ``url`` is normalised (lower-case host, no default
    port, no fragment); ``target`` is the request line's target as sent. ``status`` is
    None when no response was sent (a stalled page). ``time`` is ``time.time()``."""

    method: str
    url: str
    target: str
    host: str
    path: str
    headers: Mapping[str, str]
    status: int | None
    time: float
    proxied: bool


def _normalise(url: str) -> str:
    """The form request records are matched in: lower-case host, no :80, no fragment."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port not in (None, 80) else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower() or 'http'}://{host}{port}{parts.path or '/'}{query}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A stalled handler must not keep server_close() waiting.
    block_on_close = False

    def __init__(self, address: tuple[str, int], web: NewsWeb) -> None:
        self.web = web
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler that drops a keep-alive connection (a timeout, a size cap, its own
        # shutdown) is normal traffic, not a traceback on stderr.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsweb/1.0"
    # Idle keep-alive connections give up after a while instead of pinning a thread.
    timeout = 60
    # Headers and body go out in two writes; with Nagle on, the second waits for the
    # client's delayed ACK (~40 ms per response on keep-alive connections).
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is the record; stderr stays quiet

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_CONNECT(self) -> None:
        # No TLS outlets exist; a real proxy without upstream would refuse the tunnel.
        self._send_simple(501, b"CONNECT is not supported by the fixture news web")
        self.server.web._record(self, "http://" + self.path, self.path.split(":")[0], "", 501, time.time())

    def _send_simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self) -> None:
        # Stamped on arrival: building the answer takes a while under load, and the
        # politeness tests measure the gaps between requests, not between answers.
        arrived = time.time()
        web = self.server.web
        headers = {name.lower(): value for name, value in self.headers.items()}
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host = (parts.hostname or "").lower()
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            url = target
        else:
            host_header = headers.get("host", "")
            host = (urlsplit(f"//{host_header}").hostname or "").lower()
            path = target
            url = f"http://{host_header}{target}"
        try:
            response = web.site.respond(self.command, host, path, headers)
        except Exception:
            web.errors.append(f"{self.command} {url}\n{traceback.format_exc()}")
            response = Response(500, b"internal error in the fixture news web")
        if response is None:
            web._record(self, url, host, path, 502, arrived)
            self._send_simple(502, _REASONS_502)
            return
        if self.command == "GET" or self.command == "HEAD":
            response = conditional(response, headers)
        if response.stall:
            web._record(self, url, host, path, None, arrived)
            self.close_connection = True
            web._stop_event.wait()
            return
        web._record(self, url, host, path, response.status, arrived)
        try:
            self._write(response)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            # Clients drop oversized or slow responses on purpose; that is not an error.
            self.close_connection = True

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.validators:
            self.send_header("ETag", response.etag)
        if response.last_modified is not None:
            self.send_header("Last-Modified", http_date(response.last_modified))
        if response.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command == "HEAD":
                return
            for chunk in response.chunks():
                if chunk:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.status != 304:
            self.wfile.write(response.body)


class NewsWeb:
    """A running news web. Use as a context manager, or call :meth:`start` / :meth:`stop`.

    ``requests`` is the log of every request received (a copy, safe to read while the
    server runs); ``errors`` holds tracebacks of bugs in page handlers (tests should
    expect it empty). Stalled pages block until :meth:`stop`.
    """

    def __init__(self, site: Site, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._stop_event = threading.Event()
        self.errors: list[str] = []

    def start(self) -> None:
        """Bind and listen (the port is known on return), then serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("NewsWeb is already running")
        self._stop_event = threading.Event()
        self._server = _Server(self._address, self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="newsweb",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Release stalled requests, stop serving and close the socket."""
        self._stop_event.set()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> NewsWeb:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("NewsWeb is not running")
        return int(self._server.server_address[1])

    @property
    def proxy_url(self) -> str:
        """What to put in ``http_proxy``: ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def requests_to(self, url_or_path_prefix: str) -> list[RequestRecord]:
        """Logged requests whose URL starts with the given absolute URL (compared in
        normalised form: host case and :80 do not matter) or, for a string starting
        with ``/``, whose path (with query) starts with it on any host."""
        if url_or_path_prefix.startswith("/"):
            return [r for r in self.requests if r.path.startswith(url_or_path_prefix)]
        prefix = _normalise(url_or_path_prefix)
        return [r for r in self.requests if r.url.startswith(prefix)]

    def reset_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, handler: BaseHTTPRequestHandler, url: str, host: str, path: str,
                status: int | None, arrived: float) -> None:
        record = RequestRecord(
            method=handler.command,
            url=_normalise(url),
            target=handler.path,
            host=host,
            path=path,
            headers={name.lower(): value for name, value in handler.headers.items()},
            status=status,
            time=arrived,
            proxied=handler.path.startswith(("http://", "https://")),
        )
        with self._log_lock:
            self._log.append(record)
