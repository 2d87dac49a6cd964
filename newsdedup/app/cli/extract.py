"""``newsdedup extract``: what the extractor makes of pages, before adding a source."""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import json
import os
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.core.config import Config, config_from_mapping
from newsdedup.core.dates import parse_date
from newsdedup.core.errors import ConfigError, UsageError
from newsdedup.core.records import MAX_PARAGRAPHS, MAX_TEXT_CHARS, FetchedPage, utcnow

__all__ = ["PageInput", "fetch_once", "read_inputs"]


@dataclass(frozen=True, slots=True)
class PageInput:
    """One input: where it came from (``id``), and its page or why there is none."""

    id: str
    page: FetchedPage | None
    error: str | None = None


#: A .gz page is unzipped up to this size (a gzip bomb must not take the memory).
MAX_GUNZIPPED_BYTES = 64 * 1024 * 1024


def _file_page(path: Path, url: str | None, source: str) -> FetchedPage:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_GUNZIPPED_BYTES + 1)
        except EOFError:
            raise UsageError(f"{path}: gzip data cut short (an incomplete download?)") from None
        except (OSError, zlib.error) as exc:
            raise UsageError(f"{path}: not gzip data although named .gz ({exc}); "
                             "rename it without .gz if it is plain HTML") from None
        if len(data) > MAX_GUNZIPPED_BYTES:
            raise UsageError(f"{path}: larger than {MAX_GUNZIPPED_BYTES} bytes once unzipped")
    page_url = url or path.resolve().as_uri()
    # A saved page was fetched when it was saved: "3 hours ago" on it counts back from then.
    saved = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return FetchedPage(source=source, url=page_url, final_url=page_url, status=200,
                       headers={"content-type": "text/html"}, body=data, fetched_at=saved)


def fetch_once(url: str, config: Config, source: str) -> FetchedPage:
    """GET ``url`` once, as the crawler would: robots.txt, user agent, timeout, size cap.

    Raises UsageError (one line naming the URL) when robots.txt forbids it or the
    fetch fails; an HTTP error status is returned as a page (the extractor rejects it).
    """
    crawl = config.crawl_for(config.source(source)) if source else config.crawl
    parts = urlsplit(url)
    if crawl.obey_robots:
        robots = urllib.robotparser.RobotFileParser(
            urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        )
        # No readable robots.txt means allowed, as for the crawler.
        with contextlib.suppress(OSError, UnicodeDecodeError):
            robots.read()
        if not robots.can_fetch(crawl.user_agent, url):
            raise UsageError(f"{url}: robots.txt disallows it for {crawl.user_agent!r}")
    request = urllib.request.Request(url, headers={"User-Agent": crawl.user_agent})
    try:
        response = urllib.request.urlopen(request, timeout=crawl.timeout)
    except urllib.error.HTTPError as exc:
        response = exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"{url}: fetch failed: {reason}") from None
    with response:
        body = response.read(crawl.max_page_bytes + 1)
        if len(body) > crawl.max_page_bytes:
            raise UsageError(f"{url}: larger than crawl.max_page_bytes ({crawl.max_page_bytes})")
        headers = {k.lower(): v for k, v in response.headers.items()}
        return FetchedPage(source=source, url=url, final_url=response.geturl() or url,
                           status=response.status or 200, headers=headers, body=body,
                           fetched_at=utcnow())


def _fetched_at(value: Any, where: str) -> datetime | None:
    """An item's ``fetched_at`` (ISO 8601 or another machine date), None when absent."""
    if value is None:
        return None
    stamp = parse_date(value) if isinstance(value, str) else None
    if stamp is None:
        raise UsageError(f"fetched_at: not a date: {value!r}")
    return stamp


def _stdin_inputs(url: str | None, source: str) -> Iterator[PageInput]:
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        where = f"stdin:{number}"
        try:
            item: Any = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
        except ValueError as exc:
            yield PageInput(where, None, f"{where}: not a JSON object: {exc}")
            continue
        except RecursionError:
            yield PageInput(where, None, f"{where}: not a JSON object: nested too deeply")
            continue
        ident = str(item.get("id") or where)
        page_url = item.get("url") or url
        try:
            fetched_at = _fetched_at(item.get("fetched_at"), where)
            if "html" in item:
                html = item["html"]
                body = html.encode("utf-8") if isinstance(html, str) else bytes(html)
                final = page_url or f"urn:newsdedup:stdin:{number}"
                yield PageInput(ident, FetchedPage(
                    source=source, url=final, final_url=final, status=200,
                    headers={"content-type": "text/html; charset=utf-8"}, body=body,
                    fetched_at=fetched_at or utcnow()))
            elif "path" in item:
                page = _file_page(Path(item["path"]), page_url, source)
                yield PageInput(ident, dataclasses.replace(page, fetched_at=fetched_at) if fetched_at else page)
            else:
                yield PageInput(ident, None, f"{where}: needs \"html\" or \"path\"")
        except OSError as exc:
            yield PageInput(ident, None, f"{where}: cannot read {item.get('path')}: {exc.strerror or exc}")
        except UsageError as exc:
            yield PageInput(ident, None, f"{where}: {exc}")


def read_inputs(inputs: tuple[str, ...], *, url: str | None, source: str,
                config: Config) -> Iterator[PageInput]:
    """Pages for each input, in order: files, http(s) URLs, and ``-`` (JSON lines)."""
    for item in inputs:
        if item == "-":
            yield from _stdin_inputs(url, source)
        elif urlsplit(item).scheme in ("http", "https"):
            try:
                yield PageInput(item, fetch_once(item, config, source))
            except UsageError as exc:
                yield PageInput(item, None, str(exc))
        else:
            try:
                yield PageInput(item, _file_page(Path(item), url, source))
            except OSError as exc:
                yield PageInput(item, None, f"{item}: cannot read: {exc.strerror or exc}")
            except UsageError as exc:
                yield PageInput(item, None, str(exc))


def _config_or_defaults(app: AppContext) -> Config:
    """The config if there is one; extraction needs none, so defaults will do."""
    try:
        return app.config
    except ConfigError:
        if app.config_path is not None:
            raise
        if os.environ.get("NEWSDEDUP_CONFIG") or Path("config.yaml").exists():
            raise
        return config_from_mapping({}, environ={})


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--url", metavar="URL",
              help="the page's URL, for files and stdin items without one (resolves links)")
@click.option("--source", metavar="NAME",
              help="use this source's selectors and language hint from the config")
@pass_app
def extract_command(app: AppContext, inputs: tuple[str, ...], url: str | None,
                    source: str | None) -> None:
    """Print what the extractor makes of pages: one JSON object per input, in order.

    An INPUT is a file (.html or .html.gz), an http(s) URL (fetched once, obeying
    robots.txt), or - for JSON lines on stdin: {"id", "path" or "html", "url",
    "fetched_at"} (fetched_at: when the page was fetched, ISO 8601; a file's own time
    is its modification time, a URL's the fetch).
    Each object has id, status (article, rejected, or error for an unreadable input),
    reason, detail, url, canonical_url, title, authors, published_at, modified_at,
    language, paragraphs, text, encoding, truncated (true when the body was cut at the
    limit of 2,000 paragraphs or 1,000,000 characters, also said on stderr),
    encoding_repaired (true when the page's visible text was double-encoded UTF-8 and
    was repaired), published_from (where the date was read: json-ld, meta, time, url,
    text). Exit 1 if any input was unreadable.

    Example: newsdedup extract --source rt saved/page1.html https://example.org/story
    """
    from newsdedup.pipeline.extract import Extractor
    from newsdedup.pipeline.extract.report import RECORD_FIELDS, extraction_record

    config = _config_or_defaults(app)
    if source is not None:
        try:
            config.source(source)
        except KeyError:
            raise UsageError(f"--source {source}: no such source in the config") from None
    extractor = Extractor(config.extract, {s.name: s for s in config.sources})
    failed = 0
    for item in read_inputs(inputs, url=url, source=source or "", config=config):
        if item.page is None:
            failed += 1
            click.echo(f"newsdedup: error: {item.error}", err=True)
            record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
            record.update(id=item.id, status="error", reason="unreadable", detail=item.error)
        else:
            record = extraction_record(extractor.extract(item.page), item.id)
            if record["truncated"]:
                click.echo(f"newsdedup: warning: {item.id}: body cut at {MAX_PARAGRAPHS} "
                           f"paragraphs or {MAX_TEXT_CHARS} characters; the rest of the page "
                           "is left out", err=True)
        click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        sys.exit(1)
