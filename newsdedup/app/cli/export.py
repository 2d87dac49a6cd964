"""``newsdedup export``: stored articles as JSON lines or CSV, streamed."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.app.cli.crawl import check_source_names
from newsdedup.core.errors import UsageError
from newsdedup.storage.db import MAX_INTEGER, Database
from newsdedup.storage.export import EXPORT_FIELDS, iter_export
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.sources import source_ids

__all__ = ["parse_change_id", "parse_since"]


def parse_change_id(value: str) -> int:
    """A change id: a whole number >= 0."""
    text = value.strip()
    if not text.isdecimal():  # isdigit() also takes "²", which int() refuses
        raise UsageError(
            f"--after-change {value!r}: not a change id (a whole number >= 0: the largest "
            "change_id you have read, or 0 for everything)"
        )
    number = int(text)
    if number > MAX_INTEGER:  # no database integer holds it: no change id is that large
        raise UsageError(
            f"--after-change {value!r}: larger than any change id (at most {MAX_INTEGER})"
        )
    return number


def parse_since(value: str) -> datetime:
    """An ISO 8601 date or datetime; naive values are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--since {value!r}: not an ISO 8601 date or datetime (e.g. 2025-06-01 or "
            "2025-06-01T12:00:00+00:00)"
        ) from None
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
        raise UsageError(
            f"--since {value!r}: out of range once converted to UTC (years 1 to 9999)"
        ) from None


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """stdout; a regular file written beside its target and renamed into place when
    complete (a reader never sees half an export); or, for anything else that exists
    (a device such as /dev/null, a FIFO), that file written directly."""
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.exists() and not target.is_file():
        try:
            handle = target.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UsageError(f"--output {path}: cannot write there: {exc.strerror}") from None
        with handle:
            yield handle
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write there: {exc.strerror}") from None
    try:
        # mkstemp makes the file 0600; give it what a plain open() would have: the
        # mode of the file it replaces, else 0666 less the umask.
        with contextlib.suppress(OSError):
            os.chmod(fd, stat.S_IMODE(target.stat().st_mode) if target.exists()
                     else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--output", "-o", metavar="PATH", help="write to PATH instead of stdout")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="only this source (repeatable)")
@click.option("--since", metavar="ISO8601",
              help="only articles whose last change became visible at or after this time")
@click.option("--after-change", "after_change", metavar="N",
              help="the change feed: only articles with change_id > N, in change_id order")
@click.option("--canonical-only", is_flag=True,
              help="one article per story: the canonical of each syndication cluster")
@pass_app
def export_command(app: AppContext, fmt: str, output: str | None, sources: tuple[str, ...],
                   since: str | None, after_change: str | None, canonical_only: bool) -> None:
    """Print stored articles, one record each, streamed (memory stays flat).

    Fields: id, source, url, canonical_url, title, authors (list), published_at,
    language, text, cluster_id, is_canonical, duplicate_of, first_seen_at, updated_at,
    truncated, change_id, changed_at. In CSV, authors is a JSON list.

    To follow every change, keep the largest change_id you have read and poll with
    --after-change set to it (docs/schema.md has a complete loop); not with
    --canonical-only: keep the records whose is_canonical is true yourself.

    Example: newsdedup export --after-change 1200 -o changes.jsonl
    """
    since_at = parse_since(since) if since else None
    after = parse_change_id(after_change) if after_change is not None else None
    if after is not None and canonical_only:
        # A story's canonical changes when its original arrives after a copy: the copy's
        # new record (is_canonical false) would be left out, and a reader would keep it.
        raise UsageError(
            "--canonical-only with --after-change: the feed would never say that an article "
            "stopped being its story's canonical; follow the whole feed and keep the "
            "records whose is_canonical is true"
        )
    with Database(app.config.database.url) as database:
        ensure_schema(database)
        if sources:
            with database.reader() as session:
                check_source_names(app.config, source_ids(session), sources)
        with database.reader() as session, _output(output) as out:
            records = iter_export(
                session, sources=sources, since=since_at, after_change=after,
                canonical_only=canonical_only,
            )
            if fmt == "jsonl":
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False))
                    out.write("\n")
            else:
                writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
                writer.writeheader()
                for record in records:
                    writer.writerow({k: _csv_value(v) for k, v in record.items()})
            out.flush()

