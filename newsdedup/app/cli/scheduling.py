"""``newsdedup daemon`` and ``newsdedup run-due``: scheduled runs, as a service or from cron."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.core.config import resolve_config_path
from newsdedup.core.errors import RunStopped, UsageError
from newsdedup.storage.db import Database
from newsdedup.storage.migrate import ensure_schema

if TYPE_CHECKING:
    from newsdedup.app.daemon.rundue import RunDueReport


def _config_file(app: AppContext) -> Path:
    return resolve_config_path(app.config_path, os.environ).resolve()


@main.command("daemon")
@pass_app
def daemon_command(app: AppContext) -> None:
    """Run every enabled source on its schedule until stopped (a long-running service).

    Each run is a child process (`newsdedup crawl --source NAME`), at most
    daemon.max_parallel_runs at once; the next run times are printed at start.
    SIGTERM or SIGINT: no new runs, running ones get daemon.grace_period_seconds to
    finish, then are stopped (recorded `interrupted`); exit 0. SIGHUP: reload the config
    file (a bad one is reported and the running config kept). See docs/deployment.md.

    Example: newsdedup --log-format json daemon --config /etc/newsdedup/config.yaml
    """
    from newsdedup.app.daemon.service import Daemon

    config = app.config
    log_format = app.use_configured_log_format()
    Daemon(config, _config_file(app), log_format=log_format, verbose=app.verbose).run()


def _write_metrics(path: Path, db: Database, names: list[str], report: RunDueReport) -> None:
    from newsdedup.app.daemon.metrics import RunMetrics

    metrics = RunMetrics(lambda: db, lambda: names)
    metrics.load_textfile(path)
    for outcome in report.outcomes:
        metrics.observe(outcome)
    try:
        metrics.write_textfile(path)
    except OSError as exc:
        raise UsageError(f"--metrics-textfile {path}: cannot write there: {exc.strerror}") from exc


@main.command("run-due")
@click.option("--metrics-textfile", "textfile", type=click.Path(dir_okay=False), default=None,
              metavar="FILE", help="write Prometheus metrics there for node_exporter's textfile "
              "collector (default: daemon.metrics_textfile)")
@pass_app
def run_due_command(app: AppContext, textfile: str | None) -> None:
    """Run each enabled source whose schedule came due since its last successful run, then exit.

    For system cron (every minute is fine) instead of the daemon, or beside it: a
    source another process is crawling is skipped with a note. Sources that failed
    recently back off (see docs/deployment.md). Prints one line per run; nothing when
    nothing is due. Exit 0 unless a run failed (1) or run-due was stopped by a signal.

    With --metrics-textfile (or daemon.metrics_textfile), the file is rewritten after
    each call with the daemon's metrics: counters add this call's runs to the totals
    already in the file, gauges are read from the database (docs/deployment.md).

    Example: * * * * * newsdedup --config /etc/newsdedup/config.yaml run-due
    """
    from newsdedup.app.daemon.rundue import run_due
    from newsdedup.app.daemon.supervise import RunContext, write_config_snapshot

    config = app.config
    log_format = app.use_configured_log_format()
    textfile = textfile or config.daemon.metrics_textfile
    workdir = Path(tempfile.mkdtemp(prefix="newsdedup-run-due-"))
    try:
        with Database(config.database.url) as db:
            ensure_schema(db)
            ctx = RunContext(config, write_config_snapshot(config, workdir), db,
                             log_format, app.verbose)
            report = run_due(ctx)
            if textfile is not None:
                _write_metrics(Path(textfile), db, [s.name for s in config.sources], report)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for name in report.busy:
        click.echo(f"{name}: skipped, being crawled by another process")
    for outcome in report.outcomes:
        counts = outcome.counts
        run_ids = ",".join(str(run.id) for run in outcome.runs) or "-"
        line = (f"{outcome.source}: run {run_ids} {outcome.status} in {outcome.duration_s:.1f}s; "
                f"pages {counts.pages_fetched}, new {counts.articles_new}, "
                f"updated {counts.articles_updated}, rejected {counts.rejected}, "
                f"errors {counts.errors}")
        if outcome.error and outcome.status != "success":
            line += f"; {outcome.error}"
        click.echo(line)
    if report.stopped_by is not None:
        raise RunStopped(f"run-due stopped by {signal.Signals(report.stopped_by).name}",
                         exit_code=128 + report.stopped_by)
    if report.failed:
        names = ", ".join(outcome.source for outcome in report.failed)
        click.echo(f"newsdedup: error: runs failed: {names} (see `newsdedup status`)", err=True)
        click.get_current_context().exit(1)
