"""``newsdedup status``, ``sources`` and ``runs``: how the sources and their runs are doing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.app.cli.crawl import check_source_names
from newsdedup.app.daemon.report import SourceStatus, source_statuses
from newsdedup.core.records import utcnow
from newsdedup.storage.db import MAX_INTEGER, Database
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.runs import list_runs
from newsdedup.storage.sources import source_ids

__all__ = ["format_table"]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns as wide as their widest cell, two spaces apart."""
    widths = [len(header) for header in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [list(headers), *rows]
    ]


def _when(moment: datetime | None, now: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment is not None else "-"


def _next(status: SourceStatus, now: datetime) -> str:
    if status.next_run is None:
        return "-"
    return "due now" if status.next_run <= now else _when(status.next_run, now)


def _short(text: str | None, width: int = 60) -> str:
    if not text:
        return "-"
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3] + "..."


def _recent_runs(status: SourceStatus) -> str:
    """The last runs, newest first: status, pages, new articles, errors."""
    runs = status.history.recent_runs
    if not runs:
        return "-"
    return "; ".join(
        f"{run.started_at:%m-%d %H:%M} {run.status} (pages {run.pages_fetched}, "
        f"articles {run.articles_new + run.articles_updated}, errors {run.errors})"
        for run in runs[:3]
    )


def _statuses(app: AppContext) -> tuple[list[SourceStatus], datetime]:
    with Database(app.config.database.url) as db:
        ensure_schema(db)
        now = utcnow()
        return source_statuses(app.config, db, now), now


@main.command("status")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: one object per source, one per line")
@pass_app
def status_command(app: AppContext, fmt: str) -> None:
    """Per source: last success, last failure and its reason, consecutive failures,
    articles in the last 24 h, the last runs (pages, articles, errors), articles the
    dedup stage quarantined, next run, health. For monitoring checks:

    exit 0 when every enabled source is healthy, 1 when any is unhealthy or dead (or the
    database cannot be read), 2 for a bad config. A source is unhealthy when it has not
    succeeded within its expected interval (its schedule fired
    daemon.unhealthy_after_missed_runs times, plus its max_run_minutes, since its last
    success), after daemon.unhealthy_after_failures consecutive failed runs, when it
    never succeeded and a run failed, or when none of its last
    daemon.unhealthy_after_rejected_pages pages was an article; dead after daemon.dead_after_hours of failed runs
    (then tried every daemon.dead_retry_hours); see docs/deployment.md. Times are UTC.

    Example: newsdedup status || echo "newsdedup needs attention"
    """
    statuses, now = _statuses(app)
    for status in statuses:
        if fmt == "json":
            click.echo(json.dumps(status.as_json(), ensure_ascii=False))
            continue
        history = status.history
        state = status.health.state + (f": {status.health.reason}" if status.health.reason else "")
        running = f", running (pid {status.running.pid})" if status.running else ""
        click.echo(f"{status.name}: {state}{running}")
        success = history.last_success
        click.echo(f"  last success:  {_when(success.started_at if success else None, now)}")
        failure = history.last_failure
        if failure is not None:
            click.echo(f"  last failure:  {_when(failure.started_at, now)} {failure.status}: "
                       f"{_short(failure.error, 100)}")
        else:
            click.echo("  last failure:  -")
        click.echo(f"  consecutive failures: {history.consecutive_failures}; "
                   f"articles last 24 h: {history.articles_recent} "
                   f"(total {history.articles_total})")
        click.echo(f"  last runs:     {_recent_runs(status)}")
        if status.quarantine is not None:
            held = status.quarantine
            click.echo(f"  quarantined:   {held.count} article(s) dedup failed on (last: "
                       f"article {held.article_id}, {held.attempts} attempts: {_short(held.error, 80)})")
        click.echo(f"  next run:      {_next(status, now)}")
    unhealthy = [status.name for status in statuses if status.health.unhealthy]
    if unhealthy:
        click.echo(f"newsdedup: unhealthy sources: {', '.join(unhealthy)}", err=True)
        click.get_current_context().exit(1)


@main.command("sources")
@pass_app
def sources_command(app: AppContext) -> None:
    """The configured sources: enabled, schedule, next run, last run, articles, last error,
    health (times UTC; see `newsdedup status` for the details).

    Example: newsdedup sources --config ./config.yaml
    """
    statuses, now = _statuses(app)
    rows = []
    for status in statuses:
        history = status.history
        last = history.last_run
        last_text = f"{_when(last.started_at, now)} {last.status}" if last else "never"
        if status.running:
            last_text = f"running (pid {status.running.pid})"
        rows.append([
            status.name,
            "yes" if status.source.enabled else "no",
            status.source.schedule,
            _next(status, now),
            last_text,
            f"{history.articles_total} ({history.articles_recent} in 24h)",
            _short(history.last_failure.error if history.last_failure else None, 40),
            status.health.state,
        ])
    headers = ["SOURCE", "ENABLED", "SCHEDULE", "NEXT RUN", "LAST RUN", "ARTICLES",
               "LAST ERROR", "HEALTH"]
    for line in format_table(headers, rows):
        click.echo(line)


@main.command("runs")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="how many of the most recent runs")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True)
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="only runs of this source (repeatable)")
@pass_app
def runs_command(app: AppContext, limit: int, fmt: str, sources: tuple[str, ...]) -> None:
    """Recent runs, newest first, with what started them and how they ended.

    jsonl: one object per run with id, source, trigger, status, started_at,
    finished_at (ISO 8601), pages_fetched, articles_new, articles_updated, rejected,
    errors, error.

    Example: newsdedup runs --limit 50 --format jsonl | jq 'select(.status != "success")'
    """
    with Database(app.config.database.url) as db:
        ensure_schema(db)
        with db.reader() as session:
            if sources:
                check_source_names(app.config, source_ids(session), sources)
            # More runs than a database integer holds is all of them.
            runs = list_runs(session, limit=min(limit, MAX_INTEGER), sources=sources or None)
    if fmt == "jsonl":
        for run in runs:
            click.echo(json.dumps(run.as_json(), ensure_ascii=False))
        return
    now = utcnow()
    rows = []
    for run in runs:
        took = "-"
        if run.finished_at is not None:
            took = f"{(run.finished_at - run.started_at).total_seconds():.1f}s"
        rows.append([str(run.id), run.source or "-", run.trigger, run.status,
                     _when(run.started_at, now), took, str(run.pages_fetched),
                     str(run.articles_new), str(run.articles_updated), str(run.rejected),
                     str(run.errors), _short(run.error, 50)])
    headers = ["ID", "SOURCE", "TRIGGER", "STATUS", "STARTED", "TOOK", "PAGES", "NEW",
               "UPDATED", "REJECTED", "ERRORS", "ERROR"]
    for line in format_table(headers, rows):
        click.echo(line)
