"""``newsdedup db upgrade`` and ``newsdedup check-config``."""

from __future__ import annotations

import click

from newsdedup.app.cli.app import AppContext, NewsdedupGroup, main, pass_app
from newsdedup.storage.db import Database, safe_url
from newsdedup.storage.migrate import current_revision, head_revision, upgrade


@main.group("db", cls=NewsdedupGroup)
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Create or migrate the database schema to this version's.

    Example: NEWSDEDUP_DATABASE_URL=postgresql+psycopg://me@host/news newsdedup db upgrade
    """
    with Database(app.config.database.url) as database:
        before = current_revision(database)
        changed = upgrade(database)
        after = head_revision()
        if changed:
            click.echo(f"{database.display_url}: schema {before or 'empty'} -> {after}")
        else:
            click.echo(f"{database.display_url}: schema already at {after}")


@main.command("check-config")
@pass_app
def check_config(app: AppContext) -> None:
    """Validate the config file; print a summary, or every problem with exit code 2.

    Example: newsdedup check-config --config ./config.yaml
    """
    config = app.config
    enabled = config.enabled_sources
    click.echo(
        f"config OK: {len(config.sources)} sources ({len(enabled)} enabled), "
        f"database {safe_url(config.database.url)}"
    )
    for source in config.sources:
        state = "enabled" if source.enabled else "disabled"
        click.echo(
            f"  {source.name}: {state}, schedule {source.schedule!r}, "
            f"{len(source.feeds)} feeds, {len(source.sitemaps)} sitemaps, "
            f"{len(source.start_urls)} start URLs"
        )

