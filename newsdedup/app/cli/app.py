"""The click group, global options and the error boundary of the ``newsdedup`` command."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from newsdedup import __version__
from newsdedup.core.config import Config, load_config
from newsdedup.core.errors import NewsdedupError

__all__ = ["AppContext", "NewsdedupGroup", "main", "pass_app"]

F = TypeVar("F", bound=Callable[..., Any])


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log line, for log collectors: ``time``, ``level``, ``logger``,
    ``message``, ``event`` (``log`` unless the line names one, e.g. ``run_start``), and
    within a run of one source its ``source`` and ``run_id``."""

    def format(self, record: logging.LogRecord) -> str:
        from newsdedup.app.daemon.runlog import log_fields

        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "event": "log",
            **log_fields(),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            data.update(extra)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


_THIRD_PARTY = ("scrapy", "twisted", "alembic", "apscheduler", "trafilatura", "htmldate",
                "charset_normalizer", "filelock", "hpack", "urllib3")


class ThirdPartyFilter(logging.Filter):
    """Holds other libraries' records to ``level`` on our handler.

    Logger levels alone do not hold: Scrapy resets its loggers to DEBUG when a crawl
    starts (``dictConfig``), after our configuration ran.
    """

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= self.level:
            return True
        return not record.name.startswith(_THIRD_PARTY)


def configure_logging(verbose: int, log_format: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if verbose < 2:
        handler.addFilter(ThirdPartyFilter(logging.WARNING if verbose == 0 else logging.INFO))
    # trafilatura logs every page it gives up on at WARNING; a rejection is ours to
    # report (set here, where logging is configured, not as a side effect of an import).
    for name in ("trafilatura", "trafilatura.core"):
        logging.getLogger(name).setLevel(logging.ERROR)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING)
    # psycopg warns, over several lines, when it cleans up a connection the server already
    # closed; the command's own error line says what happened.
    logging.getLogger("psycopg").setLevel(logging.ERROR if verbose == 0 else logging.NOTSET)
    # newsdedup's own run lines are wanted at the default verbosity; Scrapy's chatter is not.
    logging.getLogger("newsdedup").setLevel(logging.DEBUG if verbose >= 2 else logging.INFO)


@dataclass
class AppContext:
    """What every command shares: the config path and verbosity; config loaded once, lazily."""

    config_path: str | None = None
    verbose: int = 0
    log_format: str = "text"
    log_format_given: bool = False
    _config: Config | None = field(default=None, repr=False)

    def use_configured_log_format(self) -> str:
        """The log format of a scheduling command: ``--log-format`` if given, else the
        config's ``daemon.log_format`` (logging is set up again when that differs)."""
        if not self.log_format_given and self.config.daemon.log_format != self.log_format:
            self.log_format = self.config.daemon.log_format
            configure_logging(self.verbose, self.log_format)
        return self.log_format

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config


pass_app = click.make_pass_decorator(AppContext)


def config_option(func: F) -> F:
    """``--config PATH`` accepted after the command name too (``newsdedup crawl --config x``)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            app = ctx.find_object(AppContext)
            if app is not None:
                app.config_path = value
                app._config = None
        return value

    return click.option(
        "--config",
        "command_config",
        type=click.Path(dir_okay=False),
        expose_value=False,
        is_eager=True,
        callback=remember,
        help="config file (default: $NEWSDEDUP_CONFIG or ./config.yaml)",
    )(func)


class NewsdedupGroup(click.Group):
    """A group whose commands all take ``--config`` and whose errors are one line."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(getattr(p, "name", None) == "command_config" for p in cmd.params):
            config_option(cmd)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsdedupError as exc:
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"newsdedup: error: {line}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=NewsdedupGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NEWSDEDUP_CONFIG",
    help="config file (default: $NEWSDEDUP_CONFIG or ./config.yaml)",
)
@click.option("-v", "--verbose", count=True, help="more logs on stderr (-vv: debug)")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default=None,
    help="log line format on stderr: text (default) or json; daemon and run-due default "
         "to daemon.log_format",
)
@click.version_option(__version__, prog_name="newsdedup")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: int, log_format: str | None) -> None:
    """Crawl news sources, extract clean articles, remove duplicates, store them.

    Data goes to stdout, logs and errors to stderr. Start with `newsdedup demo`.
    """
    configure_logging(verbose, log_format or "text")
    ctx.obj = AppContext(config_path=config_path, verbose=verbose, log_format=log_format or "text",
                         log_format_given=log_format is not None)
