"""``newsdedup report``: stories, sources and cleaning as one HTML file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.app.cli.export import _output, parse_since
from newsdedup.core.errors import UsageError
from newsdedup.core.records import utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import ensure_schema

__all__ = ["parse_window"]

_SPAN = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_window(value: str, now: datetime) -> datetime | None:
    """``7d``, ``24h``, ``30m``, ``2w`` back from ``now``; an ISO 8601 date or datetime;
    or ``all`` (None: no lower bound)."""
    if value.strip().lower() == "all":
        return None
    span = _SPAN.match(value)
    if span is not None:
        try:
            return now - timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
        except OverflowError:  # 1000000d goes back past year 1: everything
            return None
    try:
        return parse_since(value)
    except UsageError:
        raise UsageError(f"--since {value!r}: give a span such as 7d, 24h, 30m or 2w, an ISO "
                         "8601 date (2025-06-01), or 'all'") from None


@main.command("report")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              help="the HTML file to write (- for stdout)")
@click.option("--since", "since", default="7d", show_default=True,
              help="window: a span back from now (7d, 24h, 2w), an ISO date, or all")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="only this source (repeatable); stories carried by it, with all outlets")
@pass_app
def report_command(app: AppContext, output: str, since: str, sources: tuple[str, ...]) -> None:
    """Write one self-contained HTML page (no server, network or JavaScript needed):
    the syndicated stories of the window, largest first, with each copy's outlet, lag,
    similarity and what it changed; per source its runs, rejections, template paragraphs
    and health; and what cleaning removed, with an example of each kind. Large windows
    are capped, with a note. Times are UTC.

    Example: newsdedup report -o report.html --since 7d --source kyiv-daily
    """
    from newsdedup.app.report import build_report, render

    config = app.config
    known = {source.name for source in config.sources}
    unknown = [name for name in sources if name not in known]
    if unknown:
        raise UsageError(f"--source {', '.join(unknown)}: not a configured source "
                         f"(configured: {', '.join(sorted(known)) or 'none'})")
    now = utcnow()
    window = parse_window(since, now)
    with Database(config.database.url) as db:
        ensure_schema(db)
        report = build_report(config, db, since=window, sources=sources, now=now)
    html = render(report)
    with _output(output) as handle:
        handle.write(html)
    if output != "-":
        click.echo(f"report: {len(report.stories)} stories, {len(report.sources)} sources, "
                   f"{report.articles} articles -> {output}", err=True)
