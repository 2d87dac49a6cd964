"""Handlers for the pages that misbehave: errors, stalls, redirects, huge and non-HTML pages."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from html import escape

from newsweb.content.textgen import generate_story
from newsweb.model import Entry
from newsweb.outlet import OutletSite
from newsweb.responses import Handler, Request, Response, binary, html, redirect

__all__ = [
    "error_with_article",
    "huge_page",
    "pdf",
    "pdf_bytes",
    "redirect_to",
    "soft_404",
    "stall",
]


def error_with_article(site: OutletSite, entry: Entry, status: int = 403) -> Handler:
    """An error status whose page still carries a story around an error banner."""

    def handler(request: Request) -> Response:
        return html(site.template.error_with_article(site.view(entry, request)), status=status)

    return handler


def soft_404(site: OutletSite) -> Handler:
    """HTTP 200 with the outlet's own "page not found" page."""

    def handler(request: Request) -> Response:
        return site.not_found(status=200)

    return handler


def stall() -> Handler:
    """Never answers: the server holds the request until it stops."""

    def handler(request: Request) -> Response:
        return Response(200, stall=True)

    return handler


def redirect_to(location: str, status: int = 301) -> Handler:
    def handler(request: Request) -> Response:
        return redirect(location, status)

    return handler


@lru_cache(maxsize=4)
def _paragraph_pool(seed: int) -> tuple[str, ...]:
    """About 40 KB of escaped paragraphs, generated once and cycled to fill huge pages."""
    pool: list[str] = []
    for index in range(40):
        pool.extend(f"<p>{escape(p)}</p>\n" for p in generate_story(seed + index).paragraphs)
    return tuple(pool)


def huge_page(title: str, size: int, *, chunked: bool, seed: int = 7) -> Handler:
    """An HTML article of at least ``size`` bytes, made in milliseconds. ``chunked``
    streams it with no Content-Length, so a client only learns its size by reading it."""
    head = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title></head><body><article><h1>{escape(title)}</h1>").encode()
    tail = b"</article></body></html>"

    def pieces() -> Iterator[bytes]:
        pool = _paragraph_pool(seed)
        yield head
        sent, block_number = len(head), 0
        while sent < size:
            # Numbered blocks: the page never repeats itself exactly.
            block = (f"<h2>Part {block_number + 1}</h2>" + "".join(pool)).encode()
            sent += len(block)
            block_number += 1
            yield block
        yield tail

    def handler(request: Request) -> Response:
        if chunked:
            return Response(200, chunks=pieces)
        return Response(200, b"".join(pieces()), validators=True)

    return handler


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF showing ``title`` (ASCII)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf(title: str) -> Handler:
    body = pdf_bytes(title)

    def handler(request: Request) -> Response:
        return binary(body, "application/pdf")

    return handler
