"""Legacy dump formats -> Article records: the old scraper's text files and JSON lines.

``text``: one article per file. An optional first line `` date YYYY-MM-DD`` followed by
either an HTTP status (``403``) or, where the old scraper forgot the line break, the
first paragraph; then one paragraph per line (blank lines ignored).

``jsonl``: one article per line, an object with ``text`` (required: paragraphs separated
by blank lines, or by line breaks when there is no blank line) and optionally ``url``,
``title``, ``published_at`` (ISO 8601, a bare date is midnight UTC) and ``source``
(overrides ``--source``). Other keys are ignored. Without ``url`` the article gets
``import://<source>/<hash of its paragraphs>``, so importing a file twice stores nothing
new.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsdedup.core.errors import UsageError
from newsdedup.core.records import Article
from newsdedup.core.urls import canonicalize_url

__all__ = ["FORMATS", "read_jsonl", "read_text", "stable_url"]

FORMATS = ("text", "jsonl")

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*?))?\s*$")
_STATUS = re.compile(r"^[1-5]\d\d$")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
# Control characters (a NUL most of all, which Postgres refuses in text) carry nothing
# of an article: dropped from its text and title, as extraction drops them from pages.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stable_url(source: str, paragraphs: tuple[str, ...]) -> str:
    """The URL of an article that came without one: derived from its source and text."""
    digest = hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()[:32]
    return f"import://{source}/{digest}"


def _clean(lines: list[str]) -> tuple[str, ...]:
    return tuple(stripped for line in lines if (stripped := _CONTROL.sub("", line).strip()))


def _date(value: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # in UTC, year 1 at +01:00 is before year 1
        raise UsageError(f"{where}: invalid date {value!r} (expected ISO 8601)") from None


def read_text(path: Path, source: str | None) -> Article | None:
    """The article in one text file (None when it holds no paragraph)."""
    if not source:
        raise UsageError(f"{path}: text files carry no source: give --source NAME")
    lines = _read(path).splitlines()
    published: datetime | None = None
    status: int | None = None
    if lines and (match := _DATE_LINE.match(lines[0])):
        published = _date(match.group(1), f"{path}:1")
        rest = match.group(2) or ""
        if _STATUS.match(rest):
            status = int(rest)
            lines = lines[1:]
        else:
            lines = [rest, *lines[1:]]
    paragraphs = _clean(lines)
    if not paragraphs:
        return None
    url = stable_url(source, paragraphs)
    return Article(
        source=source, url=url, canonical_url=url, title=None, paragraphs=paragraphs,
        published_at=published, published_from="import" if published else None,
        http_status=status,
    )


def read_jsonl(path: Path, source: str | None) -> Iterator[tuple[int, Article | None]]:
    """``(line number, article)`` for each non-empty line (article None: no paragraph).

    Raises UsageError naming ``path:line`` at the first malformed line; the articles
    before it have been yielded already.
    """
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not a JSON object: {exc.msg}") from None
        except RecursionError:
            raise UsageError(f"{where}: not a JSON object: nested too deeply") from None
        yield number, _article(record, source, where)


def _article(record: Any, default_source: str | None, where: str) -> Article | None:
    if not isinstance(record, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise UsageError(f"{where}: 'text' is required and must be a string")
    for name in ("url", "title", "published_at", "source"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{where}: '{name}' must be a string or null, got {value!r}")
    source = (record.get("source") or default_source or "").strip()
    if not source:
        raise UsageError(f"{where}: no source: give --source NAME or a 'source' field")
    text = text.replace("\r\n", "\n")
    parts = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    paragraphs = _clean([" ".join(part.split("\n")) for part in parts])
    if not paragraphs:
        return None
    published = record.get("published_at")
    published_at = _date(published, where) if published else None
    url = (record.get("url") or "").strip()
    if url:
        canonical = _canonical(url)
        if canonical is None:
            raise UsageError(f"{where}: 'url' is not an http(s) URL: {url!r}")
    else:
        url = canonical = stable_url(source, paragraphs)
    title = _CONTROL.sub("", record.get("title") or "").strip() or None
    return Article(
        source=source, url=url, canonical_url=canonical, title=title, paragraphs=paragraphs,
        published_at=published_at, published_from="import" if published_at else None,
    )


def _canonical(url: str) -> str | None:
    """The identity of an article's ``url``, None when it is not an article URL."""
    if not _is_article_url(url):
        return None
    if not url.startswith(("http://", "https://")):
        return url
    try:
        return canonicalize_url(url)
    except ValueError:  # a port out of range, a host in broken brackets
        return None


def _is_article_url(url: str) -> bool:
    """An http(s) URL with a host, or an ``import://`` URL of an earlier import's export."""
    if any(c.isspace() or _CONTROL.match(c) for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a bracketed host
        return False
    if parts.scheme == "import":
        return bool(parts.netloc)
    return parts.scheme in ("http", "https") and bool(host)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def _lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file; failures are UsageErrors naming the file (and line)."""
    try:
        handle = path.open(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):  # noqa: B007 (used below)
                yield line
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}:{number + 1}: not UTF-8 text (byte {exc.start})") from None
