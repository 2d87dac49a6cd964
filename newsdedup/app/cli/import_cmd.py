"""``newsdedup import``: an old scraper's dumps, through the same cleaning and clustering."""

from __future__ import annotations

import os
from pathlib import Path

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.core.config import STORED_NAME_RULE, Config, is_storable_source_name
from newsdedup.core.errors import NewsdedupError, UsageError
from newsdedup.core.records import MAX_PARAGRAPHS, MAX_TEXT_CHARS, utcnow
from newsdedup.storage.db import Database
from newsdedup.storage.locks import this_host
from newsdedup.storage.migrate import ensure_schema
from newsdedup.storage.runs import RunCounts, finish_run, start_run
from newsdedup.storage.sources import ensure_sources, source_ids


@main.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--source", metavar="NAME",
              help="the outlet the documents come from (a JSON line's own source wins)")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl", "auto"]), default="auto",
              show_default=True, help="auto: .jsonl/.ndjson files are jsonl, others text")
@click.option("--create-sources", is_flag=True,
              help="store sources named by --source or the records that are neither in the "
                   "config nor in the database (without it, such a name is an error)")
@pass_app
def import_command(app: AppContext, paths: tuple[Path, ...], source: str | None,
                   fmt: str, create_sources: bool) -> None:
    """Import legacy dumps as articles: repeats, templates and copies are removed as in a crawl.

    text: one document per file; an optional first line " date YYYY-MM-DD [HTTP status]",
    then one paragraph per line. jsonl: one object per line with text (required), url,
    title, published_at, source. Folders are read recursively. Page chrome the old
    scraper kept (error notices, share bars, appeals, timers, teaser lists) is left out
    by the extractor's line rules. A document longer than 2,000 paragraphs or 1,000,000
    characters is cut there and stored as truncated. A malformed line (a url that is not
    an http(s) URL, a source neither in the config nor stored, unless --create-sources)
    stops the import with its file:line, exit 2; what was read before it stays stored.

    Example: newsdedup import dumps/ --source menafn
    """
    from newsdedup.pipeline.imports import import_paths

    config = app.config
    with Database(config.database.url) as db:
        ensure_schema(db)
        known = _known_sources(config, db, source, create_sources)
        now = utcnow()
        with db.session() as session:
            source_id = ensure_sources(session, [source])[source] if source else None
            run_id = start_run(session, source_id=source_id, trigger="import", now=now,
                               pid=os.getpid(), hostname=this_host())
        status, error, report = "failed", None, None
        try:
            report = import_paths(config, db, list(paths), source=source, fmt=fmt,
                                  known_sources=known)
            status = "success"
        except NewsdedupError as exc:
            error = str(exc)
            raise
        finally:
            counts = RunCounts(
                articles_new=report.saved["new"] if report else 0,
                articles_updated=report.saved["updated"] if report else 0,
            )
            stats = dict(report.dedup) if report else {}
            with db.session() as session:
                finish_run(session, run_id, status=status, now=utcnow(), counts=counts,
                           stats=stats, error=error)
    if report is None:  # import_paths returned or raised; this is for the type checker
        raise RuntimeError("import ended without a report")
    click.echo(
        f"imported {report.articles} documents from {report.files} files "
        f"(new {report.saved['new']}, updated {report.saved['updated']}, "
        f"unchanged {report.saved['unchanged']}, empty {report.empty})"
    )
    for name, count in sorted(report.sources.items()):
        click.echo(f"  {name}: {count}")
    if report.truncated:
        click.echo(f"newsdedup: warning: {report.truncated} documents cut at {MAX_PARAGRAPHS} "
                   f"paragraphs or {MAX_TEXT_CHARS} characters (stored with truncated = true)",
                   err=True)
    if report.chrome:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.chrome.items()))
        click.echo(f"page chrome left out: {sum(report.chrome.values())} lines ({kinds})")
    dedup = ", ".join(f"{k.removeprefix('dedup/')} {v}" for k, v in sorted(report.dedup.items()) if v)
    click.echo(f"dedup: {dedup or 'nothing to do'}")


def _known_sources(config: Config, db: Database, source: str | None, create: bool) -> set[str] | None:
    """The sources records may name (None: any valid name, created as needed). Raises
    UsageError for a ``--source`` that is neither known nor, with ``create``, a valid name."""
    if create:
        if source is not None and not is_storable_source_name(source):
            raise UsageError(f"--source {source!r}: invalid source name: {STORED_NAME_RULE}")
        return None
    with db.reader() as session:
        known = {s.name for s in config.sources} | set(source_ids(session))
    if source and source not in known:
        raise UsageError(
            f"--source {source}: no such source in the config or the database "
            f"(known: {', '.join(sorted(known)) or 'none'}); give --create-sources to add it")
    return known
