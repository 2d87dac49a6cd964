"""``newsdedup crawl``, ``process`` and ``reprocess``: the main job and its halves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.app.runner import RunResult, run_sources
from newsdedup.core.config import Config, SourceConfig
from newsdedup.core.errors import SourceBusy, UsageError

__all__ = ["FETCH_PROBLEMS", "check_source_names", "pick_sources", "summary_lines", "with_workers"]

#: Fetch outcomes shown as problems in the summary (``fetch/<key>`` stats).
FETCH_PROBLEMS = (
    "http_error", "timeout", "connection_error", "robots_disallowed", "offsite", "too_large",
    "not_html", "not_a_feed", "redirect_loop", "too_many_redirects", "error",
)


def pick_sources(config: Config, names: Sequence[str], *, enabled_only: bool = True) -> list[SourceConfig]:
    """The sources named (any state), or every enabled one when none is named."""
    if not names:
        sources = list(config.enabled_sources if enabled_only else config.sources)
        if not sources:
            raise UsageError("no enabled sources in the config")
        return sources
    picked = []
    # A name given twice is one source: its second lease would wait for the first, held
    # by this very process (`--wait` waited for ever; without it, exit 3 and no run).
    for name in dict.fromkeys(names):
        try:
            picked.append(config.source(name))
        except KeyError:
            known = ", ".join(s.name for s in config.sources) or "none"
            raise UsageError(f"--source {name}: no such source in the config (known: {known})") from None
    return picked


def with_workers(config: Config, workers: int | None) -> Config:
    """``config`` with ``process.workers`` set to ``workers`` (``--workers``), if given."""
    if workers is None:
        return config
    process = config.process.model_copy(update={"workers": workers})
    return config.model_copy(update={"process": process})


def check_source_names(config: Config, stored: Collection[str], names: Sequence[str]) -> None:
    """Raise UsageError (exit 2) for a name neither in the config nor in the database.

    Commands that read what is stored (export, runs) accept a source that was removed
    from the config or came from an import; a typo must not print nothing and exit 0.
    """
    configured = {source.name for source in config.sources}
    for name in names:
        if name not in configured and name not in stored:
            known = ", ".join(sorted(configured | set(stored))) or "none"
            raise UsageError(
                f"--source {name}: no such source in the config or the database (known: {known})"
            )


def _group(stats: Counter[str], prefix: str, *, skip: tuple[str, ...] = ()) -> str:
    items = sorted(
        (key.removeprefix(prefix), value)
        for key, value in stats.items()
        if key.startswith(prefix) and value and key.removeprefix(prefix) not in skip
    )
    return ", ".join(f"{key} {value}" for key, value in items) or "none"


def summary_lines(results: Sequence[RunResult]) -> list[str]:
    """The one-screen summary: per source, what was fetched, stored, rejected, failed."""
    lines = []
    for result in results:
        stats = result.stats
        took = ""
        if result.started_at and result.finished_at:
            took = f" in {(result.finished_at - result.started_at).total_seconds():.1f}s"
        run = f"run {result.run_id} " if result.run_id else ""
        lines.append(f"{result.source}: {run}{result.status}{took}")
        lines.append(
            # A page fetched again with the bytes stored is not extracted again: it counts
            # here, not under the articles (whose "unchanged" is a new page, the same text).
            f"  pages fetched {stats['pages/fetched']} (the same as stored {stats['pages/unchanged']}), "
            f"not modified {stats['fetch/not_modified']}; "
            f"articles new {stats['articles/new']}, updated {stats['articles/updated']}, "
            f"unchanged {stats['articles/unchanged']}"
        )
        lines.append(f"  rejected: {_group(stats, 'extract/', skip=('article',))}")
        problems = ", ".join(
            f"{key} {stats[f'fetch/{key}']}" for key in FETCH_PROBLEMS if stats[f"fetch/{key}"]
        )
        lines.append(f"  fetch problems: {problems or 'none'}")
        if result.error:
            lines.append(f"  error: {result.error}")
    # The dedup stage runs once over every source's new articles: one line for all.
    dedup = _group(results[0].stats, "dedup/") if results else "none"
    if dedup != "none":
        lines.append(f"dedup (all sources): {dedup}")
    return lines


@main.command("crawl")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="crawl only this source (repeatable); default: every enabled source")
@click.option("--refetch", is_flag=True, help="fetch article pages again even if already stored")
@click.option("--wait", is_flag=True,
              help="if another process is crawling the source, wait for it instead of failing")
@click.option("--trigger", type=click.Choice(["manual", "schedule", "cron"]), default="manual",
              hidden=True, help="what started this run (set by the daemon and run-due)")
@click.option("--workers", type=click.IntRange(1, 256), default=None, metavar="N",
              help="processes extracting pages (default: process.workers, the usable CPUs)")
@pass_app
def crawl_command(app: AppContext, sources: tuple[str, ...], refetch: bool, wait: bool,
                  trigger: str, workers: int | None) -> None:
    """Crawl sources, then extract and deduplicate what was fetched (one run per source).

    A source being crawled by another process is skipped (one line on stderr) and the
    others are crawled; with --wait the run waits for it instead.

    Exit 0 when the run finished, even if some pages failed; 1 when a source's run
    failed (every request it made failed: the site is down or unreachable); 3 when a
    source was skipped because another process is crawling it (and no run failed); 2 for
    a bad config; 1 when the database
    cannot be used; 4 when the run hit crawl.max_run_minutes; 128+N when stopped by
    signal N (e.g. 143 for SIGTERM). A stopped run is recorded and what it fetched is
    finished by the next run.

    Example: newsdedup crawl --source kyiv-independent
    """
    config = with_workers(app.config, workers)
    picked = pick_sources(config, sources)
    busy: list[SourceBusy] = []
    results: list[RunResult] = []
    while picked:
        try:
            results = run_sources(config, picked, trigger=trigger, refetch=refetch, wait=wait)
            break
        except SourceBusy as exc:
            # Locks are taken all or none (nothing was recorded): try again without it.
            if len(picked) == 1 and not busy:
                raise  # the one source asked for: one line, exit 3
            click.echo(f"newsdedup: error: {exc}", err=True)
            busy.append(exc)
            picked = [source for source in picked if source.name != exc.source]
    for line in summary_lines(results):
        click.echo(line)
    failed = [result.source for result in results if result.status == "failed"]
    if failed:
        click.echo(f"newsdedup: failed runs: {', '.join(failed)}", err=True)
    if busy:
        click.echo("newsdedup: skipped (being crawled elsewhere): "
                   + ", ".join(exc.source for exc in busy), err=True)
    if failed:
        click.get_current_context().exit(1)
    if busy:
        click.get_current_context().exit(SourceBusy.exit_code)


@main.command("process")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="only this source (repeatable); default: every source in the config")
@click.option("--wait", is_flag=True, help="wait for a running crawl of the source to finish")
@click.option("--workers", type=click.IntRange(1, 256), default=None, metavar="N",
              help="processes extracting pages (default: process.workers, the usable CPUs)")
@pass_app
def process_command(app: AppContext, sources: tuple[str, ...], wait: bool,
                    workers: int | None) -> None:
    """Extract and deduplicate pages already fetched but not processed yet.

    The crawl does this by itself; use it after a crawl was interrupted, or after
    importing pages. Nothing is fetched.

    Example: newsdedup process --source rt
    """
    from newsdedup.app.reprocess import process_sources

    config = with_workers(app.config, workers)
    picked = pick_sources(config, sources, enabled_only=False)
    for line in summary_lines(process_sources(config, picked, wait=wait)):
        click.echo(line)


@main.command("reprocess")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="only this source (repeatable); default: every source in the config")
@click.option("--dedup", "rebuild_dedup", is_flag=True,
              help="also rebuild signatures, templates and clusters (after changing dedup: keys)")
@click.option("--wait", is_flag=True, help="wait for a running crawl of the source to finish")
@click.option("--workers", type=click.IntRange(1, 256), default=None, metavar="N",
              help="processes extracting pages (default: process.workers, the usable CPUs)")
@pass_app
def reprocess_command(app: AppContext, sources: tuple[str, ...], rebuild_dedup: bool,
                      wait: bool, workers: int | None) -> None:
    """Rebuild articles from stored pages, without fetching anything again.

    Use after upgrading newsdedup or changing extraction settings or selectors; with
    --dedup after changing the dedup: settings. An article whose extracted body changes
    gets a new revision.

    Example: newsdedup reprocess --source menafn --dedup
    """
    from newsdedup.app.reprocess import process_sources

    config = with_workers(app.config, workers)
    picked = pick_sources(config, sources, enabled_only=False)
    results = process_sources(config, picked, rebuild=True, rebuild_dedup=rebuild_dedup,
                              wait=wait)
    for line in summary_lines(results):
        click.echo(line)
