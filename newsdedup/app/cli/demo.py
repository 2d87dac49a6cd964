"""``newsdedup demo``: a first look, with no network and no set-up."""

from __future__ import annotations

import os
from pathlib import Path

import click

from newsdedup.app.cli.app import AppContext, main, pass_app
from newsdedup.storage.db import safe_url


@main.command("demo")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("newsdedup-demo"), show_default=True,
              help="where the demo's database and config go")
@pass_app
def demo_command(app: AppContext, folder: Path) -> None:
    """Crawl a small bundled news web served on 127.0.0.1 and show what came out.

    Three fictional outlets with page chrome, syndicated stories and a broken page are
    crawled, extracted and deduplicated into a SQLite file (or the database named by
    NEWSDEDUP_DATABASE_URL). Then look around, e.g.:

      newsdedup --config newsdedup-demo/config.yaml export --canonical-only

    Example: newsdedup demo
    """
    from newsdedup.app.cli.crawl import summary_lines
    from newsdedup.app.demo import run_demo

    del app  # the demo writes and uses its own config
    report = run_demo(folder, database_url=os.environ.get("NEWSDEDUP_DATABASE_URL") or None)
    click.echo(f"Crawled the demo web into {safe_url(report.database_url)}\n")
    for line in summary_lines(report.results):
        click.echo(line)
    click.echo("\nArticles per source:")
    for source, count in report.articles.items():
        click.echo(f"  {source:<24} {count}")
    click.echo("\nRejected pages by reason:")
    for reason, count in report.rejected.items() or {"none": 0}.items():
        click.echo(f"  {reason:<24} {count}")
    click.echo(f"\nSyndicated stories ({len(report.stories)}):")
    for story in report.stories:
        canonical = story[0]
        click.echo(f"  [{canonical.cluster_id}] {canonical.title}")
        for outlet in story:
            role = "canonical" if outlet.is_canonical else (
                f"copy, similarity {outlet.similarity:.2f} ({outlet.match_method})"
                if outlet.similarity is not None else "copy")
            click.echo(f"      {outlet.source:<20} {role}  {outlet.url}")
    click.echo(f"\nNext: newsdedup --config {report.config_path} export --canonical-only")
